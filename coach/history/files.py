"""Creating, checking and migrating the history file, before anything is written.

A file is used only when its header says it is an SQLite database carrying
coach's application id; everything else is refused and left byte for byte as
it was. The header is read with plain file I/O, so a foreign file is never
even opened by SQLite.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
from pathlib import Path

from coach.errors import CoachError
from coach.history import schema

_MAGIC = b"SQLite format 3\x00"


class HistoryUnavailable(CoachError):
    """The history file cannot be used; the session can still run without it."""


def create(path: Path) -> None:
    """Build a complete, empty history file next to ``path``, then move it in.

    The file only ever appears at ``path`` whole: a crash during creation
    leaves a stray temporary file, never a half-made history.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.new")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.close(fd)
        conn = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            conn.execute("BEGIN")
            schema.create(conn)
            conn.execute("COMMIT")
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        try:
            os.link(tmp, path)  # never replaces a file another process made meanwhile
        except FileExistsError:
            pass
        except OSError:
            if not path.exists():
                os.rename(tmp, path)
        _sync_folder(path.parent)
    except (OSError, sqlite3.Error) as exc:
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise HistoryUnavailable(
            f"Cannot create the history file {path}: {reason}. "
            "Check that the disk is not full or read-only."
        ) from exc
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            with contextlib.suppress(OSError):
                leftover.unlink()


def _sync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


NOT_REGULAR = "is not a regular file"


def header_problem(path: Path) -> str | None:
    """What makes ``path`` not a coach history file, from its header; None when it is one.

    The problem reads after the path: "is empty", "is not an SQLite database
    (it may be damaged)", ... Raises ``HistoryUnavailable`` when the file
    cannot be read at all.
    """
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return NOT_REGULAR
        with open(path, "rb") as file:
            header = file.read(100)
    except OSError as exc:
        raise HistoryUnavailable(
            f"Cannot read the history file {path}: {exc.strerror or exc}. Check its permissions."
        ) from exc
    if len(header) < 100 or not header.startswith(_MAGIC):
        return "is empty" if not header else "is not an SQLite database (it may be damaged)"
    if int.from_bytes(header[68:72], "big") != schema.APPLICATION_ID:
        return "is an SQLite database that belongs to another program"
    return None


def check_header(path: Path) -> None:
    """Refuse anything that is not a coach history file, reading only its header."""
    problem = header_problem(path)
    if problem is None:
        return
    if problem == NOT_REGULAR:
        raise HistoryUnavailable(
            f"The history path {path} is not a regular file. It was left as it is. "
            "Move it elsewhere to start a new history."
        )
    raise HistoryUnavailable(
        f"The history file {path} {problem}. It was left as it is. "
        "Move it elsewhere to start a new history."
    )


def prepare(conn: sqlite3.Connection, path: Path) -> None:
    """Check the file's health and version, migrate it, then set up WAL writing."""
    try:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            raise unavailable(path, "is damaged", "; ".join(problems[:3]))
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > schema.CURRENT_VERSION:
            raise HistoryUnavailable(
                f"The history file {path} was written by a newer version of coach "
                f"(layout {version}; this one knows {schema.CURRENT_VERSION}). It was left as "
                "it is. Update coach to use it."
            )
        if version < 1:
            raise unavailable(path, "is damaged", "it has no layout version")
        if version < schema.CURRENT_VERSION:
            _migrate(conn)
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        raise unavailable(path, "cannot be used", exc) from exc
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        os.chmod(path, 0o600)  # ours, checked above: keep health data owner-only


def _migrate(conn: sqlite3.Connection) -> None:
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        while version < schema.CURRENT_VERSION:
            schema.MIGRATIONS[version](conn)
            version += 1
        conn.execute(f"PRAGMA user_version = {version}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def unavailable(path: Path, what: str, detail: object) -> HistoryUnavailable:
    if isinstance(detail, sqlite3.OperationalError) and "locked" in str(detail):
        return HistoryUnavailable(
            f"The history file {path} is busy: another coach program has held it for too "
            "long. Close the other coach program, then try again."
        )
    return HistoryUnavailable(
        f"The history file {path} {what} ({detail}). It was left as it is. "
        "Move it elsewhere to start a new history."
    )
