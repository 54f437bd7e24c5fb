"""The history file's layout, and how older layouts are brought up to date.

The version lives in ``PRAGMA user_version``; ``PRAGMA application_id`` marks
the file as coach's, so a foreign SQLite file at the same path is recognised
and left alone. Every migration runs inside one transaction: an interrupted
migration leaves the old version intact.

Version history:

- v1: sessions, session_exercises, sets, pain, and the records journal. Only
  sessions carried wall-clock time; level changes were kept in the journal
  only.
- v2: a ``level_changes`` table (back-filled from the journal), an index of
  the journal by session, a ``wall`` column on ``sets``, ``pain`` and
  ``records`` (back-filled from the session's start time plus the session
  clock), and ``sessions.resolved_by`` for the resume offer.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable

APPLICATION_ID = 0x43_4F_43_48  # "COCH", big-endian at byte 68 of the file header
CURRENT_VERSION = 2

# The layout a v1 file had. Kept so that tests can build a real v1 file.
V1_SCHEMA = """
CREATE TABLE records (
    id INTEGER PRIMARY KEY,
    session_id INTEGER REFERENCES sessions(id),
    kind TEXT NOT NULL,
    at REAL,
    body TEXT NOT NULL
);
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY,
    program TEXT NOT NULL,
    side TEXT,
    started_wall REAL NOT NULL,
    started_at REAL NOT NULL,
    last_wall REAL NOT NULL,
    last_at REAL NOT NULL,
    ended_wall REAL,
    completed INTEGER,
    summary TEXT
);
CREATE TABLE session_exercises (
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    position INTEGER NOT NULL,
    exercise TEXT NOT NULL,
    planned_sets INTEGER NOT NULL,
    level_start INTEGER,
    sets_done INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL DEFAULT 'planned',
    reason TEXT,
    PRIMARY KEY (session_id, exercise)
);
CREATE TABLE sets (
    record_id INTEGER PRIMARY KEY REFERENCES records(id),
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    exercise TEXT NOT NULL,
    set_number INTEGER NOT NULL,
    of_sets INTEGER,
    reps INTEGER,
    level INTEGER,
    side TEXT,
    at REAL
);
CREATE TABLE pain (
    record_id INTEGER PRIMARY KEY REFERENCES records(id),
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    exercise TEXT,
    rating INTEGER NOT NULL,
    timing TEXT,
    at REAL
);
CREATE INDEX sessions_program ON sessions(program, started_wall);
CREATE INDEX sets_session ON sets(session_id);
CREATE INDEX pain_session ON pain(session_id);
"""

_V2_LEVEL_CHANGES = """
CREATE TABLE level_changes (
    record_id INTEGER PRIMARY KEY REFERENCES records(id),
    session_id INTEGER NOT NULL REFERENCES sessions(id),
    exercise TEXT NOT NULL,
    from_level INTEGER,
    to_level INTEGER NOT NULL,
    level_name TEXT,
    at REAL,
    wall REAL
);
CREATE INDEX level_changes_session ON level_changes(session_id);
CREATE INDEX records_session ON records(session_id, kind);
"""


def create(conn: sqlite3.Connection) -> None:
    """Lay out an empty file at the current version (inside the caller's transaction)."""
    for statement in _statements(V1_SCHEMA):
        conn.execute(statement)
    _migrate_1_to_2(conn)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute(f"PRAGMA user_version = {CURRENT_VERSION}")


def _statements(script: str) -> list[str]:
    return [statement.strip() for statement in script.split(";") if statement.strip()]


def _migrate_1_to_2(conn: sqlite3.Connection) -> None:
    for statement in _statements(_V2_LEVEL_CHANGES):
        conn.execute(statement)
    conn.execute("ALTER TABLE sets ADD COLUMN wall REAL")
    conn.execute("ALTER TABLE pain ADD COLUMN wall REAL")
    conn.execute("ALTER TABLE records ADD COLUMN wall REAL")
    conn.execute("ALTER TABLE sessions ADD COLUMN resolved_by INTEGER REFERENCES sessions(id)")
    # v1 knew each session's wall-clock start and the session clock of every
    # record: their sum places each record in wall-clock time.
    for table in ("sets", "pain", "records"):
        conn.execute(
            f"""UPDATE {table} SET wall = (
                    SELECT s.started_wall + ({table}.at - s.started_at)
                    FROM sessions s WHERE s.id = {table}.session_id)
                WHERE wall IS NULL AND at IS NOT NULL"""
        )
    rows = conn.execute(
        "SELECT id, session_id, at, wall, body FROM records WHERE kind = 'level-changed'"
    ).fetchall()
    for record_id, session_id, at, wall, body in rows:
        record = json.loads(body)
        if session_id is None or record.get("to") is None:
            continue
        conn.execute(
            """INSERT INTO level_changes (record_id, session_id, exercise, from_level,
                                          to_level, level_name, at, wall)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                record_id,
                session_id,
                record.get("exercise", ""),
                record.get("from"),
                record["to"],
                record.get("level"),
                at,
                wall,
            ),
        )
    # A v1 session that never ended stays offered for resume only if it is the latest.
    conn.execute(
        """UPDATE sessions SET resolved_by = (
               SELECT MIN(later.id) FROM sessions later WHERE later.id > sessions.id)
           WHERE completed IS NULL"""
    )


MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _migrate_1_to_2}
"""From version N to N + 1, run inside one transaction by the store."""
