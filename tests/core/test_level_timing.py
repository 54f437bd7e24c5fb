"""A level changed during a set says truthfully when it applies."""

from __future__ import annotations

from core_harness import drive, exercise, program

from coach.core.states import State
from coach.program.model import Side


def _in_set(sets: int):  # type: ignore[no-untyped-def]
    d = drive(program(exercise(sets=sets)), side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_said("Lift.")
    return d


def test_harder_in_the_only_set_applies_next_session() -> None:
    d = _in_set(1)
    said = [a.text for a in d.hear("harder") if hasattr(a, "text")]
    assert said == ["Harder: level 2. This starts next session."]  # one line, no cue


def test_harder_in_the_first_of_two_sets_applies_with_the_next_set() -> None:
    d = _in_set(2)
    said = [a.text for a in d.hear("harder") if hasattr(a, "text")]
    assert said == ["Harder: level 2. This starts with the next set."]


def test_easier_during_the_rest_before_the_last_set_applies_with_it() -> None:
    d = _in_set(2)
    d.until_state(State.RESTING)
    said = [a.text for a in d.hear("easier") if hasattr(a, "text")]
    assert "This starts with the next set." in said
