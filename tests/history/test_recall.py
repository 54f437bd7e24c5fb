""""last session" and "my pain trend": what the history says when asked by voice.

Sessions are written through the real sink at chosen days; ``now`` is passed in.
"""

from __future__ import annotations

from history_helpers import DAY, T0, Scribe

from coach.core.records import ExerciseSkipped
from coach.history import HistoryStore
from coach.program.loader import load_bundled
from coach.runtime.assembly import carried_from_history

SQUAT = "wall-squat"
RAISE = "straight-leg-raise"


def test_the_last_session_says_when_what_was_done_and_its_pain(
    scribe: Scribe, store: HistoryStore, utc: None
) -> None:
    scribe.whole_session(0, pain=6)
    scribe.start(3, {RAISE: 3, "step-up": 2, SQUAT: 2})
    scribe.exercise(RAISE)
    scribe.pain(RAISE, 4)
    scribe.log(ExerciseSkipped, exercise="step-up", reason="asked")
    scribe.level(SQUAT, 1, 2, "longer-hold")
    scribe.exercise(SQUAT, sets=1)
    scribe.at += 24 * 60  # s: the session clock, 24 minutes on
    scribe.pain(SQUAT, 3)
    scribe.end(completed=False)
    program = load_bundled("medial-knee")
    carried = carried_from_history(store, program, T0 + 4 * DAY)
    assert carried.last_session == (
        "Your last session was yesterday: 24 minutes, 2 of 3 exercises done, 4 of 7 sets, "
        "the step-up skipped, the wall squat up to longer hold, pain 4 at first and 3 at "
        "the end, stopped early."
    )


def test_the_last_session_today_with_one_rating_and_none(
    scribe: Scribe, store: HistoryStore, utc: None
) -> None:
    program = load_bundled("medial-knee")
    assert carried_from_history(store, program, T0).last_session == (
        "There is no earlier session to look back on yet."
    )
    scribe.whole_session(0, pain=2)
    said = carried_from_history(store, program, T0 + 3600).last_session
    assert said == ("Your last session was today: 2 of 2 exercises done, 5 of 5 sets, "
                    "pain 2 out of 10.")
    scribe.whole_session(2)
    said = carried_from_history(store, program, T0 + 5 * DAY).last_session
    assert said is not None and said.startswith("Your last session was 3 days ago:")
    assert said.endswith("no pain rated.")


def test_the_pain_trend_over_weeks(scribe: Scribe, store: HistoryStore) -> None:
    for day, pain in {0: 6, 7: 5, 14: 5, 21: 4, 28: 3}.items():
        scribe.whole_session(day, pain=pain)
    program = load_bundled("medial-knee")
    carried = carried_from_history(store, program, T0 + 28.5 * DAY)
    # Day 0 is just outside the 4 weeks: the trend starts at day 7.
    assert carried.pain_trend == "Over 3 weeks, your knee pain went down from 5 to 3."
    scribe.whole_session(29, pain=6)
    carried = carried_from_history(store, program, T0 + 29.5 * DAY)
    assert carried.pain_trend == "Over 3 weeks, your knee pain went up from 5 to 6."


def test_a_short_span_is_said_in_days_and_steady_pain_as_steady(
    scribe: Scribe, store: HistoryStore
) -> None:
    for day in (0, 2, 4):
        scribe.whole_session(day, pain=4)
    program = load_bundled("medial-knee")
    carried = carried_from_history(store, program, T0 + 5 * DAY)
    assert carried.pain_trend == "Over 4 days, your knee pain stayed at 4."


def test_too_little_to_go_on_is_said_honestly(scribe: Scribe, store: HistoryStore) -> None:
    program = load_bundled("medial-knee")
    none = "No pain has been rated in the past 4 weeks, so there is no trend to tell yet."
    assert carried_from_history(store, program, T0).pain_trend == none
    scribe.whole_session(0)  # no rating
    assert carried_from_history(store, program, T0 + DAY).pain_trend == none
    scribe.whole_session(1, pain=5)
    assert carried_from_history(store, program, T0 + 2 * DAY).pain_trend == (
        "Only one session in the past 4 weeks has a pain rating, 5 out of 10. "
        "That is too early for a trend."
    )
    scribe.whole_session(2, pain=3)
    assert carried_from_history(store, program, T0 + 3 * DAY).pain_trend == (
        "Only 2 sessions in the past 4 weeks have a pain rating, 5 and then 3. "
        "That is too early for a trend."
    )
