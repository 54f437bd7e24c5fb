"""Erasing the whole history file, for ``coach history --forget``.

Only a file recognised as coach's history is erased: its header carries
coach's application id and it passes SQLite's quick check. Anything else is
refused and left as it is, for the person to remove by hand if they are sure.
A healthy history that is read-only (the file, its folder or the disk) is
refused too, and never called anything but healthy: the person made it so,
or the disk is, and it is theirs to make writable again.

The file is removed only while no other coach program has it open. ``look``
takes SQLite's exclusive lock for a moment to count the sessions: it fails
while a session (or any other connection) has the file open. ``erase`` leaves
WAL mode, which needs every other connection closed, then holds the exclusive
lock while it checks that the sessions are still the ones the person was told
about and removes the side files, then the file itself. A coach program that
opens the file in that instant cannot write to it once it is gone: SQLite
refuses writes to a database whose file was deleted.
"""

from __future__ import annotations

import os
import sqlite3
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from coach.errors import CoachError
from coach.history.files import _sync_folder, header_problem, plain, writable
from coach.history.phrases import phrase

SIDE_SUFFIXES = ("-wal", "-shm", "-journal")
BUSY_SECONDS = 2.0  # s: long enough for a `coach history` read to finish, no longer
MONTHS = (
    "January", "February", "March", "April", "May", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip


class ForgetRefused(CoachError):
    """The history was not erased; the message says why and what to do."""


@dataclass(frozen=True)
class Contents:
    """What a history file holds, as told to the person before erasing."""

    sessions: int
    first_wall: float | None  # s since the Unix epoch: the first session's start
    last_wall: float | None
    files: tuple[Path, ...] = field(default=(), compare=False)  # the file and its side files

    def describe(self) -> str:
        if self.sessions == 0 or self.first_wall is None or self.last_wall is None:
            return phrase("forget_sessions_none")
        first, last = local_day(self.first_wall), local_day(self.last_wall)
        if self.sessions == 1:
            return phrase("forget_sessions_one", first=first)
        if first == last:
            return phrase("forget_sessions_one_day", count=self.sessions, first=first)
        return phrase("forget_sessions_many", count=self.sessions, first=first, last=last)


def local_day(wall: float) -> str:
    """ "2 March 2026", in local time: reads the same in every screen reader."""
    local = time.localtime(wall)
    return f"{local.tm_mday} {MONTHS[local.tm_mon - 1]} {local.tm_year}"


def side_files(path: Path) -> list[Path]:
    """The files SQLite keeps beside ``path``: -wal, -shm and -journal."""
    return [Path(f"{path}{suffix}") for suffix in SIDE_SUFFIXES]


def look(path: Path) -> Contents:
    """What the history file holds; refuses a file that is not coach's, is in use, or
    cannot be erased because it is read-only."""
    _recognise(path)
    _writable(path)
    present = _present(path)  # before SQLite folds a -wal file in
    conn = _connect(path)
    try:
        # Exclusive locking mode: BEGIN EXCLUSIVE takes the whole file, which
        # fails while any other connection has it open, even an idle one.
        conn.execute("PRAGMA locking_mode = EXCLUSIVE")
        conn.execute("BEGIN EXCLUSIVE")
        found = _contents(conn, path)
        conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        raise _refusal(path, exc) from exc
    finally:
        conn.close()
    return replace(found, files=present)


def erase(path: Path, told: Contents) -> list[Path]:
    """Remove the history file and its side files; returns those that were there
    when ``look`` or ``erase`` began.

    ``told`` is what ``look`` found and the person agreed to erase: if the file
    holds something else by now, nothing is erased.
    """
    checked = _recognise(path)
    _writable(path)
    present = set(told.files) | set(_present(path))
    conn = _connect(path)
    try:
        # Leaving WAL mode folds the -wal file in and removes it with the -shm
        # file; it needs every other connection closed. In rollback-journal mode
        # an exclusive lock keeps out readers as well as writers.
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.execute("BEGIN EXCLUSIVE")
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "delete":
            raise ForgetRefused(phrase("forget_busy", path=path))  # reopened in WAL meanwhile
        # Not _recognise again: closing any other handle on the file would drop
        # this process's locks on it. The same file, by its inode, will do.
        if _identity(path) != checked or _contents(conn, path) != told:
            raise ForgetRefused(phrase("forget_changed"))
        # Side files first: a stray journal or WAL beside a new history file
        # would be replayed into it.
        for side in side_files(path):
            side.unlink(missing_ok=True)
        path.unlink()
        conn.execute("ROLLBACK")
    except sqlite3.Error as exc:
        if _locked(exc):
            raise ForgetRefused(phrase("forget_busy", path=path)) from exc
        reason = plain(exc) or "it could not be changed"
        raise ForgetRefused(phrase("forget_failed", path=path, reason=reason)) from exc
    except OSError as exc:
        raise ForgetRefused(phrase("forget_failed", path=path, reason=exc.strerror or exc)) from exc
    finally:
        conn.close()
    _sync_folder(path.parent)
    return [found for found in (path, *side_files(path)) if found in present]


def _present(path: Path) -> tuple[Path, ...]:
    return tuple(found for found in (path, *side_files(path)) if found.exists())


def _recognise(path: Path) -> tuple[int, int]:
    """Refuse a file that is not coach history; returns the identity of the one checked."""
    try:
        identity = _identity(path)
    except OSError:
        identity = (-1, -1)  # header_problem below says what is wrong
    if path.is_symlink():
        problem: str | None = f"is a link to {os.readlink(path)}"
    else:
        problem = header_problem(path)  # raises HistoryUnavailable if unreadable
    if problem is not None:
        raise ForgetRefused(phrase("forget_not_ours", path=path, problem=problem))
    return identity


def _writable(path: Path) -> None:
    """Refuse, calmly, a history that cannot be erased because it is read-only."""
    if not writable(path):
        raise ForgetRefused(phrase("forget_read_only", path=path))


def _identity(path: Path) -> tuple[int, int]:
    info = path.lstat()
    return info.st_dev, info.st_ino


def _connect(path: Path) -> sqlite3.Connection:
    try:
        return sqlite3.connect(str(path), timeout=BUSY_SECONDS, isolation_level=None)
    except sqlite3.Error as exc:
        raise _refusal(path, exc) from exc


def _contents(conn: sqlite3.Connection, path: Path) -> Contents:
    problems = [row[0] for row in conn.execute("PRAGMA quick_check").fetchall()]
    if problems != ["ok"]:
        raise _not_ours(path, "is damaged")
    if int(conn.execute("PRAGMA user_version").fetchone()[0]) < 1:
        raise _not_ours(path, "is damaged (it has no layout version)")
    count, first, last = conn.execute(
        "SELECT COUNT(*), MIN(started_wall), MAX(started_wall) FROM sessions"
    ).fetchone()
    return Contents(int(count), first, last)


def _locked(exc: sqlite3.Error) -> bool:
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


def _refusal(path: Path, exc: sqlite3.Error) -> ForgetRefused:
    if _locked(exc):
        return ForgetRefused(phrase("forget_busy", path=path))
    reason = plain(exc)
    if reason == "it is read-only":  # made read-only since it was looked at
        return ForgetRefused(phrase("forget_read_only", path=path))
    if reason in ("", "it is damaged") or not isinstance(exc, sqlite3.OperationalError):
        return _not_ours(path, "is damaged")  # SQLite's "malformed", "not a database"
    return ForgetRefused(phrase("forget_failed", path=path, reason=reason))


def _not_ours(path: Path, problem: str) -> ForgetRefused:
    return ForgetRefused(phrase("forget_not_ours", path=path, problem=problem))
