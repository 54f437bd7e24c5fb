"""What the coach says about the past: opening notes and the weekly summary.

Built from ``SessionRecord`` data and an injected ``now`` (s since the Unix
epoch), with every sentence taken from ``lines.yaml``.
"""

from __future__ import annotations

from collections.abc import Sequence

from coach.history import rules
from coach.history.names import exercise_name, level_name
from coach.history.phrases import phrase
from coach.history.read import LevelChange, SessionRecord
from coach.program.model import Program

LONG_GAP_DAYS = 7  # d: after this long away, the opening says so


def opening_notes(
    sessions: Sequence[SessionRecord], now: float, program: Program | None = None
) -> list[str]:
    """Lines for the start of a session: what changed last time, and pain across days."""
    past = sorted(
        (session for session in sessions if session.started_wall <= now),
        key=lambda session: (session.started_wall, session.id),
    )
    if not past:
        return []
    notes: list[str] = []
    latest = past[-1]
    held = rules.held_back(past, now)
    for change in rules.net_changes(latest.level_changes):
        if change.exercise in held:
            notes.append(_held_line(change.exercise, held[change.exercise], program))
        else:
            notes.append(_level_line(change, program))
    gap_days = int((now - latest.last_wall) // rules.DAY_SECONDS)
    if gap_days >= LONG_GAP_DAYS:
        notes.append(phrase("long_gap", days=gap_days))
    rising = rules.pain_rising(past, now)
    if rising is not None:
        notes.append(phrase("pain_rising", first=rising.first, last=rising.last))
    else:
        high = rules.high_pain(past, now)
        if high is not None:
            notes.append(phrase("pain_high", rating=high))
    return notes


def _level_line(change: LevelChange, program: Program | None) -> str:
    name = exercise_name(change.exercise, program)
    level = level_name(change.exercise, change.to_level, change.level_name, program)
    if level:
        return phrase("level_up" if change.up else "level_down", exercise=name, level=level)
    return phrase("level_up_unnamed" if change.up else "level_down_unnamed", exercise=name)


def _held_line(exercise: str, level: int, program: Program | None) -> str:
    """A raise the rules did not carry over: today stays at the level before it."""
    name = exercise_name(exercise, program)
    spoken = level_name(exercise, level, None, program)
    if spoken:
        return phrase("level_held", exercise=name, level=spoken)
    return phrase("level_held_unnamed", exercise=name)


def weekly_summary(sessions: Sequence[SessionRecord], now: float) -> str:
    """One spoken sentence about the past seven days: sessions, sets, pain."""
    week = rules.recent(sessions, now)
    if not week:
        return phrase("week_none")
    if len(week) == 1:
        parts = [phrase("week_sessions_one")]
    else:
        parts = [phrase("week_sessions_many", count=len(week))]
    planned = sum(session.sets_planned for session in week)
    if planned:
        done = sum(session.sets_done for session in week)
        if planned == 1:
            parts.append(phrase("week_sets_one", done=done))
        else:
            parts.append(phrase("week_sets", done=done, planned=planned))
    ratings = [session.max_pain for session in week if session.max_pain is not None]
    if len(ratings) == 1:
        parts.append(phrase("week_pain_once", last=ratings[0]))
    elif ratings:
        first, last = ratings[0], ratings[-1]
        if last < first:
            parts.append(phrase("week_pain_down", first=first, last=last))
        elif last > first:
            parts.append(phrase("week_pain_up", first=first, last=last))
        else:
            parts.append(phrase("week_pain_steady", last=last))
    return phrase("week", parts=", ".join(parts))
