"""Sessions as they were, read back from the history file into frozen data.

Everything the rules, the notes and ``coach history`` need comes through
``load_sessions``; they never touch SQL themselves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

# ``coach demo`` records its sessions under "<program>-demo": its "harder"
# must not raise the person's level, nor its answers count as their pain.
DEMO_SUFFIX = "-demo"


class Reader(Protocol):
    """What the reading modules need of the history file: one SELECT at a time.

    ``HistoryStore`` provides it; the modules that read (this one, ``carry``,
    ``interruption``) take any ``Reader``, so they depend on this one method
    and not on the store that calls them.
    """

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """The rows of one SELECT; raises ``HistoryUnavailable`` when the file cannot be read."""
        ...


def is_demo(program_id: str) -> bool:
    return program_id.endswith(DEMO_SUFFIX)


def program_filter(program_id: str | None, *, demo: bool = False) -> tuple[str, tuple[str, ...]]:
    """The SQL condition (and its parameters) that picks sessions of ``sessions``.

    One program's sessions by its id; without one, every program's, the
    person's own or with ``demo`` the demo's: the two are never mixed.
    """
    if program_id is not None:
        return "program = ?", (program_id,)
    return ("program LIKE ?" if demo else "program NOT LIKE ?"), (f"%{DEMO_SUFFIX}",)


@dataclass(frozen=True)
class ExerciseRecord:
    exercise: str
    planned_sets: int
    sets_done: int  # set-done records in this session
    status: str  # "planned" (not finished), "done" or "skipped"
    level_start: int | None  # index into the exercise's levels
    reason: str | None = None  # why it was skipped


@dataclass(frozen=True)
class PainRating:
    exercise: str | None
    rating: int  # 0..10
    when: str | None  # "after-exercise" or "during"
    wall: float | None  # s since the Unix epoch (UTC)


@dataclass(frozen=True)
class LevelChange:
    exercise: str
    from_level: int | None
    to_level: int
    level_name: str | None  # spoken name of the new level, as logged
    wall: float | None  # s since the Unix epoch (UTC)

    @property
    def up(self) -> bool:
        return self.from_level is None or self.to_level > self.from_level


@dataclass(frozen=True)
class SessionRecord:
    id: int
    program: str
    side: str | None
    started_wall: float  # s since the Unix epoch (UTC)
    last_wall: float  # s, the latest record
    duration_seconds: float  # session clock, first record to last
    completed: bool | None  # None: no session-ended record (still running, or cut off)
    resolved_by: int | None  # the later session that took over an unfinished one
    exercises: tuple[ExerciseRecord, ...]
    pain: tuple[PainRating, ...]
    level_changes: tuple[LevelChange, ...]

    @property
    def ended(self) -> bool:
        return self.completed is not None

    @property
    def sets_planned(self) -> int:
        return sum(entry.planned_sets for entry in self.exercises)

    @property
    def sets_done(self) -> int:
        return sum(
            min(entry.sets_done, entry.planned_sets or entry.sets_done) for entry in self.exercises
        )

    @property
    def exercises_done(self) -> int:
        return sum(1 for entry in self.exercises if entry.status == "done")

    @property
    def max_pain(self) -> int | None:
        return max((entry.rating for entry in self.pain), default=None)

    def exercise(self, exercise_id: str) -> ExerciseRecord | None:
        for entry in self.exercises:
            if entry.exercise == exercise_id:
                return entry
        return None


def load_sessions(
    reader: Reader,
    program_id: str | None = None,
    *,
    limit: int | None = None,
    since_wall: float | None = None,
    until_wall: float | None = None,
    demo: bool = False,
) -> list[SessionRecord]:
    """Sessions newest first, of one program or of all (see ``program_filter``),
    optionally within a time window."""
    which, chosen = program_filter(program_id, demo=demo)
    where: list[str] = [which]
    params: list[Any] = list(chosen)
    if since_wall is not None:
        where.append("started_wall >= ?")
        params.append(since_wall)
    if until_wall is not None:
        where.append("started_wall <= ?")
        params.append(until_wall)
    sql = (
        "SELECT id, program, side, started_wall, last_wall, last_at - started_at,"
        " completed, resolved_by FROM sessions"
        + " WHERE " + " AND ".join(where)
        + " ORDER BY started_wall DESC, id DESC"
        + (" LIMIT ?" if limit is not None else "")
    )
    if limit is not None:
        params.append(int(limit))
    heads = reader.query(sql, tuple(params))
    return _with_details(reader, heads)


def load_session(reader: Reader, session_id: int) -> SessionRecord | None:
    heads = reader.query(
        "SELECT id, program, side, started_wall, last_wall, last_at - started_at,"
        " completed, resolved_by FROM sessions WHERE id = ?",
        (session_id,),
    )
    found = _with_details(reader, heads)
    return found[0] if found else None


def _with_details(reader: Reader, heads: Sequence[tuple[Any, ...]]) -> list[SessionRecord]:
    if not heads:
        return []
    ids = tuple(int(head[0]) for head in heads)
    marks = ",".join("?" * len(ids))
    done_sets: dict[tuple[int, str], int] = {}
    for sid, exercise, count in reader.query(
        "SELECT session_id, exercise, COUNT(DISTINCT set_number)"
        f" FROM sets WHERE session_id IN ({marks}) GROUP BY session_id, exercise",
        ids,
    ):
        done_sets[(sid, exercise)] = int(count)
    exercises: dict[int, list[ExerciseRecord]] = defaultdict(list)
    for sid, exercise, planned, status, level, reason in reader.query(
        "SELECT session_id, exercise, planned_sets, status, level_start, reason"
        f" FROM session_exercises WHERE session_id IN ({marks})"
        " ORDER BY session_id, position",
        ids,
    ):
        exercises[sid].append(
            ExerciseRecord(
                exercise, int(planned), done_sets.get((sid, exercise), 0), status, level, reason
            )
        )
    pain: dict[int, list[PainRating]] = defaultdict(list)
    for sid, exercise, rating, when, wall in reader.query(
        "SELECT session_id, exercise, rating, timing, wall"
        f" FROM pain WHERE session_id IN ({marks}) ORDER BY record_id",
        ids,
    ):
        pain[sid].append(PainRating(exercise, int(rating), when, wall))
    changes: dict[int, list[LevelChange]] = defaultdict(list)
    for sid, exercise, from_level, to_level, name, wall in reader.query(
        "SELECT session_id, exercise, from_level, to_level, level_name, wall"
        f" FROM level_changes WHERE session_id IN ({marks}) ORDER BY record_id",
        ids,
    ):
        changes[sid].append(LevelChange(exercise, from_level, int(to_level), name, wall))
    return [
        SessionRecord(
            id=int(sid),
            program=program,
            side=side,
            started_wall=float(started),
            last_wall=float(last),
            duration_seconds=max(0.0, float(duration or 0.0)),
            completed=None if completed is None else bool(completed),
            resolved_by=resolved_by,
            exercises=tuple(exercises[sid]),
            pain=tuple(pain[sid]),
            level_changes=tuple(changes[sid]),
        )
        for sid, program, side, started, last, duration, completed, resolved_by in heads
    ]
