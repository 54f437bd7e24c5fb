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
