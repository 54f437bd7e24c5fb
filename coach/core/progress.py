"""What has happened so far in a session: the basis of the summary.

Kept apart from the state machine so the summary (spoken and machine-readable)
is built from one record and reads the same whichever way the session ended.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import math

from coach.core.pain import ACCEPTABLE_MAX
from coach.spoken_text import Lines
from coach.program.model import Program, Side


# A set counts as done when at least this share of its planned reps was done;
# a set ended before that is kept as partial, with its reps.
DONE_SHARE = 0.8


def set_complete(reps_done: int, reps_planned: int) -> bool:
    """Whether a set of ``reps_planned`` reps, ``reps_done`` of them done, counts as done."""
    return reps_done >= math.ceil(DONE_SHARE * reps_planned - 1e-9)


@dataclass
class ExerciseTally:
    """How far one exercise got this session."""

    sets_done: int = 0  # sets done in full (``set_complete``)
    sets_partial: int = 0  # sets ended early, before enough of their reps
    sets_planned: int = 0
    done: bool = False
    skipped: str | None = None  # reason: "asked", "pain"


@dataclass
class Progress:
    """What was done this session, exercise by exercise, with every pain rating and level change."""

    program: Program
    started_at: float = 0.0  # s
    exercises: dict[str, ExerciseTally] = field(default_factory=dict)
    pain: list[dict[str, Any]] = field(default_factory=list)
    level_changes: list[dict[str, Any]] = field(default_factory=list)

    def tally(self, exercise_id: str) -> ExerciseTally:
        return self.exercises.setdefault(exercise_id, ExerciseTally())

    def high_pain_count(self) -> int:
        """Ratings above the acceptable limit so far this session."""
        return sum(1 for rating in self.pain if rating["rating"] > ACCEPTABLE_MAX)

    def summary(
        self, *, side: Side | None, levels: Mapping[str, int], completed: bool, ended_at: float
    ) -> dict[str, Any]:
        rows = []
        for ex in self.program.exercises:
            tally = self.exercises.get(ex.id, ExerciseTally())
            rows.append(
                {
                    "id": ex.id,
                    "name": ex.name,
                    "sets_done": tally.sets_done,
                    "sets_partial": tally.sets_partial,
                    "sets_planned": tally.sets_planned,
                    "done": tally.done and tally.sets_done > 0,
                    "skipped": tally.skipped,
                    "level": levels.get(ex.id, ex.default_level),
                    "level_id": ex.levels[levels.get(ex.id, ex.default_level)].id,
                }
            )
        return {
            "program": self.program.id,
            "side": side.value if side is not None else None,
            "completed": completed,
            "started_at": self.started_at,
            "ended_at": ended_at,
            "duration_seconds": max(0.0, ended_at - self.started_at),
            "exercises": rows,
            "exercises_done": sum(1 for row in rows if row["done"]),
            "sets_done": sum(row["sets_done"] for row in rows),
            "sets_partial": sum(row["sets_partial"] for row in rows),
            "skipped": [row["id"] for row in rows if row["skipped"]],
            "pain": list(self.pain),
            "level_changes": list(self.level_changes),
            "levels": dict(levels),
        }

    def spoken(self, summary: dict[str, Any], lines: Lines) -> list[str]:
        """The summary read aloud: done or stopped, counts, pain, level changes."""
        out = [lines.get("summary_done" if summary["completed"] else "summary_stopped")]
        out.append(
            lines.get(
                "summary_counts",
                exercises=lines.count("n_exercises", summary["exercises_done"]),
                sets=lines.count("n_sets", summary["sets_done"]),
            )
        )
        if summary["sets_partial"]:
            out.append(lines.count("summary_partial", summary["sets_partial"]))
        skipped = [
            lines.get("summary_skipped_name", name=self.program.exercise(ex_id).name)
            for ex_id in summary["skipped"]
        ]
        if skipped:
            out.append(lines.get("summary_skipped", names=lines.listing(skipped)))
        if self.pain:
            ratings = [str(rating["rating"]) for rating in self.pain]
            out.append(lines.count("summary_pain", len(ratings), ratings=lines.listing(ratings)))
        if self.level_changes:
            changes = [
                lines.get(
                    "summary_level_change",
                    name=self.program.exercise(change["exercise"]).name,
                    direction=lines.get(
                        "summary_harder" if change["to"] > change["from"] else "summary_easier"
                    ),
                )
                for change in self.level_changes
            ]
            out.append(lines.get("summary_levels", changes=lines.listing(changes)))
        out.append(lines.get("goodbye"))
        return out

