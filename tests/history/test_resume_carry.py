"""Resume after a cut-off session, and what carries over: levels, familiarity, side."""

from __future__ import annotations

from history_helpers import DAY, T0, Scribe

from coach.core.records import ExerciseDone, ExerciseSkipped, SideChosen
from coach.core.resume_point import ResumePoint
from coach.history import HistoryStore
from coach.program.loader import load_bundled
from coach.program.model import Side

PLAN = {"straight-leg-raise": 3, "single-leg-balance": 2, "wall-squat": 3}


def test_cut_off_mid_exercise_resumes_at_the_next_set(scribe: Scribe, store: HistoryStore) -> None:
    scribe.start(0, PLAN, side="right")
    scribe.exercise("straight-leg-raise")
    scribe.sets("wall-squat", 1, 1)  # out of order on purpose: the last set done counts
    assert store.interrupted() == ResumePoint("wall-squat", 2, Side.RIGHT)


def test_after_the_last_set_of_an_exercise_resume_at_the_next_exercise(
    scribe: Scribe, store: HistoryStore
) -> None:
    scribe.start(0, PLAN)
    scribe.sets("straight-leg-raise", 1, 3)  # cut off before exercise-done was logged
    assert store.interrupted("medial-knee") == ResumePoint("single-leg-balance", 1, Side.LEFT)
    scribe.log(ExerciseDone, exercise="straight-leg-raise", sets_done=3, sets_planned=3)
    scribe.log(ExerciseSkipped, exercise="single-leg-balance", reason="asked")
    assert store.interrupted("medial-knee") == ResumePoint("wall-squat", 1, Side.LEFT)


def test_nothing_to_resume_when_ended_finished_or_never_started(
    scribe: Scribe, store: HistoryStore
) -> None:
    assert store.interrupted() is None  # no history at all
    scribe.start(0, PLAN)
    assert store.interrupted() is None  # started, nothing done yet: a fresh start is the same
    for exercise in PLAN:
        scribe.exercise(exercise)
    assert store.interrupted() is None  # all done, only the end record missing
    scribe.start(1, PLAN)
    scribe.exercise("straight-leg-raise")
    assert store.interrupted() is not None
    scribe.end(completed=False)  # "stop": the person chose to end it
    assert store.interrupted() is None
    assert store.interrupted("another-program") is None


def test_a_new_session_resolves_the_cut_off_one(scribe: Scribe, store: HistoryStore) -> None:
    scribe.start(0, PLAN)
    scribe.exercise("straight-leg-raise")
    scribe.sets("single-leg-balance", 1, 1)
    assert store.interrupted() == ResumePoint("single-leg-balance", 2, Side.LEFT)
    # The person declines and starts again; that session finishes normally.
    scribe.start(0.1, PLAN)
    scribe.exercise("straight-leg-raise")
    scribe.end()
    assert store.interrupted() is None
    assert store.query("SELECT id, resolved_by FROM sessions ORDER BY id") == [(1, 2), (2, None)]


def test_a_second_cut_off_before_any_set_keeps_the_first_place(
    scribe: Scribe, store: HistoryStore
) -> None:
    scribe.start(0, PLAN)
    scribe.exercise("straight-leg-raise")
    scribe.sets("single-leg-balance", 1, 1)
    scribe.start(0.01, PLAN)  # the resumed session is cut off again at once
    assert store.interrupted() == ResumePoint("single-leg-balance", 2, Side.LEFT)
    scribe.sets("single-leg-balance", 2, 2)  # now it made progress of its own
    assert store.interrupted() == ResumePoint("wall-squat", 1, Side.LEFT)


def test_an_old_cut_off_is_not_offered(scribe: Scribe, store: HistoryStore) -> None:
    scribe.start(0, PLAN)
    scribe.sets("straight-leg-raise", 1, 1)
    last = scribe.wall.value
    assert store.interrupted(now=last + 11 * 3600, within_hours=12) is not None
    assert store.interrupted(now=last + 13 * 3600, within_hours=12) is None


def test_the_offer_names_the_exercise_and_set(scribe: Scribe, store: HistoryStore) -> None:
    scribe.start(0, PLAN)
    scribe.sets("straight-leg-raise", 1, 2)
    found = store.interruption(program=load_bundled("medial-knee"))
    assert found is not None
    assert found.where == "the straight leg raise, set 3 of 3"
    assert found.offer == (
        "Last time the session stopped early, at the straight leg raise, set 3 of 3. "
        "Say yes to carry on from there, or no to start again."
    )
    # Without the program, the id is read out as words.
    plain = store.interruption()
    assert plain is not None and plain.where == "the straight leg raise, set 3 of 3"


def test_levels_carry_over_latest_record_wins(scribe: Scribe, store: HistoryStore) -> None:
    assert store.levels("medial-knee") == {}
    scribe.start(0, PLAN, levels={"straight-leg-raise": 1, "single-leg-balance": 1})
    scribe.exercise("straight-leg-raise", level=1)
    scribe.level("single-leg-balance", 1, 2, "eyes closed")
    scribe.exercise("single-leg-balance", level=2)
    scribe.end()
    assert store.levels("medial-knee") == {"straight-leg-raise": 1, "single-leg-balance": 2}
    # Next day: eased off the balance after pain; wall squat starts at its logged level.
    scribe.start(
        1, PLAN, levels={"straight-leg-raise": 1, "single-leg-balance": 2, "wall-squat": 1}
    )
    scribe.level("single-leg-balance", 2, 1, "eyes open")
    scribe.end(completed=False)
    assert store.levels("medial-knee") == {
        "straight-leg-raise": 1,
        "single-leg-balance": 1,
        "wall-squat": 1,
    }
    assert store.levels("another-program") == {}


def test_familiar_means_done_in_an_earlier_session(scribe: Scribe, store: HistoryStore) -> None:
    assert store.familiar("medial-knee") == frozenset()
    scribe.start(0, PLAN)
    scribe.exercise("straight-leg-raise")
    scribe.sets("single-leg-balance", 1, 1)
    scribe.log(ExerciseSkipped, exercise="wall-squat", reason="asked")
    scribe.end(completed=False)
    assert store.familiar("medial-knee") == frozenset({"straight-leg-raise", "single-leg-balance"})


def test_the_last_side_carries_over(scribe: Scribe, store: HistoryStore) -> None:
    assert store.last_side() is None
    scribe.start(0, PLAN, side=None)
    scribe.log(SideChosen, side=Side.RIGHT)
    scribe.end()
    assert store.last_side("medial-knee") is Side.RIGHT
    scribe.start(1, PLAN, side="left")
    scribe.end()
    assert store.last_side() is Side.LEFT
    assert store.last_side("another-program") is None


def test_sessions_are_listed_newest_first_with_wall_times(
    scribe: Scribe, store: HistoryStore
) -> None:
    for day in (0, 2, 1):  # written out of order: the list follows the dates
        scribe.whole_session(day)
    started = [s.started_wall for s in store.sessions()]
    assert started == [T0 + 2 * DAY + 1, T0 + DAY + 1, T0 + 1]
    assert len(store.sessions(limit=2)) == 2
    assert [s.started_wall for s in store.sessions(since_wall=T0 + DAY)] == started[:2]


def test_with_the_program_only_valid_levels_and_points_are_given(
    scribe: Scribe, store: HistoryStore
) -> None:
    program = load_bundled("medial-knee")
    ladder = len(program.exercise("wall-squat").levels)
    scribe.start(0, {"wall-squat": 3, "retired-exercise": 2})
    scribe.sets("wall-squat", 1, 1, level=ladder + 3)  # logged when the ladder was longer
    scribe.sets("retired-exercise", 1, 1, level=0)
    assert store.levels("medial-knee") == {"wall-squat": ladder + 3, "retired-exercise": 0}
    assert store.levels("medial-knee", program=program) == {"wall-squat": ladder - 1}
    # The cut-off point is in an exercise the program no longer has: nothing to offer.
    assert store.interrupted("medial-knee") == ResumePoint("retired-exercise", 2, Side.LEFT)
    assert store.interruption("medial-knee", program=program) is None
