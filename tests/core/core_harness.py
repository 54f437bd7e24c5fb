"""Small programs built in code, and a session of one on the package's harness (coach.runtime.scripted_session)."""

from __future__ import annotations

from typing import Any

from coach.spoken_text import load_lines
from coach.core.session import Session
from coach.program.model import (
    Dose,
    DoseChange,
    Exercise,
    Level,
    Pattern,
    Phase,
    Program,
    SafetyNote,
    Step,
)
from coach.settings import Settings
from coach.runtime.scripted_session import SessionHarness

TICK = 0.05


def exercise(
    ex_id: str = "raise",
    *,
    sets: int = 2,
    reps: int = 3,
    rest: float = 20.0,
    phases: tuple[Phase, ...] = (
        Phase("Lift.", 2.0),
        Phase("Hold.", 2.0, True),
        Phase("Lower.", 2.0),
    ),
    pattern: Pattern = Pattern.ONE_SIDE,
    levels: int = 3,
    default_level: int = 1,
    short_cue: str = "Lift your {side} leg.",
) -> Exercise:
    ladder = tuple(
        Level(f"l{i}", f"level {i}", f"Now level {i}.", DoseChange(hold_seconds=None))
        for i in range(levels)
    )
    return Exercise(
        id=ex_id,
        name=f"{ex_id} exercise",
        why=f"The {ex_id} helps your knee.",
        targets="thigh",
        helps=("oa",),
        equipment=(),
        steps=(
            Step(f"{ex_id} step one, {{side}} leg."),
            Step(f"{ex_id} step two."),
            Step(f"{ex_id} step three."),
        ),
        dose=Dose(sets=sets, reps=reps, rest_seconds=rest, phases=phases, pattern=pattern),
        levels=ladder,
        default_level=default_level,
        short_cue=short_cue,
    )


def program(*exercises: Exercise) -> Program:
    return Program(
        id="test",
        title="Test routine",
        summary="A test.",
        conditions=(),
        safety=(SafetyNote("Stop if it hurts sharply."),),
        exercises=exercises or (exercise(),),
        credit="tests",
        sources=(),
    )


def drive(prog: Program | None = None, **kwargs: Any) -> SessionHarness:
    """A session of ``prog`` (the small test program by default) on the package's harness."""
    kwargs.setdefault("settings", Settings())
    kwargs.setdefault("lines", load_lines())
    return SessionHarness(Session(prog if prog is not None else program(), **kwargs),
                          tick_seconds=TICK)
