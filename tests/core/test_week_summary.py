""""This week" at the start of a session: the history's weekly sentence, on request."""

from __future__ import annotations

from core_harness import drive

from coach.commands.intents import Intent
from coach.commands.parser import load_vocabulary, parse
from coach.core.states import State
from coach.program.model import Side

WEEK = "This week: 3 sessions, 40 of 45 planned sets, pain down from 6 to 4."


def test_the_phrases_are_the_week_intent() -> None:
    vocab = load_vocabulary()
    for text in ("this week", "How am I doing?", "um, how was my week please"):
        command = parse(text, vocab)
        assert command is not None and command.intent is Intent.WEEK, text
    assert all(len(p.split()) >= 2 for p in vocab.phrases()[Intent.WEEK])


def test_asked_in_the_opening_the_week_is_said_and_the_session_goes_on() -> None:
    d = drive(week=WEEK).start()
    said = [getattr(a, "text", "") for a in d.hear("how am I doing")]
    assert said == [WEEK]
    assert d.state is State.OPENING
    d.until_state(State.ASK_SIDE)
    d.hear("left")
    d.until_state(State.READY)
    d.hear("this week")
    assert d.said()[-1] == WEEK


def test_without_history_the_coach_says_there_is_none_yet() -> None:
    d = drive(side=Side.LEFT).start()
    assert [getattr(a, "text", "") for a in d.hear("this week")] == [
        "There are no past sessions to look back on yet."
    ]


def test_not_said_over_a_count() -> None:
    d = drive(week=WEEK, side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.advance(7)
    assert d.state is State.WORKING
    said = [a.text for a in d.hear("this week") if hasattr(a, "text")]
    assert said == ["That does not work during a set."]  # the week is not read over a count


def test_help_at_the_start_mentions_it() -> None:
    d = drive(week=WEEK, side=Side.LEFT).start()
    assert "To hear how your week has gone, say this week." in [
        getattr(a, "text", "") for a in d.hear("what can I say")
    ]
