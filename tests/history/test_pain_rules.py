"""Pain across days (pain-monitoring model), opening notes and the weekly summary.

Sessions are placed on chosen days; ``now`` is passed in, never read."""

from __future__ import annotations

import argparse

from history_helpers import DAY, T0, Scribe

from coach.core.records import ExerciseSkipped
from coach.history import HistoryStore
from coach.program.loader import load_bundled
from coach.program.model import Side

SQUAT = "wall-squat"
RAISE = "straight-leg-raise"


def _days(scribe: Scribe, pains: dict[float, int | None]) -> None:
    for day, pain in pains.items():
        scribe.whole_session(day, pain=pain)


def test_high_pain_last_time_suggests_the_easier_level(scribe: Scribe, store: HistoryStore) -> None:
    _days(scribe, {0: 3, 2: 7})
    now = T0 + 3 * DAY
    assert store.opening_notes("medial-knee", now) == [
        (
            "Last time your knee pain reached 7 out of 10. Today, try the easier level, "
            "and stop if it gets worse."
        )
    ]
    assert not store.may_progress("medial-knee", SQUAT, now)
    assert not store.may_progress("medial-knee", RAISE, now)


def test_pain_of_five_is_acceptable(scribe: Scribe, store: HistoryStore) -> None:
    _days(scribe, {0: 5, 2: 5})
    now = T0 + 3 * DAY
    assert store.opening_notes("medial-knee", now) == []
    assert store.may_progress("medial-knee", SQUAT, now)


def test_pain_during_a_set_counts_too(scribe: Scribe, store: HistoryStore) -> None:
    scribe.start(0, {SQUAT: 2})
    scribe.sets(SQUAT, 1, 1)
    scribe.pain(SQUAT, 6, when="during")
    scribe.end(completed=False)
    assert not store.may_progress("medial-knee", SQUAT, T0 + DAY)
    assert "reached 6 out of 10" in store.opening_notes("medial-knee", T0 + DAY)[0]


def test_rising_pain_over_the_week_is_said_and_blocks_progress(
    scribe: Scribe, store: HistoryStore
) -> None:
    _days(scribe, {0: 2, 2: 3, 4: 4, 6: 5})  # never above 5, but climbing
    now = T0 + 6.5 * DAY
    assert store.opening_notes("medial-knee", now) == [
        "Your knee pain has been rising this week, from 2 to 5. Today, try the easier level."
    ]
    assert not store.may_progress("medial-knee", SQUAT, now)


def test_one_bad_day_is_not_a_trend(scribe: Scribe, store: HistoryStore) -> None:
    _days(scribe, {0: 3, 2: 5, 4: 3, 6: 4})
    now = T0 + 6.5 * DAY
    assert store.opening_notes("medial-knee", now) == []
    assert store.may_progress("medial-knee", SQUAT, now)


def test_old_pain_falls_out_of_the_window(scribe: Scribe, store: HistoryStore) -> None:
    _days(scribe, {0: 2, 1: 4, 2: 8})
    assert store.opening_notes("medial-knee", T0 + 3 * DAY) == [
        "Your knee pain has been rising this week, from 2 to 8. Today, try the easier level."
    ]
    # Nine days later those sessions are no longer recent: nothing is said about pain,
    # but the long gap is.
    later = T0 + 11 * DAY
    assert store.opening_notes("medial-knee", later) == [
        "It has been 8 days since your last session. We will ease back in."
    ]
    assert store.may_progress("medial-knee", SQUAT, later)


def test_sessions_after_now_are_ignored(scribe: Scribe, store: HistoryStore) -> None:
    _days(scribe, {0: 2, 5: 9})
    assert store.opening_notes("medial-knee", T0 + 1 * DAY) == []
    assert store.may_progress("medial-knee", SQUAT, T0 + 1 * DAY)


def test_missed_sets_or_a_skip_block_progress(scribe: Scribe, store: HistoryStore) -> None:
    scribe.start(0, {RAISE: 3, SQUAT: 3, "step-up": 2})
    scribe.exercise(RAISE)
    scribe.exercise(SQUAT, sets=2)  # one planned set missed
    scribe.log(ExerciseSkipped, exercise="step-up", reason="asked")
    scribe.end()
    now = T0 + DAY
    assert store.may_progress("medial-knee", RAISE, now)
    assert not store.may_progress("medial-knee", SQUAT, now)
    assert not store.may_progress("medial-knee", "step-up", now)
    assert not store.may_progress("medial-knee", "single-leg-balance", now)  # never done
    # The latest time each exercise came up decides.
    scribe.start(1, {SQUAT: 3})
    scribe.exercise(SQUAT)
    scribe.end()
    assert store.may_progress("medial-knee", SQUAT, T0 + 2 * DAY)


def test_opening_notes_say_what_changed_last_time(scribe: Scribe, store: HistoryStore) -> None:
    program = load_bundled("medial-knee")
    scribe.start(0, {"single-leg-balance": 2, SQUAT: 2, RAISE: 3})
    scribe.level("single-leg-balance", 1, 2, "eyes closed")
    scribe.exercise("single-leg-balance", level=2)  # done in full: the raise carries over
    scribe.level(SQUAT, 1, 0, "two sets")
    scribe.level(RAISE, 1, 0, "one second hold")
    scribe.level(RAISE, 0, 1, "two second hold")  # down and back up: no change to report
    scribe.end()
    assert store.opening_notes("medial-knee", T0 + DAY, program=program) == [
        "Last time you moved the single-leg balance up to eyes closed.",
        "Last time you moved the wall squat down to two sets.",
    ]
    # Only the latest session's changes are news.
    scribe.whole_session(1)
    assert store.opening_notes("medial-knee", T0 + 2 * DAY, program=program) == []


def test_weekly_summary(scribe: Scribe, store: HistoryStore) -> None:
    now = T0 + 6.5 * DAY
    assert store.weekly_summary(now) == "No sessions in the past week yet."
    scribe.whole_session(-3, pain=9)  # last week: not counted
    scribe.whole_session(1, pain=6)
    assert (
        store.weekly_summary(now) == "This week: 1 session, 5 of 5 planned sets, pain 6 out of 10."
    )
    scribe.whole_session(3, pain=None)
    scribe.start(5, {RAISE: 3, SQUAT: 2})
    scribe.exercise(RAISE)
    scribe.pain(RAISE, 4)
    scribe.end(completed=False)
    assert store.weekly_summary(now) == (
        "This week: 3 sessions, 13 of 15 planned sets, pain down from 6 to 4."
    )
    scribe.whole_session(6, pain=7)
    assert store.weekly_summary(now).endswith("pain up from 6 to 7.")
    assert store.weekly_summary(now, "another-program") == "No sessions in the past week yet."


def _raised_then(scribe: Scribe, *, pain: int, squat_sets: int) -> None:
    """A session where the person said harder on the wall squat (level 1 -> 2)."""
    scribe.start(0, {RAISE: 3, SQUAT: 2}, levels={RAISE: 1, SQUAT: 1})
    scribe.exercise(RAISE)
    scribe.level(SQUAT, 1, 2, "deeper-squat")
    scribe.exercise(SQUAT, level=2, sets=squat_sets)
    scribe.pain(SQUAT, pain)
    scribe.end()


def test_a_raise_is_not_carried_over_while_pain_is_above_five(
    scribe: Scribe, store: HistoryStore
) -> None:
    program = load_bundled("medial-knee")
    _raised_then(scribe, pain=7, squat_sets=2)
    now = T0 + DAY
    assert store.levels("medial-knee")[SQUAT] == 2  # what was done last
    assert store.levels("medial-knee", now=now)[SQUAT] == 1  # where today starts
    level = program.exercise(SQUAT).levels[1].name
    notes = store.opening_notes("medial-knee", now, program=program)
    assert notes[0] == (
        f"Last time you moved the {program.exercise(SQUAT).name} up. "
        f"Today it stays at {level} until it goes smoothly."
    )


def test_a_raise_is_not_carried_over_when_sets_were_missed(
    scribe: Scribe, store: HistoryStore
) -> None:
    _raised_then(scribe, pain=2, squat_sets=1)
    assert store.levels("medial-knee", now=T0 + DAY)[SQUAT] == 1
    assert "stays a level lower" in store.opening_notes("medial-knee", T0 + DAY)[0]


def test_a_raise_that_went_well_is_carried_over(scribe: Scribe, store: HistoryStore) -> None:
    _raised_then(scribe, pain=3, squat_sets=2)
    assert store.levels("medial-knee", now=T0 + DAY) == {RAISE: 1, SQUAT: 2}
    assert store.opening_notes("medial-knee", T0 + DAY)[0].startswith(
        "Last time you moved the wall squat up to"
    )


def test_coach_start_begins_a_painful_raise_at_the_level_before_it(
    scribe: Scribe, store: HistoryStore
) -> None:
    from coach.cli.start import session_for

    _raised_then(scribe, pain=7, squat_sets=2)
    args = argparse.Namespace(program="medial-knee", condition=[], side="left", no_history=False)
    prepared = session_for(args, now=T0 + DAY)  # the day after, on the wall clock
    try:
        assert prepared.session.levels[SQUAT] == 1
        assert "stays at" in " ".join(prepared.session.notes)
    finally:
        prepared.close()


def test_coach_start_gives_the_session_the_weekly_summary(
    scribe: Scribe, store: HistoryStore
) -> None:
    from coach.cli.start import session_for

    _days(scribe, {0: 6, 2: 5, 4: 4})
    now = T0 + 5 * DAY
    args = argparse.Namespace(program="medial-knee", condition=[], side="left", no_history=False)
    prepared = session_for(args, now=now)
    try:
        assert prepared.session.week == store.weekly_summary(now, "medial-knee")
        assert prepared.session.week.endswith("pain down from 6 to 4.")
    finally:
        prepared.close()


def test_coach_start_without_side_uses_the_side_of_last_time(
    scribe: Scribe, store: HistoryStore
) -> None:
    from coach.cli.start import session_for

    scribe.start(0, {RAISE: 3}, side="right")
    scribe.exercise(RAISE)
    scribe.end()
    args = argparse.Namespace(program="medial-knee", condition=[], side=None, no_history=False)
    prepared = session_for(args, now=T0 + DAY)
    try:
        from coach.runtime.scripted_session import SessionHarness

        session = prepared.session
        assert session.side is Side.RIGHT
        run = SessionHarness(session).start()
        run.advance(60.0)
        said = run.said()
        assert ("Your right knee, as last time. To change it, say left or right before the first set."
                in said)
        assert "Which knee hurts, left or right?" not in said
    finally:
        prepared.close()
    args.side = "left"  # given outright, it wins
    prepared = session_for(args, now=T0 + DAY)
    try:
        assert prepared.session.side is Side.LEFT
    finally:
        prepared.close()
