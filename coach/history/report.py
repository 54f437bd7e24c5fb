"""Past sessions as text for people and programs: a plain table, JSON and CSV.

The table is plain text with aligned columns and no decoration, so it reads
line by line in a screen reader. Dates in the table are local time; JSON and
CSV carry UTC ISO 8601 times as well, for other programs.
"""

from __future__ import annotations

import csv
import io
import json
import time
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any

from coach.history.names import exercise_name, level_name
from coach.history.read import LevelChange, SessionRecord
from coach.program.model import Program

COLUMNS = ("Date", "Minutes", "Exercises", "Sets", "Max pain", "Finished", "Skipped",
           "Level changes")
CSV_FIELDS = (
    "date",
    "started_utc",
    "minutes",
    "program",
    "side",
    "exercises_done",
    "exercises_planned",
    "sets_done",
    "sets_planned",
    "max_pain",
    "finished",
    "skipped",
    "level_changes",
)


def local_date(wall: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(wall))


def utc_iso(wall: float | None) -> str | None:
    if wall is None:
        return None
    return datetime.fromtimestamp(wall, tz=timezone.utc).isoformat(timespec="seconds")


def finished(session: SessionRecord) -> str:
    if session.completed is True:
        return "yes"
    if session.completed is False:
        return "stopped early"
    return "cut off"


def changes_text(changes: Sequence[LevelChange], program: Program | None = None) -> str:
    parts = []
    for change in changes:
        direction = "up" if change.up else "down"
        level = level_name(change.exercise, change.to_level, change.level_name, program)
        target = f" to {level}" if level else ""
        parts.append(f"{exercise_name(change.exercise, program)} {direction}{target}")
    return "; ".join(parts)


Programs = Mapping[str, Program]
"""Programs by id, to name exercises and levels; sessions of others use their ids as words."""


def _row(session: SessionRecord, programs: Programs) -> dict[str, Any]:
    program = programs.get(session.program)
    return {
        "date": local_date(session.started_wall),
        "started_utc": utc_iso(session.started_wall),
        "minutes": round(session.duration_seconds / 60.0, 1),
        "program": session.program,
        "side": session.side,
        "exercises_done": session.exercises_done,
        "exercises_planned": len(session.exercises),
        "sets_done": session.sets_done,
        "sets_planned": session.sets_planned,
        "max_pain": session.max_pain,
        "finished": finished(session),
        "skipped": ", ".join(
            exercise_name(entry.exercise, program)
            for entry in session.exercises
            if entry.status == "skipped"
        ),
        "level_changes": changes_text(session.level_changes, program),
    }


def table(sessions: Sequence[SessionRecord], programs: Programs | None = None) -> str:
    """One line per session, newest first, columns padded with spaces.

    Sessions of several programs carry a Program column after the date, so
    each line says whose it is; one program's table stays as short as it was.
    """
    several = len({session.program for session in sessions}) > 1
    columns = (COLUMNS[0], "Program", *COLUMNS[1:]) if several else COLUMNS
    rows: list[tuple[str, ...]] = [columns]
    for session in sessions:
        values = _row(session, programs or {})
        rows.append(
            (
                values["date"],
                *((values["program"],) if several else ()),
                f"{values['minutes']:.0f}",
                f"{values['exercises_done']} of {values['exercises_planned']}",
                f"{values['sets_done']} of {values['sets_planned']}",
                "none" if values["max_pain"] is None else str(values["max_pain"]),
                values["finished"],
                values["skipped"] or "none",
                values["level_changes"] or "none",
            )
        )
    widths = [max(len(row[column]) for row in rows) for column in range(len(columns) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(widths[column]) for column, cell in enumerate(row[:-1])]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


def as_json(sessions: Sequence[SessionRecord], programs: Programs | None = None) -> str:
    """Every detail of each session, for other programs."""
    out = []
    for session in sessions:
        row = _row(session, programs or {})
        row.update(
            id=session.id,
            completed=session.completed,
            started_wall=session.started_wall,
            last_utc=utc_iso(session.last_wall),
            duration_seconds=round(session.duration_seconds, 3),
            exercises=[
                {
                    "id": entry.exercise,
                    "planned_sets": entry.planned_sets,
                    "sets_done": entry.sets_done,
                    "status": entry.status,
                    "level_start": entry.level_start,
                    "reason": entry.reason,
                }
                for entry in session.exercises
            ],
            pain=[
                {
                    "exercise": rating.exercise,
                    "rating": rating.rating,
                    "when": rating.when,
                    "utc": utc_iso(rating.wall),
                }
                for rating in session.pain
            ],
            level_changes=[
                {
                    "exercise": change.exercise,
                    "from": change.from_level,
                    "to": change.to_level,
                    "level": change.level_name,
                    "utc": utc_iso(change.wall),
                }
                for change in session.level_changes
            ],
        )
        out.append(row)
    return json.dumps({"sessions": out}, indent=2)


def as_csv(sessions: Sequence[SessionRecord], programs: Programs | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for session in sessions:
        writer.writerow(_row(session, programs or {}))
    return buffer.getvalue()
