"""The demo's routine: the real one, shortened so a whole session takes minutes, not forty.

Every exercise keeps its steps, cues, levels and safety lines; each does one
set of three reps, the first two sets with the rest between them, and a
counted hold lasts at most ten seconds, so the demo is a complete good
session in about six minutes: every set done, every exercise reached, the
summary at the end.
"""

from __future__ import annotations

from dataclasses import replace

from coach.program.model import Dose, Program

DEMO_REPS = 3  # a set's reps (at most)
FIRST_SETS = 2  # the first exercise: two sets, to hear a rest
OTHER_SETS = 1
HOLD_SECONDS = 10.0  # s: the longest counted hold (the balance holds 30 s in the routine)


def shortened(program: Program) -> Program:
    """``program`` with each exercise's sets and reps cut down for the demo."""
    exercises = tuple(replace(ex, dose=_short(ex.dose, FIRST_SETS if i == 0 else OTHER_SETS))
                      for i, ex in enumerate(program.exercises))
    return replace(program, exercises=exercises)


def _short(dose: Dose, sets: int) -> Dose:
    phases = tuple(replace(p, seconds=min(p.seconds, HOLD_SECONDS)) if p.counted else p
                   for p in dose.phases)
    return replace(dose, sets=min(dose.sets, sets), reps=min(dose.reps, DEMO_REPS), phases=phases)
