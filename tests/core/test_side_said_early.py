""""Left" or "right" said before the coach asks: taken while no side is known,
never a silent switch of legs once one is."""

from __future__ import annotations

from core_harness import drive, exercise, program

from coach.core.actions import Say
from coach.core.records import SideChosen
from coach.core.resume_point import ResumePoint
from coach.core.states import State
from coach.program.model import Side


def test_a_side_said_during_the_opening_is_taken_and_not_asked() -> None:
    d = drive().start()
    assert d.state is State.OPENING
    d.hear("left knee")
    assert d.session.side is Side.LEFT
    assert d.logs(SideChosen) == [SideChosen(at=0.0, side=Side.LEFT)]
    assert "Your left knee. Thank you." in d.said()
    d.until_state(State.READY)
    assert "Which knee hurts, left or right?" not in d.said()
    assert "raise step one, left leg." in d.said()  # the steps name the leg said


def test_a_side_said_while_the_resume_offer_waits_is_taken_and_the_offer_asked_again() -> None:
    prog = program(exercise("a"), exercise("b"))
    d = drive(prog, resume=ResumePoint("b", 1, None)).start()
    d.until_state(State.ASK_RESUME)
    offer = d.said()[-1]
    said = [a.text for a in d.hear("right") if isinstance(a, Say)]
    assert d.session.side is Side.RIGHT
    assert said[-1] == offer and d.state is State.ASK_RESUME
    d.hear("no")
    d.until_state(State.READY)
    assert "Which knee hurts, left or right?" not in d.said()


def test_once_the_side_is_chosen_the_other_side_does_not_switch_legs() -> None:
    d = drive(side=Side.LEFT).start()
    d.hear("right")  # in the opening, with the side given: kept, and said so
    assert d.session.side is Side.LEFT
    assert "This session is for your left knee." in " ".join(d.said())
    d.to_ready()
    d.hear("right")
    assert d.session.side is Side.LEFT and d.state is State.READY
    d.hear("go")
    d.advance(7)
    mark = len(d.actions)
    d.hear("right")  # mid-set: only answered, the count goes on undisturbed
    assert d.session.side is Side.LEFT and d.state is State.WORKING
    assert d.said(mark) == ["That does not work during a set."]
    assert not d.logs(SideChosen)


def test_a_side_chosen_by_answer_is_not_changed_later_in_the_opening() -> None:
    d = drive().start()
    d.until_state(State.ASK_SIDE)
    d.hear("left")
    d.hear("right")
    assert d.session.side is Side.LEFT
    assert [r.side for r in d.logs(SideChosen)] == [Side.LEFT]


def test_the_side_from_last_time_is_used_said_and_can_be_changed_in_the_opening() -> None:
    d = drive(last_side=Side.RIGHT).start()
    assert d.session.side is Side.RIGHT
    d.until_said("Your right knee, as last time. To change it, say left or right before the first set.")
    d.hear("left")
    assert d.session.side is Side.LEFT
    assert [r.side for r in d.logs(SideChosen)] == [Side.LEFT]
    d.until_state(State.READY)
    assert "Which knee hurts, left or right?" not in d.said()
    d.hear("right")  # chosen by voice: settled, kept
    assert d.session.side is Side.LEFT


def test_a_side_given_outright_is_not_called_last_time() -> None:
    d = drive(side=Side.LEFT, last_side=Side.RIGHT).start()
    d.until_state(State.READY)
    assert d.session.side is Side.LEFT
    assert not [t for t in d.said() if "as last time" in t]


def test_naming_the_other_knee_at_the_resume_offer_starts_that_exercise_afresh() -> None:
    """Set 1 was done on the left leg: carrying on at set 2 on the right would be
    neither leg's story. The offer becomes that exercise again, from set 1."""
    prog = program(exercise("a", sets=3), exercise("b", sets=3))
    d = drive(prog, last_side=Side.LEFT, resume=ResumePoint("b", 2, Side.LEFT)).start()
    d.until_state(State.ASK_RESUME)
    assert d.said()[-1] == "You stopped during the b exercise, set 2. Carry on from there?"
    d.hear("right")
    assert d.said()[-2:] == [
        "Your right knee. Thank you.",
        "You stopped during the b exercise. Start it again from its first set, for your right knee?",
    ]
    d.hear("yes")
    assert "Carrying on from the b exercise, set 1." in d.said()[-2:]
    assert d.session.side is Side.RIGHT and d.session.exercise.id == "b"  # type: ignore[union-attr]
    assert d.logs(SideChosen)[-1].side is Side.RIGHT
    d.until_state(State.READY)
    d.hear("go")
    assert "Set 1 of 3, 3 reps." == d.said()[-1]


def test_the_same_knee_at_the_resume_offer_carries_on_where_it_stopped() -> None:
    prog = program(exercise("a", sets=3), exercise("b", sets=3))
    d = drive(prog, last_side=Side.LEFT, resume=ResumePoint("b", 2, Side.LEFT)).start()
    d.until_state(State.ASK_RESUME)
    d.hear("left")
    assert d.said()[-1] == "You stopped during the b exercise, set 2. Carry on from there?"
    d.hear("yes")
    assert "Carrying on from the b exercise, set 2." in d.said()[-2:]


def test_which_knee_answered_as_people_answer_it() -> None:
    for answer, side in (("the right", Side.RIGHT), ("My left knee.", Side.LEFT),
                         ("left side", Side.LEFT)):
        d = drive().start()
        d.until_state(State.ASK_SIDE)
        d.hear(answer)
        assert d.session.side is side, answer
        assert d.logs(SideChosen)[0].side is side
