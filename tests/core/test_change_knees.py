"""The knee remembered from last time may be changed until the first set starts, and the coach says so."""

from __future__ import annotations

from core_harness import drive

from coach.core.actions import Say
from coach.core.records import SideChosen
from coach.core.states import State
from coach.program.model import Side


def _said(actions: list) -> list[str]:  # type: ignore[type-arg]
    return [a.text for a in actions if isinstance(a, Say)]


def test_the_opening_says_until_when_the_knee_can_be_changed() -> None:
    d = drive(last_side=Side.LEFT).start()
    d.until_said("Your left knee, as last time. To change it, say left or right before the first set.")


def test_right_said_during_the_first_steps_changes_the_knee() -> None:
    d = drive(last_side=Side.LEFT).start()
    d.until_said("First: raise exercise.")
    assert _said(d.hear("right")) == ["Your right knee. Thank you."]
    assert d.session.side is Side.RIGHT
    assert [r.side for r in d.logs(SideChosen)] == [Side.RIGHT]
    d.until_said("raise step one")
    assert "raise step one, right leg." in d.said()


def test_once_the_first_set_started_the_knee_is_kept() -> None:
    d = drive(last_side=Side.LEFT).start()
    d.until_state(State.READY)
    d.hear("go")
    d.until_said("Lift.")
    d.hear("right")
    assert d.session.side is Side.LEFT
