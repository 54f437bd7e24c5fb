"""What has happened so far in a session: the basis of the summary.

Kept apart from the state machine so the summary (spoken and machine-readable)
is built from one record and reads the same whichever way the session ended.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from coach.core.pain import ACCEPTABLE_MAX
from coach.core.records import ExerciseSummary, LevelChanged, PainRated, SessionSummary
from coach.program.model import Program, Side


# A set counts as done when at least this share of its planned reps was done;
# a set ended before that is kept as partial, with its reps.
DONE_SHARE = 0.8


def set_complete(reps_done: int, reps_planned: int) -> bool:
    """Whether a set of ``reps_planned`` reps, ``reps_done`` of them done, counts as done."""
    return reps_done >= math.ceil(DONE_SHARE * reps_planned - 1e-9)


@dataclass(frozen=True)
class ExerciseTally:
    """How far one exercise got this session."""

    sets_done: int = 0  # sets done in full (``set_complete``)
    sets_partial: int = 0  # sets ended early, before enough of their reps
    sets_planned: int = 0
    done: bool = False
    skipped: str | None = None  # reason: "asked", "pain"


class Progress:
    """What was done this session, exercise by exercise, with every pain rating and level change.

    Changed only through its methods, one for each thing that happens; read
    through ``tally``, ``pain`` and ``summary``.
    """

    def __init__(self, program: Program, started_at: float = 0.0) -> None:
        self.program = program
        self._started_at = started_at  # s
        self._exercises: dict[str, ExerciseTally] = {}
        self._pain: list[PainRated] = []
        self._level_changes: list[LevelChanged] = []

    @property
    def started_at(self) -> float:
        return self._started_at

    @property
    def pain(self) -> tuple[PainRated, ...]:
        """Every rating taken this session, in order."""
        return tuple(self._pain)

    def tally(self, exercise_id: str) -> ExerciseTally:
        return self._exercises.get(exercise_id, ExerciseTally())

    def start(self, at: float) -> None:
        """The session began at ``at`` (s)."""
        self._started_at = at

    def plan_sets(self, exercise_id: str, sets: int) -> None:
        """``exercise_id`` is planned to have ``sets`` sets (at its level now)."""
        self._change(exercise_id, sets_planned=sets)

    def set_ended(self, exercise_id: str, *, complete: bool, sets_planned: int) -> None:
        """A set of ``exercise_id`` ended: done in full (``complete``) or partial."""
        tally = self.tally(exercise_id)
        if complete:
            self._change(exercise_id, sets_done=tally.sets_done + 1, sets_planned=sets_planned)
        else:
            self._change(exercise_id, sets_partial=tally.sets_partial + 1,
                         sets_planned=sets_planned)

    def exercise_done(self, exercise_id: str) -> ExerciseTally:
        """``exercise_id`` got to its end; returns its tally."""
        self._change(exercise_id, done=True)
        return self.tally(exercise_id)

    def skipped(self, exercise_id: str, reason: str) -> None:
        """``exercise_id`` was left ("asked": the person said next; "pain")."""
        self._change(exercise_id, skipped=reason)

    def pain_rated(self, rating: PainRated) -> None:
        self._pain.append(rating)

    def level_changed(self, change: LevelChanged) -> None:
        self._level_changes.append(change)

    def anything_done(self) -> bool:
        """Whether a set was done in full, or an exercise finished or skipped."""
        return any(t.sets_done or t.done or t.skipped for t in self._exercises.values())

    def high_pain_count(self) -> int:
        """Ratings above the acceptable limit so far this session."""
        return sum(1 for rating in self._pain if rating.rating > ACCEPTABLE_MAX)

    def _change(self, exercise_id: str, **fields: Any) -> None:
        self._exercises[exercise_id] = replace(self.tally(exercise_id), **fields)

    def summary(
        self, *, side: Side | None, levels: Mapping[str, int], completed: bool, ended_at: float
    ) -> SessionSummary:
        """What was done so far, the session taken as ending at ``ended_at`` (s)."""
        rows = []
        for ex in self.program.exercises:
            tally = self.tally(ex.id)
            level = levels.get(ex.id, ex.default_level)
            rows.append(
                ExerciseSummary(
                    id=ex.id,
                    name=ex.name,
                    sets_done=tally.sets_done,
                    sets_partial=tally.sets_partial,
                    sets_planned=tally.sets_planned,
                    done=tally.done and tally.sets_done > 0,
                    skipped=tally.skipped,
                    level=level,
                    level_id=ex.levels[level].id,
                )
            )
        return SessionSummary(
            program=self.program.id,
            side=side,
            completed=completed,
            started_at=self._started_at,
            ended_at=ended_at,
            duration_seconds=max(0.0, ended_at - self._started_at),
            exercises=tuple(rows),
            pain=tuple(self._pain),
            level_changes=tuple(self._level_changes),
            levels=dict(levels),
        )
