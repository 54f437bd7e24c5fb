"""A command that is not an answer to the open question is told at once what to say."""

from __future__ import annotations

import pytest
from core_harness import drive, exercise, program

from coach.core.resume_point import ResumePoint
from coach.core.states import State
from coach.program.model import Side
from coach.runtime.scripted_session import SessionHarness


def reply(d: SessionHarness, text: str) -> list[str]:
    """What the coach says at once to ``text``."""
    mark = len(d.actions)
    d.hear(text)
    return d.said(mark)


@pytest.mark.parametrize("said", ["go", "next", "harder", "pause", "back", "easier", "seven"])
def test_which_knee_hears_what_to_say(said: str) -> None:
    d = drive(program()).start()
    d.until_state(State.ASK_SIDE)
    assert reply(d, said) == ["Please say left or right."]
    assert d.state is State.ASK_SIDE  # still waiting for the knee
    d.hear("left")
    assert d.state is State.PLAN


def test_the_other_questions_say_what_they_take() -> None:
    d = drive(program(exercise("a", sets=1, reps=1)), side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_state(State.ASK_PAIN)
    assert reply(d, "go") == ["Please say a number from zero to ten."]
    assert reply(d, "eleven") == ["Please say a number from zero to ten."]
    assert d.state is State.ASK_PAIN
    d.hear("stop")
    assert reply(d, "next") == ["Please say yes or no."]
    assert d.state is State.CONFIRM_STOP
    r = drive(program(exercise("a")), resume=ResumePoint("a", 1, Side.LEFT)).start()
    r.until_state(State.ASK_RESUME)
    assert reply(r, "pause") == ["Please say yes or no."]
    assert r.state is State.ASK_RESUME


def test_help_offers_only_the_levels_there_are_to_move_to() -> None:
    d = drive(program(exercise("a", sets=2, reps=6, levels=3, default_level=1)),
              side=Side.LEFT).start()
    d.to_ready()
    assert reply(d, "help")[0] == "You can say go, repeat, back, next, skip this exercise, what do I need, harder, easier, or stop."
    d.hear("easier")  # now on the easiest level
    assert reply(d, "help")[0] == "You can say go, repeat, back, next, skip this exercise, what do I need, harder, or stop."
    d.hear("go")
    d.advance(8)
    assert reply(d, "help")[0] == "You can say pause, harder, how many left, it hurts, or stop."
    d.hear("harder")
    d.hear("harder")  # the hardest
    assert reply(d, "help")[0] == "You can say pause, easier, how many left, it hurts, or stop."


def test_help_after_a_high_rating_on_the_easiest_level_offers_only_skipping() -> None:
    d = drive(program(exercise("a", levels=2, default_level=0)), side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.advance(8)
    d.hear("pain eight")
    assert d.state is State.PAIN_STOPPED
    assert reply(d, "help")[0] == "Say next, or stop."
