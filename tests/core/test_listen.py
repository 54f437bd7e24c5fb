"""Listen: the session says what to listen for, when that changes, from one place."""

from __future__ import annotations

import itertools
from dataclasses import replace

from core_harness import drive, exercise, program

from coach.commands.intents import Intent
from coach.core.actions import Action, Listen, Say
from coach.core.expect import ALWAYS, COMMANDS, CORRECTIONS, expected_intents
from coach.core.resume_point import ResumePoint
from coach.core.session import Session
from coach.core.states import State
from coach.program.model import Side
from coach.settings import Settings
from coach.runtime.scripted_session import SessionHarness
from coach.spoken_text import load_lines

SIDES = frozenset({Intent.LEFT, Intent.RIGHT})


def listens(actions: list[Action]) -> list[Listen]:
    """The Listen actions, without their focus and answers (checked on their own
    where they matter)."""
    return [replace(a, focus=None, answers=frozenset()) for a in actions if isinstance(a, Listen)]


def last(d: SessionHarness) -> Listen:
    return replace(d.listens()[-1], focus=None, answers=frozenset())


def heard(d: SessionHarness, text: str) -> list[Listen]:
    return listens(d.hear(text))


def test_the_start_says_what_fits_the_opening() -> None:
    actions = Session(program(), settings=Settings(), lines=load_lines()).start(0.0)
    assert listens(actions) == [Listen(COMMANDS | SIDES, "")]
    assert replace(actions[-1], focus=None) == Listen(COMMANDS | SIDES, "")  # last of all
    known = Session(program(), settings=Settings(), side=Side.LEFT, lines=load_lines()).start(0.0)
    assert listens(known) == [Listen(COMMANDS, "")]  # the knee is settled: no left, no right


def test_each_question_carries_its_line_and_its_answers() -> None:
    d = drive(program(exercise("a", sets=1, reps=2)), resume=ResumePoint("a", 1, None)).start()
    d.until_state(State.ASK_RESUME)
    offer = "You stopped during the a exercise, set 1. Carry on from there?"
    # A question takes its answers, and every command besides (told what to say).
    assert last(d) == Listen(
        frozenset({Intent.YES, Intent.NO}) | COMMANDS | SIDES, offer
    )
    assert heard(d, "no") == [Listen(COMMANDS | SIDES, "Which knee hurts, left or right?")]
    assert heard(d, "left") == [Listen(COMMANDS, "")]  # the plan is read out
    d.until_state(State.READY)
    assert last(d) == Listen(COMMANDS, "Say go when you are ready.")
    # counting: no question open, and "Start." written for "stop" is taken as stop
    assert heard(d, "go") == [Listen(COMMANDS, "", sound_alikes=frozenset({Intent.STOP}))]
    d.until_state(State.ASK_PAIN)
    assert last(d) == Listen(
        frozenset({Intent.NUMBER}) | COMMANDS, "How is your knee, from zero to ten?"
    )
    # Most likely said there: the rating, and what always works (a grammar engine's
    # whole grammar; what a transcribing engine tries again with).
    assert d.listens()[-1].focus == frozenset({Intent.NUMBER}) | ALWAYS
    # Its own answer: all a word told by its sound alone may give there.
    assert d.listens()[-1].answers == frozenset({Intent.NUMBER})



def test_stop_and_carry_on_tell_the_listener_each_time() -> None:
    d = drive(program(exercise("a", sets=2, reps=3)), side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.advance(7)
    assert heard(d, "stop") == [
        Listen(frozenset({Intent.YES, Intent.NO}) | COMMANDS, "Stopping. End the session?",
               decisive=frozenset({Intent.YES, Intent.STOP}))  # they end it: taken when sure
    ]
    counting = Listen(COMMANDS, "", sound_alikes=frozenset({Intent.STOP}))
    assert heard(d, "no") == [counting]
    assert heard(d, "pause") == [Listen(COMMANDS, "Paused. Say go when you are ready.")]
    assert heard(d, "go") == [counting]


def test_nothing_is_said_twice_and_nothing_changes_unsaid() -> None:
    """Over a whole session with detours: no Listen repeats the one before it, and
    after every event the last one emitted is what fits the moment."""
    d = drive(program(exercise("a", sets=2, reps=3), exercise("b", sets=1, reps=2))).start()
    checked = 0

    def check() -> None:
        nonlocal checked
        told = d.listens()
        assert told[-1] == d.session.listening()
        fits = expected_intents(d.state, d.session.side_open)
        # Just after a rating, "no" and the numbers are listened for too (a correction).
        assert told[-1].intents in (fits, fits | CORRECTIONS)
        checked += 1

    for text in ["left", "next", "pause", "go", "repeat", "go", "how many left", "it hurts"]:
        d.advance(3)
        check()
        d.hear(text)
        check()
    answers = {
        State.ASK_PAIN: ["seven", "four", "two"],
        State.READY: ["go", "stop", "go"],
        State.CONFIRM_STOP: ["no"],
        State.PAUSED: ["go"],
        State.PAIN_STOPPED: ["easier"],
    }
    for _ in range(2000):
        if d.runner.ended:
            break
        said = answers.get(d.state)
        if said:
            d.hear(said.pop(0) if len(said) > 1 else said[0])
            check()
        d.advance(1.0)
        check()
    assert d.runner.ended
    told = d.listens()
    assert all(one != other for one, other in itertools.pairwise(told))
    assert checked > 100 and len(told) > 15
    questions = {listen.question for listen in told}
    assert {"Stopping. End the session?", "Paused. Say go when you are ready."} <= questions
    assert "Say easier to try a lighter version, or next to skip it." in questions


def test_ticks_that_change_nothing_emit_nothing() -> None:
    d = drive(program(exercise("a", sets=2, reps=3)), side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    mark = len(d.actions)
    d.advance(10)  # beats are said; what fits the moment stays the same
    assert any(isinstance(a, Say) for _, a in d.actions[mark:])
    assert not [a for _, a in d.actions[mark:] if isinstance(a, Listen)]


def test_a_question_said_again_is_not_a_change() -> None:
    d = drive(program(exercise("a", sets=2, reps=3)), side=Side.LEFT).start()
    d.to_ready()
    mark = len(d.actions)
    d.advance(20)  # the re-prompt after a silence
    d.hear("repeat")  # the instructions again: the prompt closes while they are read
    assert [text for text in d.said(mark) if text == "Say go when you are ready."]
    told = listens([a for _, a in d.actions[mark:]])
    assert told == [Listen(COMMANDS, "")]
