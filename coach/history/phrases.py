"""The spoken and printed phrases about history, read once from ``lines.yaml`` (data, not code)."""

from __future__ import annotations

from pathlib import Path

from coach.spoken_text import Lines, keys_used, lines_in

FILE = Path(__file__).with_name("lines.yaml")

# Every line and the placeholders it must keep; checked when the file is read.
REQUIRED: dict[str, frozenset[str]] = {
    "level_up": frozenset({"exercise", "level"}),
    "level_up_unnamed": frozenset({"exercise"}),
    "level_down": frozenset({"exercise", "level"}),
    "level_down_unnamed": frozenset({"exercise"}),
    "level_held": frozenset({"exercise", "level"}),
    "level_held_unnamed": frozenset({"exercise"}),
    "long_gap": frozenset({"days"}),
    "pain_high": frozenset({"rating"}),
    "pain_rising": frozenset({"first", "last"}),
    "resume_where": frozenset({"exercise", "set_number", "of_sets"}),
    "resume_where_unsized": frozenset({"exercise", "set_number"}),
    "resume_offer": frozenset({"where"}),
    "week": frozenset({"parts"}),
    "week_none": frozenset(),
    "week_sessions_one": frozenset(),
    "week_sessions_many": frozenset({"count"}),
    "week_sets": frozenset({"done", "planned"}),
    "week_sets_one": frozenset({"done"}),
    "week_pain_down": frozenset({"first", "last"}),
    "week_pain_up": frozenset({"first", "last"}),
    "week_pain_steady": frozenset({"last"}),
    "week_pain_once": frozenset({"last"}),
    "last_session": frozenset({"when", "parts"}),
    "last_none": frozenset(),
    "last_minutes": frozenset({"minutes"}),
    "last_minutes_one": frozenset(),
    "last_exercises": frozenset({"done", "planned"}),
    "last_sets": frozenset({"done", "planned"}),
    "last_skipped": frozenset({"names"}),
    "last_level_up": frozenset({"exercise", "level"}),
    "last_level_down": frozenset({"exercise", "level"}),
    "last_pain": frozenset({"first", "last"}),
    "last_pain_once": frozenset({"rating"}),
    "last_pain_none": frozenset(),
    "last_stopped_early": frozenset(),
    "when_today": frozenset(),
    "when_yesterday": frozenset(),
    "when_days_ago": frozenset({"days"}),
    "trend_none": frozenset(),
    "trend_one": frozenset({"rating"}),
    "trend_few": frozenset({"count", "first", "last"}),
    "trend_down": frozenset({"span", "first", "last"}),
    "trend_up": frozenset({"span", "first", "last"}),
    "trend_steady": frozenset({"span", "last"}),
    "trend_weeks": frozenset({"weeks"}),
    "trend_days": frozenset({"days"}),
    "trend_one_day": frozenset(),
    "read_only_note": frozenset({"path"}),
    "read_only_session": frozenset(),
    "disk_full_note": frozenset({"path"}),
    "disk_full_session": frozenset(),
    "history_none": frozenset(),
    "history_none_demo": frozenset(),
    "history_none_of_demo": frozenset(),
    "history_unknown_program": frozenset({"program", "programs"}),
    "history_unknown_program_none": frozenset({"program"}),
    "history_demo_programs": frozenset({"programs"}),
    "plot_written": frozenset({"count", "path"}),
    "plot_written_one": frozenset({"path"}),
    "forget_what": frozenset({"path"}),
    "forget_sessions_none": frozenset(),
    "forget_sessions_one": frozenset({"first"}),
    "forget_sessions_one_day": frozenset({"count", "first"}),
    "forget_sessions_many": frozenset({"count", "first", "last"}),
    "forget_settings_kept": frozenset(),
    "forget_ask": frozenset(),
    "forget_kept": frozenset(),
    "forget_done": frozenset({"path"}),
    "forget_done_side": frozenset({"path", "side"}),
    "forget_none": frozenset({"path"}),
    "forget_strays": frozenset({"files"}),
    "forget_not_ours": frozenset({"path", "problem"}),
    "forget_busy": frozenset({"path"}),
    "forget_changed": frozenset(),
    "forget_read_only": frozenset({"path"}),
    "forget_failed": frozenset({"path", "reason"}),
}


def phrases() -> Lines:
    """All phrases, read and checked once (as coach starts); a bad entry is named with its file."""
    return lines_in(FILE, required=keys_used("history/lines.yaml"), placeholders=REQUIRED)


def phrase(name: str, **values: object) -> str:
    """The phrase ``name`` with its placeholders filled in."""
    return phrases().get(name, **values)
