"""A history file written by version 1 of the layout opens, migrated, with nothing lost."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from history_helpers import DAY, T0

from coach.core.resume_point import ResumePoint
from coach.history import HistoryStore, HistoryUnavailable, default_path, schema
from coach.program.model import Side

# The v1 layout exactly as version 1 created it: no level_changes table, no
# wall-clock column on sets, pain or records, no resolved_by on sessions.
V1_DDL = """
CREATE TABLE records (id INTEGER PRIMARY KEY, session_id INTEGER REFERENCES sessions(id),
                      kind TEXT NOT NULL, at REAL, body TEXT NOT NULL);
CREATE TABLE sessions (id INTEGER PRIMARY KEY, program TEXT NOT NULL, side TEXT,
                       started_wall REAL NOT NULL, started_at REAL NOT NULL,
                       last_wall REAL NOT NULL, last_at REAL NOT NULL, ended_wall REAL,
                       completed INTEGER, summary TEXT);
CREATE TABLE session_exercises (session_id INTEGER NOT NULL REFERENCES sessions(id),
                                position INTEGER NOT NULL, exercise TEXT NOT NULL,
                                planned_sets INTEGER NOT NULL, level_start INTEGER,
                                sets_done INTEGER NOT NULL DEFAULT 0,
                                status TEXT NOT NULL DEFAULT 'planned', reason TEXT,
                                PRIMARY KEY (session_id, exercise));
CREATE TABLE sets (record_id INTEGER PRIMARY KEY REFERENCES records(id),
                   session_id INTEGER NOT NULL REFERENCES sessions(id), exercise TEXT NOT NULL,
                   set_number INTEGER NOT NULL, of_sets INTEGER, reps INTEGER, level INTEGER,
                   side TEXT, at REAL);
CREATE TABLE pain (record_id INTEGER PRIMARY KEY REFERENCES records(id),
                   session_id INTEGER NOT NULL REFERENCES sessions(id), exercise TEXT,
                   rating INTEGER NOT NULL, timing TEXT, at REAL);
CREATE INDEX sessions_program ON sessions(program, started_wall);
CREATE INDEX sets_session ON sets(session_id);
CREATE INDEX pain_session ON pain(session_id);
"""


class V1File:
    """Writes a v1 history file row by row, as version 1 of coach did."""

    def __init__(self, path: Path, extra_ddl: str = ""):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.conn = sqlite3.connect(path)
        self.conn.executescript(V1_DDL + extra_ddl)
        self.conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
        self.conn.execute("PRAGMA user_version = 1")

    def record(self, sid: int | None, record: dict[str, object]) -> int:
        cur = self.conn.execute(
            "INSERT INTO records (session_id, kind, at, body) VALUES (?, ?, ?, ?)",
            (sid, record["kind"], record["at"], json.dumps(record)),
        )
        return int(cur.lastrowid or 0)

    def session(self, day: float, planned: dict[str, int], levels: dict[str, int]) -> int:
        start = {
            "kind": "session-started",
            "at": 0.0,
            "program": "medial-knee",
            "side": "right",
            "exercises": list(planned),
            "planned_sets": planned,
            "levels": levels,
        }
        sid = int(
            self.conn.execute(
                "INSERT INTO sessions (program, side, started_wall, started_at, last_wall, last_at)"
                " VALUES ('medial-knee', 'right', ?, 0.0, ?, 0.0)",
                (T0 + day * DAY, T0 + day * DAY),
            ).lastrowid
            or 0
        )
        rid = self.record(sid, start)
        assert rid
        for position, (exercise, sets) in enumerate(planned.items()):
            self.conn.execute(
                "INSERT INTO session_exercises (session_id, position, exercise, planned_sets,"
                " level_start) VALUES (?, ?, ?, ?, ?)",
                (sid, position, exercise, sets, levels.get(exercise)),
            )
        return sid

    def set_done(self, sid: int, exercise: str, n: int, of: int, at: float, level: int) -> None:
        rid = self.record(
            sid,
            {
                "kind": "set-done",
                "at": at,
                "exercise": exercise,
                "set": n,
                "of": of,
                "reps": 10,
                "level": level,
                "side": "right",
            },
        )
        self.conn.execute(
            "INSERT INTO sets VALUES (?, ?, ?, ?, ?, 10, ?, 'right', ?)",
            (rid, sid, exercise, n, of, level, at),
        )
        self.conn.execute(
            "UPDATE session_exercises SET sets_done = ? WHERE session_id = ? AND exercise = ?",
            (n, sid, exercise),
        )
        self.conn.execute("UPDATE sessions SET last_at = ? WHERE id = ?", (at, sid))

    def close(self) -> None:
        self.conn.commit()
        self.conn.close()


def _build_v1(path: Path) -> None:
    v1 = V1File(path)
    first = v1.session(0, {"single-leg-balance": 2, "wall-squat": 2}, {"single-leg-balance": 1})
    v1.set_done(first, "single-leg-balance", 1, 2, 60.0, 1)
    # v1 kept level changes in the journal only.
    v1.record(
        first,
        {
            "kind": "level-changed",
            "at": 90.0,
            "exercise": "single-leg-balance",
            "from": 1,
            "to": 2,
            "level": "eyes closed",
        },
    )
    v1.set_done(first, "single-leg-balance", 2, 2, 150.0, 2)
    rid = v1.record(
        first,
        {
            "kind": "pain",
            "at": 160.0,
            "exercise": "single-leg-balance",
            "rating": 3,
            "when": "after-exercise",
        },
    )
    v1.conn.execute(
        "INSERT INTO pain VALUES (?, ?, 'single-leg-balance', 3, 'after-exercise', 160)",
        (rid, first),
    )
    v1.record(first, {"kind": "session-ended", "at": 200.0, "completed": True, "summary": {}})
    v1.conn.execute(
        "UPDATE sessions SET completed = 1, ended_wall = ? WHERE id = ?", (T0 + 200.0, first)
    )
    # The next day's session was cut off after the first set of the wall squat.
    second = v1.session(1, {"single-leg-balance": 2, "wall-squat": 2}, {"single-leg-balance": 2})
    v1.set_done(second, "single-leg-balance", 1, 2, 40.0, 2)
    v1.set_done(second, "single-leg-balance", 2, 2, 80.0, 2)
    v1.record(
        second,
        {
            "kind": "exercise-done",
            "at": 81.0,
            "exercise": "single-leg-balance",
            "sets_done": 2,
            "sets_planned": 2,
        },
    )
    v1.conn.execute(
        "UPDATE session_exercises SET status = 'done' WHERE session_id = ?"
        " AND exercise = 'single-leg-balance'",
        (second,),
    )
    v1.set_done(second, "wall-squat", 1, 2, 140.0, 1)
    v1.close()


def test_a_v1_file_is_migrated_on_open_with_nothing_lost(private_home: Path) -> None:
    path = default_path()
    _build_v1(path)
    store = HistoryStore.open()
    try:
        assert store.query("PRAGMA user_version") == [(2,)]
        # The level change moved from the journal into its own table, placed in wall time.
        assert store.query(
            "SELECT session_id, exercise, from_level, to_level, level_name, wall FROM level_changes"
        ) == [(1, "single-leg-balance", 1, 2, "eyes closed", T0 + 90.0)]
        # Sets and pain got wall-clock times from the session start plus the session clock.
        assert store.query("SELECT wall FROM sets WHERE session_id = 2 ORDER BY record_id") == [
            (T0 + DAY + 40.0,),
            (T0 + DAY + 80.0,),
            (T0 + DAY + 140.0,),
        ]
        assert store.query("SELECT wall FROM pain") == [(T0 + 160.0,)]
        older, newer = store.sessions()[::-1]
        assert older.level_changes[0].level_name == "eyes closed"
        assert older.max_pain == 3 and older.completed is True
        # Everything the session needs still works on the migrated data.
        assert store.levels("medial-knee") == {"single-leg-balance": 2, "wall-squat": 1}
        assert store.familiar("medial-knee") == frozenset({"single-leg-balance", "wall-squat"})
        assert store.last_side("medial-knee") is Side.RIGHT
        assert store.interrupted("medial-knee") == ResumePoint("wall-squat", 2, Side.RIGHT)
        assert newer.completed is None
    finally:
        store.close()
    # Opening again finds it current and changes nothing more.
    again = HistoryStore.open()
    try:
        assert again.query("SELECT COUNT(*) FROM level_changes") == [(1,)]
    finally:
        again.close()


def test_a_migration_that_fails_leaves_the_v1_file_as_it_was(private_home: Path) -> None:
    path = default_path()
    # A table in the way of the migration: the v2 step cannot create level_changes.
    V1File(path, "CREATE TABLE level_changes (x);").close()
    before = path.read_bytes()
    with pytest.raises(HistoryUnavailable, match="cannot be used"):
        HistoryStore.open()
    assert path.read_bytes() == before
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone() == (1,)
    conn.close()
