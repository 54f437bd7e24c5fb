"""Every command heard gets an answer: nothing a person says is met with silence."""

from __future__ import annotations

from core_harness import drive

from coach.commands.intents import Intent
from coach.core.actions import Say
from coach.core.states import State
from coach.program.model import Side
from coach.speech_in.typed import TypedText

TYPED = TypedText()


def _said(actions: list) -> list[str]:  # type: ignore[type-arg]
    return [a.text for a in actions if isinstance(a, Say)]


def test_back_during_a_set_is_answered() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_said("Lift.")
    assert _said(d.hear("back")) == ["That does not work during a set."]
    assert d.state is State.WORKING


def test_a_number_out_of_range_at_the_start_prompt_is_answered() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    assert _said(d.hear("eleven")) == ["Please say a number from zero to ten."]
    assert d.state is State.READY


def test_the_other_knee_in_the_opening_with_a_side_given_is_answered() -> None:
    d = drive(side=Side.LEFT).start()
    d.advance(1.0)  # the welcome is being said
    said = _said(d.hear("right"))
    assert said and "left knee" in said[0]


def test_the_same_knee_said_again_is_answered() -> None:
    d = drive(side=Side.LEFT).start()
    d.until_state(State.INTRO)
    assert _said(d.hear("left")) == ["Yes, your left knee."]


def test_every_command_in_every_state_gets_a_spoken_answer() -> None:
    """Walk a session through its states; in each, every command is answered."""
    samples = {intent: text for text, intent in [
        ("go", Intent.GO), ("next", Intent.NEXT), ("back", Intent.BACK), ("repeat", Intent.REPEAT),
        ("harder", Intent.HARDER), ("easier", Intent.EASIER), ("pause", Intent.PAUSE),
        ("yes", Intent.YES), ("no", Intent.NO), ("left", Intent.LEFT), ("right", Intent.RIGHT),
        ("how many left", Intent.STATUS), ("help", Intent.HELP), ("this week", Intent.WEEK),
        ("it hurts", Intent.PAIN), ("eleven", Intent.NUMBER),
        # Choosing today's routine, its needs and levels: answered in a set too.
        ("what can I choose", Intent.ROUTINES), ("bursitis", Intent.CHOOSE),
        ("what levels", Intent.LEVELS), ("what do I need", Intent.ABOUT),
    ]}
    for state in (State.INTRO, State.READY, State.WORKING, State.RESTING):
        for intent, text in samples.items():
            d = drive(side=Side.LEFT).start()
            d.to_ready() if state is not State.INTRO else d.until_state(State.INTRO)
            if state in (State.WORKING, State.RESTING):
                d.hear("go")
                d.until_state(state)
                d.advance(4.0)
            out = d.hear(text)
            assert _said(out) or any(type(a).__name__ == "Cue" for a in out), (state, text)
