""" "what do I need": the exercise's equipment and levels, by voice, before a set."""

from __future__ import annotations

from core_harness import drive

from coach.core.actions import Say
from coach.core.states import State
from coach.program.loader import load_bundled
from coach.program.model import Side


def _said(actions: list) -> list[str]:  # type: ignore[type-arg]
    return [a.text for a in actions if isinstance(a, Say)]


def test_at_the_start_prompt_says_equipment_and_levels() -> None:
    d = drive(load_bundled("medial-knee"), side=Side.LEFT).start()
    d.until_state(State.READY, limit=900)
    said = _said(d.hear("what do I need"))
    assert said[0] == "For the straight leg raise you need nothing."
    assert said[1].startswith("Its levels are ") and "You are on " in said[1]


def test_kept_out_of_the_way_during_a_set() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_said("Lift.")
    assert _said(d.hear("what do I need")) == ["That does not work during a set."]


def test_at_the_opening_says_what_the_whole_session_needs() -> None:
    d = drive(load_bundled("medial-knee"), side=Side.LEFT).start()
    assert d.state is State.OPENING
    said = _said(d.hear("what do I need"))
    assert said == ["For today you need a counter or a sturdy chair to hold; a high chair; a "
                    "resistance band or a light ankle weight; a resistance band; the bottom "
                    "step of a staircase; and a smooth, empty wall."]


def test_what_are_the_levels_lists_the_levels_briefly() -> None:
    d = drive(load_bundled("medial-knee"), side=Side.LEFT).start()
    d.until_state(State.READY, limit=900)
    said = _said(d.hear("what are the levels"))
    assert said == ["The straight leg raise has 2 levels: one second hold and two second "
                    "hold. You are on two second hold."]
