"""The history file: one SQLite database, written one record at a time.

Why SQLite with these settings:

- One transaction per record and ``synchronous=FULL`` in WAL mode: once a
  record is written it survives a crash or a power cut, so an interruption
  loses at most the set in progress.
- WAL lets ``coach history`` read while a session writes.
- The file is created owner-only (0600) under an owner-only folder (0700)
  before SQLite ever opens it; SQLite gives its -wal and -shm files the same
  mode. No audio is ever stored here.
- A file that is not ours (a foreign database, a damaged file, junk) is
  refused with one clear ``HistoryUnavailable`` and left byte for byte as it
  was: coach never overwrites, deletes or "repairs" it.
- A history that is read-only (the file, its folder or the disk), or on a
  disk that is full, is opened read-only: the past is read as usual, nothing
  is written, and the session is told once that it will not be kept.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach import paths
from coach.core.records import Record, SessionStarted
from coach.core.resume_point import ResumePoint
from coach.history import carry, notes, read, rules
from coach.history.files import (
    HistoryUnavailable,
    check_header,
    connect,
    create,
    disk_full,
    plain,
    prepare,
    read_only,
    unavailable,
    writable,
)
from coach.history.interruption import Interruption, find_interruption
from coach.history.phrases import phrase
from coach.history.read import SessionRecord
from coach.history.writers import journal, text, write_row
from coach.program.model import Program, Side

FILE_NAME = "history.sqlite3"
WINDOW_DAYS = 60.0  # d: how far back the rules and notes read (progress per exercise)


def default_path() -> Path:
    return paths.data_dir() / FILE_NAME


@dataclass(frozen=True)
class FileHealth:
    """What ``coach start`` and ``coach history`` make of the history file."""

    path: Path
    sessions: int | None  # None: there is no file yet (the first session makes it)
    read_only: bool  # read as usual, but nothing new is kept: see HistoryStore.read_only_note
    disk_full: bool = False  # read-only because its disk is full (see files.disk_full)


def file_health(path: Path | None = None) -> FileHealth:
    """Judge the history file as a session would, for ``coach check``.

    The file is opened by ``HistoryStore.open``, exactly as ``coach start``
    and ``coach history`` open it, so the check cannot call a file fine that
    they refuse: ``HistoryUnavailable`` says what is wrong and what to do.
    A missing file is not made.
    """
    path = path if path is not None else default_path()
    if not path.exists() and not path.is_symlink():
        return FileHealth(path, None, read_only=not writable(path))
    store = HistoryStore.open(path)
    try:
        count = int(store.query("SELECT COUNT(*) FROM sessions")[0][0])
    finally:
        store.close()
    return FileHealth(path, count, store.read_only, disk_full=store.disk_full)


class HistoryStore:
    """An open history file. Create it with ``HistoryStore.open``.

    Safe to share between threads: every statement runs under one lock.
    """

    def __init__(self, conn: sqlite3.Connection, path: Path, *, read_only: bool = False,
                 disk_full: bool = False):
        self._conn = conn
        self.path = path
        self.read_only = read_only or disk_full  # read, never written: see ``read_only_note``
        self.disk_full = disk_full  # why it is read-only: its disk is full
        self._lock = threading.RLock()

    # -- opening -------------------------------------------------------------

    @classmethod
    def open(cls, path: Path | None = None, *, busy_timeout_seconds: float = 10.0) -> HistoryStore:
        """Open the history file, creating or migrating it if needed.

        When the file or its folder cannot be written (their permissions, or a
        read-only disk), or its disk is full, an existing file is opened
        read-only instead: see ``read_only``. This is the one judgement of a
        history file that ``coach start``, ``coach history`` and ``coach
        check`` share.

        Raises ``HistoryUnavailable`` when the folder or file cannot be used.
        """
        path = path if path is not None else default_path()
        read_only = path.exists() and not writable(path)
        full = path.exists() and not read_only and disk_full(path.parent)
        read_only = read_only or full  # a read-only disk is said as such, even when full
        if not read_only:
            try:
                paths.private_dir(path.parent)
            except OSError as exc:
                raise HistoryUnavailable(
                    f"Cannot use the history folder {path.parent}: {exc.strerror or exc}.",
                    "Check that your home folder is writable and the disk is not full.",
                ) from exc
            if not path.exists():
                create(path)
        check_header(path)
        conn = connect(path, read_only=read_only, busy_timeout_seconds=busy_timeout_seconds)
        try:
            prepare(conn, path, read_only=read_only)
        except BaseException:
            conn.close()
            raise
        return cls(conn, path, read_only=read_only, disk_full=full)

    @property
    def read_only_note(self) -> str:
        """Said once where the history is read-only: the past is read, nothing new is kept."""
        return phrase("disk_full_note" if self.disk_full else "read_only_note", path=self.path)

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    # -- reading -------------------------------------------------------------

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Run one SELECT; used by the reading modules of this package."""
        with self._lock:
            try:
                return self._conn.execute(sql, params).fetchall()
            except sqlite3.Error as exc:
                raise unavailable(self.path, exc) from exc

    # -- what the session and the CLI ask ------------------------------------

    def sessions(
        self,
        program_id: str | None = None,
        *,
        limit: int | None = None,
        since_wall: float | None = None,
        demo: bool = False,
    ) -> list[SessionRecord]:
        """Sessions newest first (``since_wall``: s since the Unix epoch).

        Without ``program_id``: the person's own sessions of every program, or
        with ``demo`` those of ``coach demo``, which are kept apart.
        """
        return read.load_sessions(
            self, program_id, limit=limit, since_wall=since_wall, demo=demo
        )

    def programs(self) -> dict[str, int]:
        """Every program in the history, with its number of sessions."""
        rows = self.query(
            "SELECT program, COUNT(*) FROM sessions GROUP BY program ORDER BY program"
        )
        return {str(program): int(count) for program, count in rows}

    def interruption(
        self,
        program_id: str | None = None,
        *,
        program: Program | None = None,
        now: float | None = None,
        within_hours: float | None = None,
    ) -> Interruption | None:
        """The cut-off session to offer carrying on from, with its spoken offer."""
        return find_interruption(
            self, program_id, program=program, now=now, within_hours=within_hours
        )

    def interrupted(
        self,
        program_id: str | None = None,
        *,
        now: float | None = None,
        within_hours: float | None = None,
    ) -> ResumePoint | None:
        """Where to carry on, if the latest session has no session-ended record."""
        found = self.interruption(program_id, now=now, within_hours=within_hours)
        return found.point if found is not None else None

    def levels(
        self, program_id: str, *, program: Program | None = None, now: float | None = None
    ) -> dict[str, int]:
        """Latest level index per exercise; with ``program``, only valid ones.

        With ``now`` (s since the Unix epoch), the level to start a session at:
        a raise from last time that the rules do not allow yet (pain above 5
        or rising, sets missed) is held back, so coach never moves anyone up
        on its own while their knee is not ready.
        """
        found = carry.levels(self, program_id, program)
        if now is not None:
            held = rules.held_back(self._window(program_id, now), now)
            found.update({ex: min(lv, found[ex]) for ex, lv in held.items() if ex in found})
        return found

    def familiar(self, program_id: str) -> frozenset[str]:
        return carry.familiar(self, program_id)

    def last_side(self, program_id: str | None = None) -> Side | None:
        return carry.last_side(self, program_id)

    def opening_notes(
        self, program_id: str, now: float, *, program: Program | None = None
    ) -> list[str]:
        """Spoken lines for the start of a session (``now``: s since the Unix epoch).

        A read-only history says first, and only here, that the session will
        not be kept.
        """
        found = notes.opening_notes(self._window(program_id, now), now, program)
        if not self.read_only:
            return found
        return [phrase("disk_full_session" if self.disk_full else "read_only_session"), *found]

    def may_progress(self, program_id: str, exercise_id: str, now: float) -> bool:
        """Whether the coach may move this exercise up on its own (see ``rules``)."""
        return rules.may_progress(self._window(program_id, now), exercise_id, now)

    def weekly_summary(
        self, now: float, program_id: str | None = None, *, demo: bool = False
    ) -> str:
        """ "This week: 3 sessions, 40 of 45 planned sets, pain down from 6 to 4."."""
        return notes.weekly_summary(self._window(program_id, now, demo=demo), now)

    def _window(
        self, program_id: str | None, now: float, *, demo: bool = False
    ) -> list[SessionRecord]:
        """The sessions the rules look at: the past weeks, plus the very latest."""
        since = now - WINDOW_DAYS * rules.DAY_SECONDS
        found = read.load_sessions(self, program_id, since_wall=since, demo=demo)
        if not found:
            found = read.load_sessions(self, program_id, limit=1, demo=demo)
        return found

    # -- writing -------------------------------------------------------------

    def begin_session(self, record: SessionStarted, wall: float) -> int:
        """Store a session-started record; returns the new session's id.

        Earlier sessions that never ended are marked resolved by this one:
        the resume offer moves on to the newest session.
        """
        at = float(record.at)
        with self._transaction() as conn:
            rid = journal(conn, None, record, wall)
            cur = conn.execute(
                """INSERT INTO sessions (program, side, started_wall, started_at,
                                         last_wall, last_at)
                   VALUES (?, ?, ?, ?, ?, ?)""",
                (record.program, text(record.side), wall, at, wall, at),
            )
            sid = int(cur.lastrowid or 0)
            conn.execute("UPDATE records SET session_id = ? WHERE id = ?", (sid, rid))
            for position, exercise in enumerate(record.exercises):
                conn.execute(
                    """INSERT OR IGNORE INTO session_exercises
                       (session_id, position, exercise, planned_sets, level_start)
                       VALUES (?, ?, ?, ?, ?)""",
                    (
                        sid,
                        position,
                        exercise,
                        int(record.planned_sets.get(exercise, 0)),
                        record.levels.get(exercise),
                    ),
                )
            conn.execute(
                """UPDATE sessions SET resolved_by = ?
                   WHERE id < ? AND completed IS NULL AND resolved_by IS NULL""",
                (sid, sid),
            )
        return sid

    def add(self, session_id: int | None, record: Record, wall: float) -> None:
        """Store one record of a running session (or a stray one, with no session)."""
        at = float(record.at)
        with self._transaction() as conn:
            rid = journal(conn, session_id, record, wall)
            if session_id is None:
                return
            conn.execute(
                """UPDATE sessions SET last_wall = MAX(last_wall, ?),
                                       last_at = MAX(last_at, COALESCE(?, last_at))
                   WHERE id = ?""",
                (wall, at, session_id),
            )
            write_row(conn, session_id, rid, record, wall)

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        if self.read_only:
            raise read_only(self.path)
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                    raise unavailable(self.path, exc) from exc
                reason = plain(exc)
                raise HistoryUnavailable(
                    f"Could not save to the history file {self.path}"
                    + (f": {reason}." if reason else "."),
                    "The disk may be full or read-only.",
                ) from exc
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    conn.execute("ROLLBACK")
                raise
