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
    """The history file cannot be used; the session can still run without it.

    ``problem`` says what is wrong and ``fix`` what to do about it; the
    message is both, so ``coach check`` can print them apart.
    """

    def __init__(self, problem: str, fix: str = ""):
        self.problem = problem
        self.fix = fix
        super().__init__(f"{problem} {fix}".strip())


LEFT_AS_IT_IS = "It was left as it is."
MOVE_IT = "It was left as it is. Move it elsewhere to start a new history."


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
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else plain(exc)
        raise HistoryUnavailable(
            f"Cannot create the history file {path}: {reason}.",
            "Check that the disk is not full or read-only.",
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
            f"Cannot read the history file {path}: {exc.strerror or exc}.",
            "Check its permissions.",
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
        raise HistoryUnavailable(f"The history path {path} is not a regular file.", MOVE_IT)
    raise HistoryUnavailable(f"The history file {path} {problem}.", MOVE_IT)


def writable(path: Path) -> bool:
    """Whether coach may write the history at ``path``: its folder, and the file if it exists.

    A folder or file the person (or a read-only disk) does not let us write
    is read, never changed: see ``connect``.
    """
    folder = path.parent
    if folder.exists() and not os.access(folder, os.W_OK):
        return False
    return not (path.exists() and not os.access(path, os.W_OK))


ROOM_BYTES = 1 << 20  # B: less free than this and the disk counts as full (see disk_full)


def disk_full(folder: Path) -> bool:
    """Whether the disk holding ``folder`` has no room left for the history to grow.

    Checked before SQLite opens the file to write: on a full disk it could
    not make the -shm file a WAL database needs, refuse to open at all, and
    leave a stub -shm behind. The margin (see ``ROOM_BYTES``) is room for
    that file (32 KiB) and a session's first records; what a session cannot
    write later is said when it happens (``HistorySink``).
    """
    try:
        info = os.statvfs(folder)
    except OSError:
        return False  # cannot tell: let opening the file say what is wrong
    return info.f_bavail * info.f_frsize < ROOM_BYTES


def connect(path: Path, *, read_only: bool, busy_timeout_seconds: float) -> sqlite3.Connection:
    """Open the file for SQLite; read-only when the file, its folder or its disk cannot be written.

    Read-only, nothing may be created beside the file: SQLite would want a
    -shm file for a WAL database, which a read-only folder or a full disk
    cannot hold. So
    the file is opened as immutable, which is safe because nobody can write
    to it either; unless a -wal file holds changes not yet folded in (a
    session cut off before the file became read-only), which only a
    connection that reads the WAL can see.
    """
    try:
        if not read_only:
            return sqlite3.connect(
                str(path),
                timeout=busy_timeout_seconds,
                isolation_level=None,
                check_same_thread=False,
            )
        wal = Path(f"{path}-wal")
        pending = wal.exists() and wal.stat().st_size > 0
        uri = path.absolute().as_uri() + ("?mode=ro" if pending else "?mode=ro&immutable=1")
        return sqlite3.connect(
            uri,
            uri=True,
            timeout=busy_timeout_seconds,
            isolation_level=None,
            check_same_thread=False,
        )
    except (sqlite3.Error, OSError) as exc:
        raise unavailable(path, exc) from exc


def prepare(conn: sqlite3.Connection, path: Path, *, read_only: bool = False) -> None:
    """Check the file's health and version, migrate it, then set up WAL writing.

    A read-only file is only checked: one from an older coach cannot be
    brought up to date, so it is refused with what to do.
    """
    try:
        problems = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            raise damaged(path)
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
        if version > schema.CURRENT_VERSION:
            raise HistoryUnavailable(
                f"The history file {path} was written by a newer version of coach "
                f"(layout {version}; this one knows {schema.CURRENT_VERSION}).",
                f"{LEFT_AS_IT_IS} Update coach to use it.",
            )
        if version < 1:
            raise damaged(path)
        if version < schema.CURRENT_VERSION and read_only:
            raise HistoryUnavailable(
                f"The history file {path} was written by an older version of coach and must "
                "be brought up to date before it can be read, but it is read-only.",
                f"{LEFT_AS_IT_IS} Make the file and its folder writable, then run coach again.",
            )
        if version < schema.CURRENT_VERSION:
            _migrate(conn)
        if read_only:
            return
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as exc:
        raise unavailable(path, exc) from exc
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


def damaged(path: Path) -> HistoryUnavailable:
    return HistoryUnavailable(f"The history file {path} is damaged.", MOVE_IT)


def read_only(path: Path) -> HistoryUnavailable:
    return HistoryUnavailable(
        f"The history file {path} is read-only, or its folder is.",
        "Nothing was changed. Make them writable again to keep new sessions.",
    )


def plain(exc: BaseException) -> str:
    """An SQLite error in plain words, without SQLite's own terms ("" when it has none)."""
    name = str(getattr(exc, "sqlite_errorname", "") or "")  # Python 3.11 and later
    text = str(exc).lower()
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
        return "it is in use by another coach program"
    if name.startswith("SQLITE_READONLY") or "readonly" in text:
        return "it is read-only"
    if name.startswith("SQLITE_FULL") or "full" in text:
        return "the disk is full"
    if name.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")) or any(
        word in text for word in ("malformed", "not a database", "corrupt")
    ):
        return "it is damaged"
    if name.startswith(("SQLITE_CANTOPEN", "SQLITE_IOERR")) or "unable to open" in text:
        return "the disk reported an error"
    if "i/o" in text:
        return "the disk reported an error"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror.lower()
    return ""


def unavailable(path: Path, exc: BaseException) -> HistoryUnavailable:
    """What an error from SQLite means for the person, and what to do about it."""
    reason = plain(exc)
    if reason.startswith("it is in use"):
        return HistoryUnavailable(
            f"The history file {path} is busy: another coach program has held it for too long.",
            "Close the other coach program, then try again.",
        )
    if reason == "it is damaged":
        return damaged(path)
    if reason == "it is read-only":
        return read_only(path)
    if reason == "the disk is full":
        return HistoryUnavailable(
            f"The history file {path} cannot be used: the disk is full.",
            f"{LEFT_AS_IT_IS} Free some space on the disk, then try again.",
        )
    if reason:
        return HistoryUnavailable(
            f"The history file {path} cannot be used: {reason}.",
            f"{LEFT_AS_IT_IS} Check the disk, then try again.",
        )
    return HistoryUnavailable(f"The history file {path} cannot be used.", MOVE_IT)
