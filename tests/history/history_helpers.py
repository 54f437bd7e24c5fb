"""Test helpers for history: a scribe that writes session records through the
real HistorySink, at dates the test chooses."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from coach.core.actions import Log
from coach.core.pain import PainWhen
from coach.core.records import (
    ExerciseDone,
    LevelChanged,
    PainRated,
    Record,
    SessionFinished,
    SessionStarted,
    SessionSummary,
    SetDone,
)
from coach.history import HistorySink
from coach.program.model import Side

DAY = 86_400.0  # s
# Monday 2 March 2026, 09:00 UTC: every test places its sessions relative to this.
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc).timestamp()
PROGRAM = "medial-knee"
HERE = Path(__file__).resolve().parent


def nothing_done(completed: bool, program: str = PROGRAM) -> SessionSummary:
    """A summary with no exercise in it: what these tests write at a session's end."""
    return SessionSummary(program=program, side=None, completed=completed, started_at=0.0,
                          ended_at=0.0, duration_seconds=0.0, exercises=(), pain=(),
                          level_changes=(), levels={})


@dataclass
class WallClock:
    """The wall clock the sink stamps records with, set by the test."""

    value: float = T0

    def __call__(self) -> float:
        return self.value


@dataclass
class Scribe:
    """Writes Log records the way the session emits them, one second apart."""

    sink: HistorySink
    wall: WallClock
    at: float = 0.0  # s on the session clock
    planned: dict[str, int] = field(default_factory=dict)

    def log(self, kind: type[Record], **fields: Any) -> None:
        """A record of type ``kind``, one second after the last."""
        self.at += 1.0
        self.wall.value += 1.0
        assert self.sink(Log(kind(at=self.at, **fields)), self.at) == []

    def start(
        self,
        day: float,
        planned: dict[str, int],
        *,
        levels: dict[str, int] | None = None,
        side: str | None = "left",
        program: str = PROGRAM,
    ) -> None:
        self.wall.value = T0 + day * DAY
        self.at = 0.0
        self.planned = dict(planned)
        self.log(
            SessionStarted,
            program=program,
            side=None if side is None else Side(side),
            exercises=tuple(planned),
            planned_sets=dict(planned),
            levels=dict(levels or {}),
        )

    def sets(self, exercise: str, first: int, last: int, *, level: int = 1) -> None:
        for n in range(first, last + 1):
            self.log(
                SetDone,
                exercise=exercise,
                set_number=n,
                of_sets=self.planned[exercise],
                reps=10,
                level=level,
                side=Side.LEFT,
            )

    def exercise(self, exercise: str, *, level: int = 1, sets: int | None = None) -> None:
        """All planned sets (or ``sets`` of them), then exercise-done."""
        planned = self.planned[exercise]
        done = planned if sets is None else sets
        self.sets(exercise, 1, done, level=level)
        self.log(ExerciseDone, exercise=exercise, sets_done=done, sets_planned=planned)

    def pain(self, exercise: str, rating: int, when: str = "after-exercise") -> None:
        self.log(PainRated, exercise=exercise, rating=rating, when=PainWhen(when))

    def level(self, exercise: str, start: int, to: int, name: str) -> None:
        self.log(LevelChanged, exercise=exercise, from_level=start, to_level=to, level_id=name)

    def end(self, completed: bool = True) -> None:
        self.log(SessionFinished, completed=completed, summary=nothing_done(completed))

    def whole_session(
        self, day: float, *, pain: int | None = None, planned: dict[str, int] | None = None
    ) -> None:
        """A complete session of two exercises, with one pain rating after the last."""
        planned = planned or {"straight-leg-raise": 3, "wall-squat": 2}
        self.start(day, planned)
        for exercise in planned:
            self.exercise(exercise)
        if pain is not None:
            self.pain(list(planned)[-1], pain)
        self.end()


def killed_in_a_set() -> None:
    """A writer killed (SIGKILL) in the middle of a set: its last records stay in the -wal file."""
    proc = subprocess.Popen(
        [sys.executable, str(HERE / "writer.py"), "crash"], stdout=subprocess.PIPE, text=True,
        cwd=HERE.parents[1],
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "in-set"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
        if proc.stdout is not None:
            proc.stdout.close()
