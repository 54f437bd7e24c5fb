"""Turning one Log record into rows: the journal row plus its typed table row.

Every record is kept whole in ``records`` (JSON), so nothing the session logs
is lost even when no table has a column for it yet; the typed tables are what
the questions in this package read.
"""

from __future__ import annotations

import enum
import json
import sqlite3
from collections.abc import Callable, Mapping
from typing import Any


def journal(
    conn: sqlite3.Connection,
    session_id: int | None,
    record: Mapping[str, Any],
    at: float | None,
    wall: float,
) -> int:
    body = json.dumps(dict(record), default=jsonable, sort_keys=True)
    cur = conn.execute(
        "INSERT INTO records (session_id, kind, at, wall, body) VALUES (?, ?, ?, ?, ?)",
        (session_id, str(record.get("kind", "")), at, wall, body),
    )
    return int(cur.lastrowid or 0)


def _set_done(
    conn: sqlite3.Connection,
    sid: int,
    rid: int,
    r: Mapping[str, Any],
    at: float | None,
    wall: float,
) -> None:
    exercise = str(r.get("exercise", ""))
    conn.execute(
        """INSERT INTO sets (record_id, session_id, exercise, set_number, of_sets, reps,
                              level, side, at, wall)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            rid,
            sid,
            exercise,
            int(r.get("set", 0)),
            r.get("of"),
            r.get("reps"),
            r.get("level"),
            text(r.get("side")),
            at,
            wall,
        ),
    )
    _ensure_exercise(conn, sid, exercise, r.get("of"))
    conn.execute(
        """UPDATE session_exercises SET sets_done = MAX(sets_done, ?)
           WHERE session_id = ? AND exercise = ?""",
        (int(r.get("set", 0)), sid, exercise),
    )


def _exercise_done(
    conn: sqlite3.Connection,
    sid: int,
    rid: int,
    r: Mapping[str, Any],
    at: float | None,
    wall: float,
) -> None:
    exercise = str(r.get("exercise", ""))
    _ensure_exercise(conn, sid, exercise, r.get("sets_planned"))
    conn.execute(
        """UPDATE session_exercises SET status = 'done',
                  sets_done = COALESCE(?, sets_done), planned_sets = COALESCE(?, planned_sets)
           WHERE session_id = ? AND exercise = ?""",
        (r.get("sets_done"), r.get("sets_planned"), sid, exercise),
    )


def _exercise_skipped(
    conn: sqlite3.Connection,
    sid: int,
    rid: int,
    r: Mapping[str, Any],
    at: float | None,
    wall: float,
) -> None:
    exercise = str(r.get("exercise", ""))
    _ensure_exercise(conn, sid, exercise, None)
    conn.execute(
        """UPDATE session_exercises SET status = 'skipped', reason = ?
           WHERE session_id = ? AND exercise = ?""",
        (text(r.get("reason")), sid, exercise),
    )


def _pain(
    conn: sqlite3.Connection,
    sid: int,
    rid: int,
    r: Mapping[str, Any],
    at: float | None,
    wall: float,
) -> None:
    conn.execute(
        """INSERT INTO pain (record_id, session_id, exercise, rating, timing, at, wall)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (rid, sid, text(r.get("exercise")), int(r.get("rating", 0)), text(r.get("when")), at, wall),
    )


def _level_changed(
    conn: sqlite3.Connection,
    sid: int,
    rid: int,
    r: Mapping[str, Any],
    at: float | None,
    wall: float,
) -> None:
    conn.execute(
        """INSERT INTO level_changes (record_id, session_id, exercise, from_level, to_level,
                                       level_name, at, wall)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            rid,
            sid,
            str(r.get("exercise", "")),
            r.get("from"),
            int(r.get("to", 0)),
            text(r.get("level")),
            at,
            wall,
        ),
    )


def _side_chosen(
    conn: sqlite3.Connection,
    sid: int,
    rid: int,
    r: Mapping[str, Any],
    at: float | None,
    wall: float,
) -> None:
    conn.execute("UPDATE sessions SET side = ? WHERE id = ?", (text(r.get("side")), sid))


def _session_ended(
    conn: sqlite3.Connection,
    sid: int,
    rid: int,
    r: Mapping[str, Any],
    at: float | None,
    wall: float,
) -> None:
    conn.execute(
        "UPDATE sessions SET completed = ?, ended_wall = ?, summary = ? WHERE id = ?",
        (
            1 if r.get("completed") else 0,
            wall,
            json.dumps(r.get("summary") or {}, default=jsonable, sort_keys=True),
            sid,
        ),
    )


def _ensure_exercise(conn: sqlite3.Connection, sid: int, exercise: str, planned: Any) -> None:
    """An exercise the session-started record did not list still gets a row."""
    conn.execute(
        """INSERT OR IGNORE INTO session_exercises
           (session_id, position, exercise, planned_sets)
           VALUES (?, (SELECT COALESCE(MAX(position), -1) + 1 FROM session_exercises
                       WHERE session_id = ?), ?, ?)""",
        (sid, sid, exercise, int(planned or 0)),
    )


Writer = Callable[[sqlite3.Connection, int, int, Mapping[str, Any], "float | None", float], None]

WRITERS: dict[str, Writer] = {
    "set-done": _set_done,
    "exercise-done": _exercise_done,
    "exercise-skipped": _exercise_skipped,
    "pain": _pain,
    "level-changed": _level_changed,
    "side-chosen": _side_chosen,
    "session-ended": _session_ended,
}


def text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def number(value: Any, default: float | None) -> Any:
    return float(value) if isinstance(value, (int, float)) else default


def jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    return str(value)
