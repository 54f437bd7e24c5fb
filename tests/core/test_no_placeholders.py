"""No spoken line ever carries an unfilled template placeholder.

Program text names the leg as ``{side}``/``{other_side}``; whatever path a
line takes to the speaker (repeat, back, resume, status, help, a step re-read,
a level cue), the person must hear "left" or "your sore leg", never a brace.
"""

from __future__ import annotations

import pytest
from core_harness import drive, exercise, program
from test_intent_table import PHRASE, REACH

from coach.commands.intents import Intent
from coach.core.resume_point import ResumePoint
from coach.core.states import State
from coach.runtime.scripted_session import SessionHarness


def braces(d: SessionHarness) -> list[str]:
    return [text for text in d.said() if "{" in text or "}" in text]


@pytest.mark.parametrize("state", list(REACH), ids=lambda s: s.value)
def test_no_placeholder_is_spoken_in_any_state_with_any_intent(state: State) -> None:
    for intent in Intent:
        d = REACH[state]()
        d.hear(PHRASE[intent])
        d.advance(3.0)
        assert not braces(d), f"{intent.value} in {state.value}"


@pytest.mark.parametrize("phrase", ["repeat", "back", "what can I say", "how many left"])
def test_commands_in_a_set_and_a_rest_say_no_placeholder(phrase: str) -> None:
    d = drive(program(exercise("a", sets=2, reps=3))).start()
    d.to_ready()
    d.hear("go")
    d.advance(7)
    assert d.state is State.WORKING
    d.hear(phrase)
    d.until_state(State.RESTING)
    d.hear(phrase)
    d.advance(2)
    assert not braces(d)


def test_repeat_in_a_set_rereads_the_cue_for_the_chosen_leg() -> None:
    d = drive(program(exercise("a", sets=2, reps=3))).start()
    d.to_ready()
    d.hear("go")
    d.advance(7)
    assert d.state is State.WORKING
    said = [a.text for a in d.hear("repeat") if hasattr(a, "text")]
    assert "Lift your left leg." in said


def test_a_resumed_session_says_no_placeholder() -> None:
    prog = program(exercise("a", sets=2, reps=3), exercise("b", sets=2, reps=3))
    d = drive(prog, resume=ResumePoint("b", 2, None)).start()
    d.until_state(State.ASK_RESUME)
    d.hear("yes")
    d.hear("repeat")
    d.until_state(State.ASK_SIDE)
    d.hear("right")
    d.until_state(State.READY)
    for phrase in ("back", "repeat", "go", "repeat", "how many left", "pause", "go", "repeat"):
        d.hear(phrase)
        d.advance(2)
    assert not braces(d)
