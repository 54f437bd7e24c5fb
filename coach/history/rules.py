"""Pain and progression rules across days, after the pain-monitoring model.

The model (Thomeé, 1997; used in knee osteoarthritis and tendon rehab): pain
up to 5 out of 10 during or after exercise is acceptable; above 5, or pain
that keeps rising from one session to the next over a week, means the load
is too high for now. So coach then suggests the easier level and never moves
a person up on its own.

Pure functions of past sessions and ``now`` (s since the Unix epoch): they
never read a clock, so a test places sessions on chosen days.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from coach.core.pain import ACCEPTABLE_MAX
from coach.history.read import LevelChange, SessionRecord

RECENT_DAYS = 7.0  # d: the window for "recent" pain and for the trend
RISE_POINTS = 1.0  # how much later sessions must exceed earlier ones to count as rising
TREND_MIN_SESSIONS = 3  # fewer rated sessions than this is no trend
DAY_SECONDS = 86_400.0


@dataclass(frozen=True)
class PainTrend:
    first: int  # max pain of the earliest rated session in the window
    last: int  # max pain of the latest
    sessions: int  # rated sessions in the window


def recent(sessions: Sequence[SessionRecord], now: float) -> list[SessionRecord]:
    """Sessions started in the past week (and not after ``now``), oldest first."""
    since = now - RECENT_DAYS * DAY_SECONDS
    return sorted(
        (session for session in sessions if since <= session.started_wall <= now),
        key=lambda session: (session.started_wall, session.id),
    )


def _rated(sessions: Sequence[SessionRecord], now: float) -> list[int]:
    """Each recent session's highest pain rating, oldest first; unrated sessions left out."""
    return [session.max_pain for session in recent(sessions, now) if session.max_pain is not None]


def high_pain(sessions: Sequence[SessionRecord], now: float) -> int | None:
    """The latest rated session's highest pain, when it was above 5 within the week."""
    ratings = _rated(sessions, now)
    if ratings and ratings[-1] > ACCEPTABLE_MAX:
        return ratings[-1]
    return None


def pain_trend(sessions: Sequence[SessionRecord], now: float) -> PainTrend | None:
    """The past week's pain, when enough sessions were rated to call it a trend."""
    ratings = _rated(sessions, now)
    if len(ratings) < TREND_MIN_SESSIONS:
        return None
    return PainTrend(first=ratings[0], last=ratings[-1], sessions=len(ratings))


def pain_rising(sessions: Sequence[SessionRecord], now: float) -> PainTrend | None:
    """The trend, when the later half of the week's sessions hurt more than the earlier half.

    Halves, not first against last, so one bad day does not make a trend.
    """
    ratings = _rated(sessions, now)
    if len(ratings) < TREND_MIN_SESSIONS:
        return None
    half = len(ratings) // 2
    early, late = ratings[:half], ratings[-half:]
    rise = sum(late) / len(late) - sum(early) / len(early)
    if rise >= RISE_POINTS and ratings[-1] > ratings[0]:
        return PainTrend(first=ratings[0], last=ratings[-1], sessions=len(ratings))
    return None


def may_progress(sessions: Sequence[SessionRecord], exercise_id: str, now: float) -> bool:
    """Whether the coach may move this exercise up a level on its own.

    Never while recent pain is above 5 or rising, and never when the last
    time this exercise came up its planned sets were not all done.
    """
    if high_pain(sessions, now) is not None or pain_rising(sessions, now) is not None:
        return False
    latest = max(
        (
            session
            for session in sessions
            if session.started_wall <= now and session.exercise(exercise_id) is not None
        ),
        key=lambda session: (session.started_wall, session.id),
        default=None,
    )
    if latest is None:
        return False
    record = latest.exercise(exercise_id)
    if record is None or record.status == "skipped":
        return False
    return record.sets_done >= record.planned_sets > 0


def net_changes(changes: Sequence[LevelChange]) -> list[LevelChange]:
    """One change per exercise, where it started and where it ended up, in order of first change."""
    first: dict[str, LevelChange] = {}
    last: dict[str, LevelChange] = {}
    for change in changes:
        first.setdefault(change.exercise, change)
        last[change.exercise] = change
    net = []
    for exercise, start in first.items():
        end = last[exercise]
        if start.from_level is not None and start.from_level == end.to_level:
            continue  # up and back down again: nothing changed
        net.append(LevelChange(exercise, start.from_level, end.to_level, end.level_name, end.wall))
    return net


def held_back(sessions: Sequence[SessionRecord], now: float) -> dict[str, int]:
    """Levels raised in the latest session that may not carry over yet.

    A raise is carried into the next session only when ``may_progress``
    allows it; otherwise the exercise stays at the level it started that
    session at. Returns exercise id -> that level index.
    """
    past = [session for session in sessions if session.started_wall <= now]
    if not past:
        return {}
    latest = max(past, key=lambda session: (session.started_wall, session.id))
    return {
        change.exercise: change.from_level
        for change in net_changes(latest.level_changes)
        if change.up
        and change.from_level is not None
        and not may_progress(sessions, change.exercise, now)
    }
