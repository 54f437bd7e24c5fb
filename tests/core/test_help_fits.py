"""Help lists what fits the moment, in the order a person needs it."""

from __future__ import annotations

from core_harness import drive

from coach.core.actions import Say
from coach.core.states import State
from coach.program.model import Side


def _help(d) -> list[str]:  # type: ignore[no-untyped-def]
    return [a.text for a in d.hear("help") if isinstance(a, Say)]


def _in_set():  # type: ignore[no-untyped-def]
    d = drive(side=Side.LEFT, week="This week: 2 sessions.").start()
    d.to_ready()
    d.hear("go")
    d.until_said("Lift.")
    return d


def test_help_after_a_pain_pause_offers_easier_first_and_not_the_week() -> None:
    d = _in_set()
    d.hear("it hurts")
    d.hear("four")
    assert d.state is State.PAUSED
    said = _help(d)
    assert said[0] == "Say easier for a lighter version, go to carry on, or stop to end."
    assert not any("this week" in line for line in said)


def test_help_in_a_plain_pause_offers_the_levels_and_not_the_week() -> None:
    d = _in_set()
    d.hear("pause")
    said = _help(d)
    assert said[0] == "Say go to carry on, harder, easier, or stop to end."
    assert not any("this week" in line for line in said)


PAST = "To hear more, say last session, how is my pain, or my levels."
BY_NAME = ("To change how I sound, say simple voice, natural voice, keep it short, more detail, "
           "tones on, or tones off.")


def test_help_before_a_set_tells_of_the_past_and_the_voice_by_name_after_the_rest() -> None:
    d = drive(side=Side.LEFT, week="This week: 2 sessions.").start()
    d.to_ready()
    said = _help(d)
    assert said[1:] == ["To hear how your week has gone, say this week.", PAST,
                        "You can also say slower, faster, louder or quieter.", BY_NAME]


def test_help_in_a_set_at_a_question_or_in_a_pause_leaves_them_out() -> None:
    d = _in_set()
    assert not {PAST, BY_NAME} & set(_help(d))
    d.hear("pause")
    assert not {PAST, BY_NAME} & set(_help(d))
    d = drive().start()
    d.until_state(State.ASK_SIDE)
    assert not {PAST, BY_NAME} & set(_help(d))
