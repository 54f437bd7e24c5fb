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

COLUMNS = ("Date", "Minutes", "Exercises", "Sets", "Max pain", "Finished", "Level changes")
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
    "level_changes",
)


def local_date(wall: float) -> str:
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(wall))


def utc_iso(wall: float | None) -> str | None:
    if wall is None:
        return None
    return datetime.fromtimestamp(wall, tz=timezone.utc).isoformat(timespec="seconds")


def finished(s: SessionRecord) -> str:
    if s.completed is True:
        return "yes"
    if s.completed is False:
        return "stopped early"
    return "cut off"


def changes_text(changes: Sequence[LevelChange], program: Program | None = None) -> str:
    parts = []
    for c in changes:
        direction = "up" if c.up else "down"
        level = level_name(c.exercise, c.to_level, c.level_name, program)
        target = f" to {level}" if level else ""
        parts.append(f"{exercise_name(c.exercise, program)} {direction}{target}")
    return "; ".join(parts)


Programs = Mapping[str, Program]
"""Programs by id, to name exercises and levels; sessions of others use their ids as words."""


def _row(s: SessionRecord, programs: Programs) -> dict[str, Any]:
    program = programs.get(s.program)
    return {
        "date": local_date(s.started_wall),
        "started_utc": utc_iso(s.started_wall),
        "minutes": round(s.duration_seconds / 60.0, 1),
        "program": s.program,
        "side": s.side,
        "exercises_done": s.exercises_done,
        "exercises_planned": len(s.exercises),
        "sets_done": s.sets_done,
        "sets_planned": s.sets_planned,
        "max_pain": s.max_pain,
        "finished": finished(s),
        "level_changes": changes_text(s.level_changes, program),
    }


def table(sessions: Sequence[SessionRecord], programs: Programs | None = None) -> str:
    """One line per session, newest first, columns padded with spaces."""
    rows = [COLUMNS]
    for s in sessions:
        r = _row(s, programs or {})
        rows.append(
            (
                r["date"],
                f"{r['minutes']:.0f}",
                f"{r['exercises_done']} of {r['exercises_planned']}",
                f"{r['sets_done']} of {r['sets_planned']}",
                "none" if r["max_pain"] is None else str(r["max_pain"]),
                r["finished"],
                r["level_changes"] or "none",
            )
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS) - 1)]
    lines = []
    for row in rows:
        cells = [cell.ljust(widths[i]) for i, cell in enumerate(row[:-1])]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines)


def as_json(sessions: Sequence[SessionRecord], programs: Programs | None = None) -> str:
    """Every detail of each session, for other programs."""
    out = []
    for s in sessions:
        r = _row(s, programs or {})
        r.update(
            id=s.id,
            completed=s.completed,
            started_wall=s.started_wall,
            last_utc=utc_iso(s.last_wall),
            duration_seconds=round(s.duration_seconds, 3),
            exercises=[
                {
                    "id": e.exercise,
                    "planned_sets": e.planned_sets,
                    "sets_done": e.sets_done,
                    "status": e.status,
                    "level_start": e.level_start,
                    "reason": e.reason,
                }
                for e in s.exercises
            ],
            pain=[
                {"exercise": p.exercise, "rating": p.rating, "when": p.when, "utc": utc_iso(p.wall)}
                for p in s.pain
            ],
            level_changes=[
                {
                    "exercise": c.exercise,
                    "from": c.from_level,
                    "to": c.to_level,
                    "level": c.level_name,
                    "utc": utc_iso(c.wall),
                }
                for c in s.level_changes
            ],
        )
        out.append(r)
    return json.dumps({"sessions": out}, indent=2)


def as_csv(sessions: Sequence[SessionRecord], programs: Programs | None = None) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for s in sessions:
        writer.writerow(_row(s, programs or {}))
    return buffer.getvalue()
