"""Speech the recogniser did not understand: a short answer where one helps, never
on noise or the coach's own echo."""

from __future__ import annotations

from core_harness import drive

from coach.commands.intents import Intent
from coach.core.actions import Say
from coach.core.events import NotUnderstood
from coach.core.states import State
from coach.program.model import Side


def _feed(d, reason: str = "not-a-command", text: str = "Sada.", *,  # type: ignore[no-untyped-def]
          had_speech: bool = True, intent: Intent | None = None,
          number: int | None = None) -> list[str]:
    mark = len(d.actions)
    d.feed(NotUnderstood(d.now, reason, had_speech, text, intent, number))
    return [a.text for _, a in d.actions[mark:] if isinstance(a, Say)]


def _at_pain_question():  # type: ignore[no-untyped-def]
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_state(State.ASK_PAIN)
    d.advance(3)
    return d


def test_at_a_question_says_what_to_say() -> None:
    d = _at_pain_question()
    assert _feed(d) == ["Sorry, I did not catch that. A number from zero to ten, please."]
    assert d.state is State.ASK_PAIN


def test_a_command_not_expected_at_a_question_is_answered_as_typed() -> None:
    d = _at_pain_question()
    said = _feed(d, "not-expected", "No. No. No.", intent=Intent.NO)
    assert said == ["Please say a number from zero to ten."]


def test_never_on_noise_or_without_words() -> None:
    d = _at_pain_question()
    assert _feed(d, "too-short", "", had_speech=False) == []
    assert _feed(d, "noise", "", had_speech=False) == []


def test_never_on_the_coachs_own_echo() -> None:
    d = _at_pain_question()
    assert _feed(d, text="How is your knee?") == []


def test_during_work_silent_once_then_a_help_hint() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_said("Lift.")
    assert _feed(d, text="I'll get it.") == []
    d.advance(3)
    assert _feed(d, text="I help.") == ["Say help to hear what you can say."]
    d.advance(20)
    assert _feed(d, text="Sada.") == []  # a while later: silent once more


def test_a_number_not_expected_mid_set_never_pauses_the_set() -> None:
    d = drive(side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_said("Lift.")
    said = _feed(d, "not-expected", "seven", intent=Intent.NUMBER, number=7)
    assert said == ["To rate your pain, say it hurts."]
    assert d.state is State.WORKING


def test_the_other_knee_said_in_the_opening_with_a_side_given_is_answered() -> None:
    d = drive(side=Side.LEFT).start()
    d.advance(2)
    said = _feed(d, "not-expected", "right", intent=Intent.RIGHT)
    assert said and "left knee" in said[0]
