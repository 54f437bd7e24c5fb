"""Every intent in every state where it can arrive, against a table of outcomes.

A command that makes no sense in a state leaves the state as it is (and must
not raise); the table lists only the commands that move the session.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from core_harness import Drive, exercise, program

from coach.commands.intents import Intent
from coach.core.resume_point import ResumePoint
from coach.core.states import State

S = State
PHRASE = {
    Intent.NEXT: "next",
    Intent.BACK: "back",
    Intent.REPEAT: "repeat",
    Intent.HARDER: "harder",
    Intent.EASIER: "easier",
    Intent.PAUSE: "pause",
    Intent.GO: "go",
    Intent.STOP: "stop",
    Intent.YES: "yes",
    Intent.NO: "no",
    Intent.LEFT: "left",
    Intent.RIGHT: "right",
    Intent.STATUS: "how many left",
    Intent.HELP: "what can I say",
    Intent.SLOWER: "slower",
    Intent.FASTER: "faster",
    Intent.LOUDER: "louder",
    Intent.QUIETER: "quieter",
    Intent.PAIN: "it hurts",
    Intent.NUMBER: "four",
    Intent.WEEK: "this week",
}
assert set(PHRASE) == set(Intent)


def prog():
    return program(exercise("a", sets=2, reps=3), exercise("b", sets=2, reps=3))


def opening() -> Drive:
    return Drive(prog()).start()


def ask_resume() -> Drive:
    d = Drive(prog(), resume=ResumePoint("b", 1, None)).start()
    d.until_state(S.ASK_RESUME)
    return d


def ask_side() -> Drive:
    d = opening()
    d.until_state(S.ASK_SIDE)
    return d


def plan() -> Drive:
    d = ask_side()
    d.hear("left")
    return d


def intro() -> Drive:
    d = plan()
    d.until_state(S.INTRO)
    return d


def ready() -> Drive:
    d = intro()
    d.until_state(S.READY)
    return d


def working() -> Drive:
    d = ready()
    d.hear("go")
    d.advance(7)
    return d


def resting() -> Drive:
    d = working()
    d.until_state(S.RESTING)
    return d


def paused() -> Drive:
    d = working()
    d.hear("pause")
    return d


def ask_pain() -> Drive:
    d = working()
    d.until_state(S.ASK_PAIN)
    return d


def pain_stopped() -> Drive:
    d = working()
    d.hear("it hurts")
    d.hear("seven")
    return d


def confirm_stop() -> Drive:
    d = working()
    d.hear("stop")
    return d


def summary() -> Drive:
    d = confirm_stop()
    d.hear("yes")
    return d


REACH: dict[State, Callable[[], Drive]] = {
    S.OPENING: opening,
    S.ASK_RESUME: ask_resume,
    S.ASK_SIDE: ask_side,
    S.PLAN: plan,
    S.INTRO: intro,
    S.READY: ready,
    S.WORKING: working,
    S.RESTING: resting,
    S.PAUSED: paused,
    S.ASK_PAIN: ask_pain,
    S.PAIN_STOPPED: pain_stopped,
    S.CONFIRM_STOP: confirm_stop,
    S.SUMMARY: summary,
}
I = Intent
INTERRUPTS = {I.STOP: S.CONFIRM_STOP, I.PAIN: S.ASK_PAIN}
# state -> the intents that move it, and where to. Everything else: stays.
MOVES: dict[State, dict[Intent, State]] = {
    S.OPENING: {**INTERRUPTS, I.PAUSE: S.PAUSED},
    S.ASK_RESUME: {**INTERRUPTS, I.YES: S.ASK_SIDE, I.NO: S.ASK_SIDE},
    S.ASK_SIDE: {**INTERRUPTS, I.LEFT: S.PLAN, I.RIGHT: S.PLAN},
    S.PLAN: {**INTERRUPTS, I.PAUSE: S.PAUSED, I.NEXT: S.INTRO},
    S.INTRO: {**INTERRUPTS, I.PAUSE: S.PAUSED, I.GO: S.WORKING, I.NUMBER: S.PAUSED},
    S.READY: {
        **INTERRUPTS,
        I.PAUSE: S.PAUSED,
        I.GO: S.WORKING,
        I.NEXT: S.INTRO,
        I.BACK: S.INTRO,
        I.REPEAT: S.INTRO,
        I.NUMBER: S.PAUSED,
    },
    S.WORKING: {**INTERRUPTS, I.PAUSE: S.PAUSED, I.NEXT: S.RESTING, I.NUMBER: S.PAUSED},
    S.RESTING: {
        **INTERRUPTS,
        I.PAUSE: S.PAUSED,
        I.GO: S.WORKING,
        I.NEXT: S.WORKING,
        I.NUMBER: S.PAUSED,
    },
    S.PAUSED: {**INTERRUPTS, I.GO: S.WORKING},
    S.ASK_PAIN: {I.STOP: S.CONFIRM_STOP, I.NUMBER: S.INTRO},
    S.PAIN_STOPPED: {**INTERRUPTS, I.EASIER: S.READY, I.NEXT: S.INTRO},
    S.CONFIRM_STOP: {I.YES: S.SUMMARY, I.STOP: S.SUMMARY, I.NO: S.WORKING},
    S.SUMMARY: {I.STOP: S.ENDED},
}


@pytest.mark.parametrize("state", list(REACH), ids=lambda s: s.value)
def test_every_intent_in_every_state(state: State) -> None:
    for intent in Intent:
        d = REACH[state]()
        assert d.state is state, f"could not reach {state}"
        d.hear(PHRASE[intent])
        expected = MOVES[state].get(intent, state)
        assert d.state is expected, (
            f"{intent.value} in {state.value}: {d.state.value}, not {expected.value}"
        )
        d.advance(1.0)  # and time goes on without error
        assert d.session.state is not None


def test_every_state_is_in_the_table() -> None:
    assert set(REACH) | {S.ENDED} == set(State)


HIGH_RATING_MOVES = {
    S.INTRO: S.PAIN_STOPPED,
    S.READY: S.PAIN_STOPPED,
    S.WORKING: S.PAIN_STOPPED,
    S.RESTING: S.PAIN_STOPPED,
    S.PAUSED: S.PAIN_STOPPED,
    S.ASK_PAIN: S.INTRO,
}


@pytest.mark.parametrize("state", list(REACH), ids=lambda s: s.value)
def test_a_high_pain_rating_in_every_state(state: State) -> None:
    d = REACH[state]()
    d.hear("pain seven")
    expected = HIGH_RATING_MOVES.get(state, state)
    assert d.state is expected, f"seven in {state.value}: {d.state.value}, not {expected.value}"
    d.advance(1.0)
