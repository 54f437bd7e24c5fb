"""A pain rating is said back, and a misheard one is corrected by "no" or the right number."""

from __future__ import annotations

from core_harness import drive, exercise, program

from coach.commands.intents import Intent
from coach.core.actions import StopSpeaking
from coach.core.parts.rating_check import CORRECTION_SECONDS
from coach.core.records import PainCorrected, PainRated
from coach.core.states import State
from coach.program.model import Side
from coach.runtime.scripted_session import SessionHarness


def rated_after_exercise(rating: str) -> SessionHarness:
    prog = program(exercise("e0", sets=1, reps=1), exercise("e1", sets=1, reps=1))
    d = drive(prog, side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_state(State.ASK_PAIN)
    d.hear(rating)
    return d


def ratings(d: SessionHarness) -> list[int]:
    return [p.rating for p in d.session.progress.pain]


def test_the_number_is_said_back_with_what_it_leads_to() -> None:
    d = rated_after_exercise("seven")
    assert d.said()[-2].startswith("Seven. That is more than it should be.")
    assert d.state is State.INTRO  # on to the next exercise at once


def test_no_right_after_a_rating_takes_it_back_and_asks_again() -> None:
    d = rated_after_exercise("seven")
    d.advance(2.0)  # the next exercise is being introduced
    before = len(d.actions)
    out = d.hear("no")
    assert isinstance(out[0], StopSpeaking)  # the introduction is silenced
    assert d.state is State.ASK_PAIN
    assert d.said(before) == ["Sorry.", "How is your knee, from zero to ten?"]
    assert d.logs(PainCorrected) == [PainCorrected(d.now, "e0", 7)]
    assert ratings(d) == []  # the summary will not report the misheard seven
    d.hear("two")
    assert d.said()[-2] == "Two. Good. We carry on."
    assert d.state is State.INTRO and ratings(d) == [2]
    assert d.session.exercise is not None and d.session.exercise.id == "e1"


def test_the_right_number_right_after_replaces_the_misheard_one() -> None:
    d = rated_after_exercise("nine")  # "five", misheard
    d.advance(1.0)
    d.hear("five")
    assert d.said()[-2].startswith("Five. That is acceptable.")
    assert ratings(d) == [5]
    assert [p.rating for p in d.logs(PainRated)] == [9, 5]
    assert d.logs(PainCorrected)[-1].rating == 9
    assert d.state is State.INTRO


def test_a_correction_during_a_set_carries_on_from_where_the_set_was() -> None:
    d = drive(program(exercise("a", sets=1, reps=6)), side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.advance(12)
    d.hear("pain seven")  # unasked, and misheard: the exercise is stopped
    assert d.state is State.PAIN_STOPPED
    d.hear("three")  # what was said: acceptable, the set is held with an offer
    assert d.state is State.PAUSED
    assert d.said()[-1].startswith("Three. That is acceptable.")
    d.hear("go")
    assert d.state is State.WORKING  # the held set goes on
    assert ratings(d) == [3]


def test_after_a_while_no_and_numbers_mean_what_they_always_do() -> None:
    d = rated_after_exercise("seven")
    d.advance(CORRECTION_SECONDS + 1)
    assert d.state is State.INTRO
    d.hear("no")
    assert d.state is State.INTRO and ratings(d) == [7]  # "no" means nothing here
    assert d.logs(PainCorrected) == []
    assert Intent.NO not in d.listens()[-1].intents  # and is no longer listened for


def test_another_command_means_the_rating_stood() -> None:
    d = rated_after_exercise("seven")
    d.hear("next")  # on through the introduction
    d.hear("no")
    assert d.logs(PainCorrected) == [] and ratings(d) == [7]


def test_while_a_correction_may_come_it_is_listened_for() -> None:
    d = rated_after_exercise("seven")
    assert {Intent.NO, Intent.NUMBER} <= d.listens()[-1].intents


def advised_to_stop() -> SessionHarness:
    """Eight after the first exercise, then "pain nine" in the next set: "Shall we stop?"."""
    prog = program(*(exercise(f"e{i}", sets=1, reps=1) for i in range(3)))
    d = drive(prog, side=Side.LEFT).start()
    d.to_ready()
    d.hear("go")
    d.until_state(State.ASK_PAIN)
    d.hear("eight")
    d.until_state(State.READY)
    d.hear("go")
    d.advance(4)
    d.hear("pain nine")
    assert d.state is State.CONFIRM_STOP
    return d


def test_no_still_answers_shall_we_stop() -> None:
    d = advised_to_stop()
    d.hear("no")  # the answer to "Shall we stop?": the exercise is skipped instead
    assert d.logs(PainCorrected) == [] and ratings(d) == [8, 9]


def test_a_number_corrects_the_rating_that_advised_stopping() -> None:
    d = advised_to_stop()
    d.hear("four")  # it was four: no advice to stop, the set is held with an offer
    assert d.state is State.PAUSED
    assert ratings(d) == [8, 4]
