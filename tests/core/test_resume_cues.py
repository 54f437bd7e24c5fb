"""Carrying on after a detour: the movement under way is named again before it goes on."""

from __future__ import annotations

import pytest
from core_harness import drive

from coach.core.states import State
from coach.program.model import Side


def _to_lift(into_seconds: float):  # type: ignore[no-untyped-def]
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_said("Lift.")
    d.advance(into_seconds)
    return d


@pytest.mark.parametrize("into_seconds", [0.2, 0.8, 1.5])
def test_go_after_a_pain_pause_says_the_movement_cue(into_seconds: float) -> None:
    """ "it hurts" during "Lift.", then "four", then "go": "3, 2, 1, Lift." and on."""
    d = _to_lift(into_seconds)
    d.hear("it hurts")
    d.hear("four")
    assert d.state is State.PAUSED
    mark = len(d.actions)
    d.hear("go")
    d.advance(8)
    beats = [s.text for s in d.says(mark) if s.at is not None]
    assert beats[:5] == ["3", "2", "1", "Lift.", "Hold."]


@pytest.mark.parametrize("into_seconds", [0.2, 0.8, 1.5])
def test_go_after_a_pause_says_the_movement_cue(into_seconds: float) -> None:
    d = _to_lift(into_seconds)
    mark = d.pause_for(3)
    d.advance(8)
    beats = [s.text for s in d.says(mark) if s.at is not None]
    assert beats[:5] == ["3", "2", "1", "Lift.", "Hold."]


def test_a_rating_is_said_back_once_the_question_after_it_alone_is_asked_again() -> None:
    """ "4" during a set: "Four. That is acceptable. ..." once; the silence after it
    brings the question again without the number, which would sound like a
    second rating."""
    d = _to_lift(0.2)
    mark = len(d.actions)
    d.hear("4")
    d.advance(20)
    said = d.said(mark)
    assert sum(text.startswith("Four.") for text in said) == 1
    assert said[-1] == "Say easier for a lighter version, or go to carry on."
    d.hear("repeat")
    assert d.said()[-1] == "Say easier for a lighter version, or go to carry on."
