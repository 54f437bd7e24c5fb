"""What the coach says, when asked, about the past beyond the week: the last
session, and knee pain over the past weeks.

Built from ``SessionRecord`` data and an injected ``now`` (s since the Unix
epoch), every sentence from ``lines.yaml``, numbers as digits the way the
coach says every count. Too little to go on is said as such, never dressed
up as a trend.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from coach.history import rules
from coach.history.names import exercise_name, level_name
from coach.history.phrases import phrase
from coach.history.read import SessionRecord
from coach.program.model import Program

TREND_DAYS = 28.0  # d: how far back "my pain trend" looks
WEEKS_FROM_DAYS = 14  # d: a span this long or longer is said in weeks, a shorter one in days


def last_session(sessions: Sequence[SessionRecord], now: float,
                 program: Program | None = None) -> str:
    """ "Your last session was yesterday: 24 minutes, 5 of 6 exercises done, 13 of 15
    sets, the step-up skipped, the wall squat up to longer hold, pain 4 at first and 3
    at the end." from the latest session started before ``now``: what ``coach
    history`` shows of it, in words."""
    past = [session for session in sessions if session.started_wall <= now]
    if not past:
        return phrase("last_none")
    latest = max(past, key=lambda session: (session.started_wall, session.id))
    parts = []
    minutes = round(latest.duration_seconds / 60)
    if minutes >= 1:
        parts.append(phrase("last_minutes_one") if minutes == 1
                     else phrase("last_minutes", minutes=minutes))
    parts.append(phrase("last_exercises", done=latest.exercises_done,
                        planned=len(latest.exercises)))
    if latest.sets_planned:
        parts.append(phrase("last_sets", done=latest.sets_done, planned=latest.sets_planned))
    skipped = [exercise_name(entry.exercise, program)
               for entry in latest.exercises if entry.status == "skipped"]
    if skipped:
        parts.append(phrase("last_skipped", names=", the ".join(skipped)))
    for change in rules.net_changes(latest.level_changes):
        level = level_name(change.exercise, change.to_level, change.level_name, program)
        exercise = exercise_name(change.exercise, program)
        if level:
            parts.append(phrase("last_level_up" if change.up else "last_level_down",
                                exercise=exercise, level=level))
    ratings = [rating.rating for rating in latest.pain]
    if len(ratings) == 1:
        parts.append(phrase("last_pain_once", rating=ratings[0]))
    elif ratings:
        parts.append(phrase("last_pain", first=ratings[0], last=ratings[-1]))
    else:
        parts.append(phrase("last_pain_none"))
    if latest.completed is False:
        parts.append(phrase("last_stopped_early"))
    return phrase("last_session", when=_when(latest.started_wall, now), parts=", ".join(parts))


def pain_trend(sessions: Sequence[SessionRecord], now: float) -> str:
    """ "Over 4 weeks, your knee pain went from 6 to 3." from the highest rating of
    each session in the past ``TREND_DAYS``; with fewer than three rated sessions,
    what there is and that it is too early for a trend."""
    since = now - TREND_DAYS * rules.DAY_SECONDS
    rated = sorted(
        (session for session in sessions
         if since <= session.started_wall <= now and session.max_pain is not None),
        key=lambda session: (session.started_wall, session.id),
    )
    if not rated:
        return phrase("trend_none")
    first, last = rated[0].max_pain, rated[-1].max_pain
    assert first is not None and last is not None  # only rated sessions were kept
    if len(rated) < rules.TREND_MIN_SESSIONS:
        if len(rated) == 1:
            return phrase("trend_one", rating=last)
        return phrase("trend_few", count=len(rated), first=first, last=last)
    days = max(1, round((rated[-1].started_wall - rated[0].started_wall) / rules.DAY_SECONDS))
    span = (phrase("trend_weeks", weeks=round(days / 7)) if days >= WEEKS_FROM_DAYS
            else phrase("trend_days", days=days) if days > 1 else phrase("trend_one_day"))
    key = "trend_down" if last < first else "trend_up" if last > first else "trend_steady"
    return phrase(key, span=span, first=first, last=last)


def _when(wall: float, now: float) -> str:
    """Today, yesterday, or so many days ago, by the calendar where the person is."""
    days = (datetime.fromtimestamp(now).date() - datetime.fromtimestamp(wall).date()).days
    if days <= 0:
        return phrase("when_today")
    if days == 1:
        return phrase("when_yesterday")
    return phrase("when_days_ago", days=days)
