"""Turning one logged record into rows: the journal row plus its typed table row.

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

from coach.core import records
from coach.core.records import (
    ExerciseDone,
    ExerciseSkipped,
    LevelChanged,
    PainCorrected,
    PainRated,
    Record,
    RoutineChosen,
    SessionFinished,
    SetDone,
    SideChosen,
)


def journal(
    conn: sqlite3.Connection,
    session_id: int | None,
    record: Record,
    wall: float,
) -> int:
    """The record kept whole, as JSON, in the ``records`` journal; returns its row id."""
    body = json.dumps(records.journal(record), default=jsonable, sort_keys=True)
    cur = conn.execute(
        "INSERT INTO records (session_id, kind, at, wall, body) VALUES (?, ?, ?, ?, ?)",
        (session_id, record.KIND, float(record.at), wall, body),
    )
    return int(cur.lastrowid or 0)


def _set_done(
    conn: sqlite3.Connection, sid: int, rid: int, record: SetDone, wall: float
) -> None:
    """A set done in full gets its row in ``sets``; a set ended early (partial)
    is kept, with its reps, in the journal only, so it is never counted as done."""
    _ensure_exercise(conn, sid, record.exercise, record.of_sets)
    if not record.complete:
        return
    conn.execute(
        """INSERT INTO sets (record_id, session_id, exercise, set_number, of_sets, reps,
                              level, side, at, wall)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            rid,
            sid,
            record.exercise,
            record.set_number,
            record.of_sets,
            record.reps,
            record.level,
            text(record.side),
            record.at,
            wall,
        ),
    )
    conn.execute(
        """UPDATE session_exercises SET sets_done = sets_done + 1
           WHERE session_id = ? AND exercise = ?""",
        (sid, record.exercise),
    )


def _exercise_done(
    conn: sqlite3.Connection, sid: int, rid: int, record: ExerciseDone, wall: float
) -> None:
    _ensure_exercise(conn, sid, record.exercise, record.sets_planned)
    conn.execute(
        """UPDATE session_exercises SET status = 'done',
                  sets_done = COALESCE(?, sets_done), planned_sets = COALESCE(?, planned_sets)
           WHERE session_id = ? AND exercise = ?""",
        (record.sets_done, record.sets_planned, sid, record.exercise),
    )


def _exercise_skipped(
    conn: sqlite3.Connection, sid: int, rid: int, record: ExerciseSkipped, wall: float
) -> None:
    _ensure_exercise(conn, sid, record.exercise, None)
    conn.execute(
        """UPDATE session_exercises SET status = 'skipped', reason = ?
           WHERE session_id = ? AND exercise = ?""",
        (text(record.reason), sid, record.exercise),
    )


def _pain(conn: sqlite3.Connection, sid: int, rid: int, record: PainRated, wall: float) -> None:
    conn.execute(
        """INSERT INTO pain (record_id, session_id, exercise, rating, timing, at, wall)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (rid, sid, text(record.exercise), record.rating, text(record.when), record.at, wall),
    )


def _pain_corrected(
    conn: sqlite3.Connection, sid: int, rid: int, record: PainCorrected, wall: float
) -> None:
    """The last rating of this exercise with that value was misheard: it goes."""
    conn.execute(
        """DELETE FROM pain WHERE record_id = (
               SELECT record_id FROM pain WHERE session_id = ? AND exercise IS ? AND rating = ?
               ORDER BY record_id DESC LIMIT 1)""",
        (sid, text(record.exercise), record.rating),
    )


def _level_changed(
    conn: sqlite3.Connection, sid: int, rid: int, record: LevelChanged, wall: float
) -> None:
    conn.execute(
        """INSERT INTO level_changes (record_id, session_id, exercise, from_level, to_level,
                                       level_name, at, wall)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            rid,
            sid,
            record.exercise,
            record.from_level,
            record.to_level,
            text(record.level_id),
            record.at,
            wall,
        ),
    )


def _routine_chosen(
    conn: sqlite3.Connection, sid: int, rid: int, record: RoutineChosen, wall: float
) -> None:
    """Chosen before the first set: the session's plan is the chosen routine's."""
    conn.execute("UPDATE sessions SET program = ? WHERE id = ?", (record.program, sid))
    conn.execute("DELETE FROM session_exercises WHERE session_id = ?", (sid,))
    for position, exercise in enumerate(record.exercises):
        conn.execute(
            """INSERT INTO session_exercises
               (session_id, position, exercise, planned_sets, level_start)
               VALUES (?, ?, ?, ?, ?)""",
            (sid, position, exercise, int(record.planned_sets.get(exercise, 0)),
             record.levels.get(exercise)),
        )


def _side_chosen(
    conn: sqlite3.Connection, sid: int, rid: int, record: SideChosen, wall: float
) -> None:
    conn.execute("UPDATE sessions SET side = ? WHERE id = ?", (text(record.side), sid))


def _session_finished(
    conn: sqlite3.Connection, sid: int, rid: int, record: SessionFinished, wall: float
) -> None:
    conn.execute(
        "UPDATE sessions SET completed = ?, ended_wall = ?, summary = ? WHERE id = ?",
        (
            1 if record.completed else 0,
            wall,
            json.dumps(record.summary.as_json(), default=jsonable, sort_keys=True),
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


def write_row(
    conn: sqlite3.Connection, session_id: int, record_id: int, record: Record, wall: float
) -> None:
    """The typed table row for ``record``, if its type has a table (paused,
    resumed and settings-changed live in the journal only)."""
    write = _ROW_WRITERS.get(type(record))
    if write is not None:
        write(conn, session_id, record_id, record, wall)


# Each record type that has a table of its own, and the function that writes its row.
_ROW_WRITERS: dict[type, Callable[[sqlite3.Connection, int, int, Any, float], None]] = {
    SetDone: _set_done,
    ExerciseDone: _exercise_done,
    ExerciseSkipped: _exercise_skipped,
    PainRated: _pain,
    PainCorrected: _pain_corrected,
    LevelChanged: _level_changed,
    SideChosen: _side_chosen,
    RoutineChosen: _routine_chosen,
    SessionFinished: _session_finished,
}


def text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    return str(value)


def jsonable(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    if isinstance(value, Mapping):
        return dict(value)
    return str(value)
