"""Where to carry on after a session that was cut off (no session-ended record).

The point is worked out by replaying the cut-off session's journal: the set
after the last set done, or the next exercise once the last one was finished
or skipped. A newer session resolves older unfinished ones; when that newer
one was itself cut off before any set was done, the offer falls back to the
session it took over from, so a second crash does not lose the place.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from coach.core.resume_point import ResumePoint
from coach.history.names import exercise_name
from coach.history.phrases import phrase
from coach.history.read import Reader, program_filter
from coach.program.model import Program, Side

HOUR_SECONDS = 3600.0


@dataclass(frozen=True)
class Interruption:
    session_id: int
    program: str
    point: ResumePoint
    of_sets: int | None  # sets planned for that exercise, when known
    where: str  # spoken: "the wall squat, set 2 of 3"
    offer: str  # spoken: the whole offer to carry on
    last_wall: float  # s since the Unix epoch: the session's last record


def find_interruption(
    reader: Reader,
    program_id: str | None = None,
    *,
    program: Program | None = None,
    now: float | None = None,
    within_hours: float | None = None,
) -> Interruption | None:
    """The place to offer carrying on from, if the latest session was cut off.

    With ``now`` and ``within_hours``, a cut-off older than that is not
    offered (yesterday's half session is a new day's fresh start).
    """
    which, params = program_filter(program_id)  # never the demo's, unless asked by id
    rows = reader.query(f"SELECT id FROM sessions WHERE {which} ORDER BY id DESC LIMIT 1", params)
    session_id: int | None = int(rows[0][0]) if rows else None
    while session_id is not None:
        head = reader.query(
            "SELECT program, side, completed, last_wall FROM sessions WHERE id = ?",
            (session_id,),
        )[0]
        if head[2] is not None:
            return None  # it ended: nothing to carry on
        replay = _replay(reader, session_id)
        if replay.progressed:
            point = replay.next_point()
            if point is None or not _still_in(program, point[0]):
                return None
            too_old = (
                now is not None
                and within_hours is not None
                and now - float(head[3]) > within_hours * HOUR_SECONDS
            )
            if too_old:
                return None
            return _describe(session_id, head, point, replay, program)
        older = reader.query(
            "SELECT MAX(id) FROM sessions WHERE resolved_by = ? AND completed IS NULL",
            (session_id,),
        )
        session_id = older[0][0] if older and older[0][0] is not None else None
    return None


def _still_in(program: Program | None, exercise_id: str) -> bool:
    """Whether the program (if given) still has the exercise: it may have been edited."""
    if program is None:
        return True
    return any(ex.id == exercise_id for ex in program.exercises)


@dataclass
class _Replay:
    order: list[str]
    planned: dict[str, int]
    finished: set[str]  # done or skipped
    last_exercise: str | None = None
    last_set: int = 0
    last_of: int | None = None
    progressed: bool = False

    def next_point(self) -> tuple[str, int, int | None] | None:
        """(exercise, set number, sets planned) to start at, or None when all is done."""
        ex = self.last_exercise
        if ex is not None and ex not in self.finished:
            of = self.last_of or self.planned.get(ex) or None
            if of is None or self.last_set < of:
                return ex, self.last_set + 1, of
        start = self.order.index(ex) + 1 if ex in self.order else 0
        for candidate in self.order[start:]:
            if candidate not in self.finished:
                return candidate, 1, self.planned.get(candidate) or None
        return None


def _replay(reader: Reader, session_id: int) -> _Replay:
    replay = _Replay(order=[], planned={}, finished=set())
    for (body,) in reader.query(
        "SELECT body FROM records WHERE session_id = ? ORDER BY id", (session_id,)
    ):
        record: dict[str, Any] = json.loads(body)
        kind = record.get("kind")
        exercise = str(record.get("exercise", ""))
        if kind in ("session-started", "routine-chosen"):  # the plan, or the one chosen
            replay.order = [str(exercise) for exercise in record.get("exercises") or ()]
            planned = record.get("planned_sets") or {}
            replay.planned = {str(exercise): int(sets) for exercise, sets in planned.items()}
        elif kind == "set-done":
            replay.last_exercise = exercise
            replay.last_set = int(record.get("set", 0))
            of = record.get("of")
            replay.last_of = int(of) if isinstance(of, int) else None
            replay.progressed = True
        elif kind in ("exercise-done", "exercise-skipped"):
            replay.finished.add(exercise)
            replay.last_exercise, replay.last_set, replay.last_of = exercise, 0, None
            replay.progressed = True
    return replay


def _describe(
    session_id: int,
    head: tuple[Any, ...],
    point: tuple[str, int, int | None],
    replay: _Replay,
    program: Program | None,
) -> Interruption:
    exercise_id, set_number, of_sets = point
    name = exercise_name(exercise_id, program)
    if of_sets:
        where = phrase("resume_where", exercise=name, set_number=set_number, of_sets=of_sets)
    else:
        where = phrase("resume_where_unsized", exercise=name, set_number=set_number)
    try:
        side = Side(head[1]) if head[1] is not None else None
    except ValueError:
        side = None
    return Interruption(
        session_id=session_id,
        program=str(head[0]),
        point=ResumePoint(exercise_id=exercise_id, set_number=set_number, side=side),
        of_sets=of_sets,
        where=where,
        offer=phrase("resume_offer", where=where),
        last_wall=float(head[3]),
    )
