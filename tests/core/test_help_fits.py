"""Help lists what fits the moment, in the order a person needs it."""

from __future__ import annotations

from core_harness import drive

from coach.core.actions import Say
from coach.core.states import State
from coach.program.model import Side


def _help(d) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.text for a in d.hear("help") if isinstance(a, Say)]


def _in_set():  # type: ignore[no-untyped-def]
    d = drive(side=Side.LEFT, week="This week: 2 sessions.").start()
    d.to_ready()
    d.hear("go")
    d.until_said("Lift.")
    return d


def test_help_after_a_pain_pause_offers_easier_first_and_not_the_week() -> None:
    d = _in_set()
    d.hear("it hurts")
    d.hear("four")
    assert d.state is State.PAUSED
    said = _help(d)
    assert said[0] == "Say easier for a lighter version, go to carry on, or stop to end."
    assert not any("this week" in line for line in said)


def test_help_in_a_plain_pause_offers_the_levels_and_not_the_week() -> None:
    d = _in_set()
    d.hear("pause")
    said = _help(d)
    assert said[0] == "Say go to carry on, harder, easier, or stop to end."
    assert not any("this week" in line for line in said)
