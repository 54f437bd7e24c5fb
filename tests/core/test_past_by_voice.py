"""The past beyond "this week", by voice: the last session, the pain trend, the levels.

The sentences come from the history when the session is made (the session
reads no file); the levels are the session's own, as changed so far.
"""

from __future__ import annotations

from core_harness import drive, exercise, program

from coach.commands.intents import Intent
from coach.commands.parser import load_vocabulary, parse
from coach.core.actions import Say
from coach.core.states import State
from coach.program.model import Side

LAST = "Your last session was yesterday: 2 of 2 exercises done, 5 of 5 sets, pain 2 out of 10."
TREND = "Over 3 weeks, your knee pain went down from 5 to 3."


def _said(actions: list) -> list[str]:  # type: ignore[type-arg]
    return [a.text for a in actions if isinstance(a, Say)]


def test_the_phrases_are_their_intents() -> None:
    vocab = load_vocabulary()
    for text, intent in (("last session", Intent.LAST_SESSION),
                         ("How did I do last time?", Intent.LAST_SESSION),
                         ("my pain trend", Intent.PAIN_TREND), ("How is my pain?", Intent.PAIN_TREND),
                         ("my levels", Intent.MY_LEVELS), ("What are my levels?", Intent.MY_LEVELS),
                         ("what are the levels", Intent.LEVELS), ("pain seven", Intent.NUMBER)):
        command = parse(text, vocab)
        assert command is not None and command.intent is intent, text


def test_the_last_session_and_the_trend_are_said_before_a_set() -> None:
    d = drive(side=Side.LEFT, last_session=LAST, pain_trend=TREND).start()
    assert _said(d.hear("last session")) == [LAST]
    assert d.state is State.OPENING
    d.to_ready()
    assert _said(d.hear("my pain trend")) == [TREND]
    assert d.state is State.READY


def test_without_history_each_says_there_is_none_yet() -> None:
    d = drive(side=Side.LEFT).start()
    none = "There are no past sessions to look back on yet."
    assert _said(d.hear("last session")) == [none]
    assert _said(d.hear("how is my pain")) == [none]


def test_my_levels_names_each_exercise_and_its_level_as_changed_today() -> None:
    prog = program(exercise("raise", levels=3, default_level=1), exercise("squat", levels=2),
                   exercise("step", levels=1, default_level=0))
    d = drive(prog, side=Side.LEFT, levels={"squat": 0}).start()
    d.to_ready()
    said = _said(d.hear("my levels"))
    # An exercise with one level only has no level to reach: it is left out.
    assert said == ["Your levels: raise exercise, level 1; squat exercise, level 0."]
    d.hear("harder")
    assert _said(d.hear("my levels")) == [
        "Your levels: raise exercise, level 2; squat exercise, level 0."]


def test_none_of_them_is_said_over_a_count() -> None:
    d = drive(side=Side.LEFT, last_session=LAST, pain_trend=TREND).start()
    d.to_ready()
    d.hear("go")
    d.until_said("Lift.")
    for text in ("last session", "my pain trend", "my levels"):
        assert _said(d.hear(text)) == ["That does not work during a set."]
    assert d.state is State.WORKING


def test_at_a_question_they_are_answered_and_the_question_waits() -> None:
    d = drive(last_session=LAST).start()
    d.until_state(State.ASK_SIDE)
    said = _said(d.hear("last session"))
    assert said == [LAST]
    assert d.state is State.ASK_SIDE
