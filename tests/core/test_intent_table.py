"""The dispatch table, checked against what the session really does.

Every intent is said in every state it can arrive in. Where ``dispatch.TABLE``
gives the intent no entry, it must be ignored quietly: no word, no record,
no move. Where it has one, the session must end up where the entry says it
may lead (``MOVES`` below picks the one each scenario reaches), an answer
must silence its question first, and time must go on from there as the
transitions allow.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from core_harness import drive, exercise, program

from coach.commands.intents import Intent
from coach.core import transitions
from coach.core.actions import Say, StopSpeaking
from coach.core.dispatch import ANSWERED_BY, TABLE, entry_for
from coach.core.events import Heard, Tick
from coach.core.parts.rating_check import CORRECTION_SECONDS
from coach.core.resume_point import ResumePoint
from coach.core.states import State
from coach.core.transitions import TRANSITIONS
from coach.errors import CoachError
from coach.runtime.scripted_session import SessionHarness

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
    Intent.SKIP_EXERCISE: "skip this exercise",
    Intent.ABOUT: "what do I need",
    # Choosing today's routine, before the first set.
    Intent.ROUTINES: "which routines",
    Intent.CHOOSE: "meniscus tear",
    Intent.LEVELS: "what are the levels",
    Intent.LAST_SESSION: "last session",
    Intent.PAIN_TREND: "my pain trend",
    Intent.MY_LEVELS: "my levels",
    Intent.SIMPLE_VOICE: "simple voice",
    Intent.NATURAL_VOICE: "natural voice",
    Intent.TALK_LESS: "talk less",
    Intent.MORE_DETAIL: "more detail",
    Intent.TONES_ON: "tones on",
    Intent.TONES_OFF: "tones off",
}
assert set(PHRASE) == set(Intent)


def prog():
    return program(exercise("a", sets=2, reps=3), exercise("b", sets=2, reps=3))


def opening() -> SessionHarness:
    return drive(prog()).start()


def ask_resume() -> SessionHarness:
    d = drive(prog(), resume=ResumePoint("b", 1, None)).start()
    d.until_state(State.ASK_RESUME)
    return d


def ask_side() -> SessionHarness:
    d = opening()
    d.until_state(State.ASK_SIDE)
    return d


def plan() -> SessionHarness:
    d = ask_side()
    d.hear("left")
    return d


def intro() -> SessionHarness:
    d = plan()
    d.until_state(State.INTRO)
    return d


def ready() -> SessionHarness:
    d = intro()
    d.until_state(State.READY)
    return d


def working() -> SessionHarness:
    d = ready()
    d.hear("go")
    d.advance(7)
    return d


def resting() -> SessionHarness:
    d = working()
    d.until_state(State.RESTING)
    return d


def paused() -> SessionHarness:
    d = working()
    d.hear("pause")
    return d


def ask_pain() -> SessionHarness:
    d = working()
    d.until_state(State.ASK_PAIN)
    return d


def pain_stopped() -> SessionHarness:
    d = working()
    d.hear("it hurts")
    d.hear("seven")
    d.advance(CORRECTION_SECONDS + 1)  # the rating stands: the table alone decides from here
    return d


def confirm_stop() -> SessionHarness:
    d = working()
    d.hear("stop")
    return d


def summary() -> SessionHarness:
    d = confirm_stop()
    d.hear("yes")
    return d


REACH: dict[State, Callable[[], SessionHarness]] = {
    State.OPENING: opening,
    State.ASK_RESUME: ask_resume,
    State.ASK_SIDE: ask_side,
    State.PLAN: plan,
    State.INTRO: intro,
    State.READY: ready,
    State.WORKING: working,
    State.RESTING: resting,
    State.PAUSED: paused,
    State.ASK_PAIN: ask_pain,
    State.PAIN_STOPPED: pain_stopped,
    State.CONFIRM_STOP: confirm_stop,
    State.SUMMARY: summary,
}
INTERRUPTS = {Intent.STOP: State.CONFIRM_STOP, Intent.PAIN: State.ASK_PAIN}
SKIPS = {Intent.SKIP_EXERCISE: State.INTRO}  # to the next exercise
# state -> the intents that answer its question: what is left of it is silenced first.
ANSWERS: dict[State, frozenset[Intent]] = {
    State.ASK_SIDE: frozenset({Intent.LEFT, Intent.RIGHT}),
    State.ASK_RESUME: frozenset({Intent.YES, Intent.NO}),
    State.CONFIRM_STOP: frozenset({Intent.YES, Intent.NO, Intent.STOP}),
    State.ASK_PAIN: frozenset({Intent.NUMBER}),
    State.READY: frozenset({Intent.GO, Intent.NEXT}),
    State.PAUSED: frozenset({Intent.GO}),
    State.PAIN_STOPPED: frozenset({Intent.NEXT, Intent.EASIER, Intent.SKIP_EXERCISE}),
}
# state -> the intents that move it, and where to. Everything else: stays.
MOVES: dict[State, dict[Intent, State]] = {
    State.OPENING: {**INTERRUPTS, Intent.PAUSE: State.PAUSED},
    State.ASK_RESUME: {**INTERRUPTS, Intent.YES: State.ASK_SIDE, Intent.NO: State.ASK_SIDE},
    State.ASK_SIDE: {**INTERRUPTS, Intent.LEFT: State.PLAN, Intent.RIGHT: State.PLAN},
    State.PLAN: {**INTERRUPTS, Intent.PAUSE: State.PAUSED, Intent.NEXT: State.INTRO},
    State.INTRO: {**INTERRUPTS, **SKIPS, Intent.PAUSE: State.PAUSED, Intent.GO: State.WORKING, Intent.NUMBER: State.PAUSED},
    State.READY: {
        **INTERRUPTS,
        **SKIPS,
        Intent.PAUSE: State.PAUSED,
        Intent.GO: State.WORKING,
        Intent.NEXT: State.INTRO,
        Intent.BACK: State.INTRO,
        Intent.REPEAT: State.INTRO,
        Intent.NUMBER: State.PAUSED,
    },
    State.WORKING: {**INTERRUPTS, **SKIPS, Intent.PAUSE: State.PAUSED, Intent.NEXT: State.RESTING, Intent.NUMBER: State.PAUSED},
    State.RESTING: {
        **INTERRUPTS,
        **SKIPS,
        Intent.PAUSE: State.PAUSED,
        Intent.GO: State.WORKING,
        Intent.NEXT: State.WORKING,
        Intent.NUMBER: State.PAUSED,
    },
    State.PAUSED: {**INTERRUPTS, **SKIPS, Intent.GO: State.WORKING},
    State.ASK_PAIN: {Intent.STOP: State.CONFIRM_STOP, Intent.NUMBER: State.INTRO},
    State.PAIN_STOPPED: {**INTERRUPTS, **SKIPS, Intent.EASIER: State.READY, Intent.NEXT: State.INTRO},
    State.CONFIRM_STOP: {Intent.YES: State.SUMMARY, Intent.STOP: State.SUMMARY, Intent.NO: State.WORKING},
    State.SUMMARY: {Intent.STOP: State.ENDED},
}


@pytest.mark.parametrize("state", list(REACH), ids=lambda s: s.value)
def test_every_intent_in_every_state(state: State) -> None:
    for intent in Intent:
        d = REACH[state]()
        assert d.state is state, f"could not reach {state}"
        entry = entry_for(state, intent)
        out = d.hear(PHRASE[intent])
        where = f"{intent.value} in {state.value}"
        expected = MOVES[state].get(intent, state)
        assert d.state is expected, f"{where}: {d.state.value}, not {expected.value}"
        if entry is None:
            # It changes nothing, and is answered with one short line (never silence).
            said = [a for a in out if isinstance(a, Say)]
            assert len(said) == 1 and out == said, f"{where} is not in the table, yet it did {out}"
        else:
            assert d.state in entry.leads_to | {state}, f"{where}: not where the table leads"
            assert entry.answers == (intent in ANSWERS.get(state, ())), where
            if entry.answers:
                assert isinstance(out[0], StopSpeaking), f"{where}: the question goes on"
        d.advance(1.0)  # time goes on, every tick checked against the transitions


def test_every_state_is_in_the_table() -> None:
    assert set(REACH) | {State.ENDED} == set(State) == set(TABLE)


def test_the_answers_each_question_waits_for() -> None:
    assert ANSWERED_BY == ANSWERS


def test_the_moves_expected_here_are_declared_in_the_table() -> None:
    for state, moves in MOVES.items():
        for intent, target in moves.items():
            entry = entry_for(state, intent)
            assert entry is not None and target in entry.leads_to, (state, intent)


def test_a_move_the_tables_do_not_declare_is_refused() -> None:
    go = Heard(Intent.GO, "go", 1.0, 0.0)
    assert State.WORKING in TRANSITIONS[State.READY]
    transitions.check_move(State.READY, State.WORKING, go)
    transitions.check_move(State.READY, State.READY, go)  # staying put is always allowed
    with pytest.raises(CoachError, match="go cannot move the session from ready to summary"):
        transitions.check_move(State.READY, State.SUMMARY, go)
    with pytest.raises(CoachError, match="Tick cannot move the session from working to paused"):
        transitions.check_move(State.WORKING, State.PAUSED, Tick(1.0))


HIGH_RATING_MOVES = {
    State.INTRO: State.PAIN_STOPPED,
    State.READY: State.PAIN_STOPPED,
    State.WORKING: State.PAIN_STOPPED,
    State.RESTING: State.PAIN_STOPPED,
    State.PAUSED: State.PAIN_STOPPED,
    State.ASK_PAIN: State.INTRO,
}


@pytest.mark.parametrize("state", list(REACH), ids=lambda s: s.value)
def test_a_high_pain_rating_in_every_state(state: State) -> None:
    d = REACH[state]()
    d.hear("pain seven")
    expected = HIGH_RATING_MOVES.get(state, state)
    assert d.state is expected, f"seven in {state.value}: {d.state.value}, not {expected.value}"
    d.advance(1.0)
