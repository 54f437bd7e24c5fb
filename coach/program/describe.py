"""A program as plain text, for ``coach show`` and for reading before a session.

Plain lines and numbered lists only (no tables, no colour), so a screen reader
reads it top to bottom in a sensible order. Templates are filled with the
chosen side, or with "sore"/"other" when no side is chosen.
"""

from __future__ import annotations

from collections.abc import Sequence

from coach.core.count_plan import MIN_COUNTDOWN_HOLD_SECONDS
from coach.program.model import (
    Condition,
    Dose,
    DoseChange,
    Exercise,
    Pattern,
    Program,
    Side,
    fill_side,
)

_PATTERN_TEXT = {
    Pattern.ONE_SIDE: "on your {side} leg",
    Pattern.PER_SIDE: "on each leg, your {side} leg first",
    Pattern.ALTERNATING: "alternating legs",
    Pattern.BOTH: "with both legs together",
}


def _n(count: float, word: str) -> str:
    """ "1 set", "3 sets", "1.5 seconds"."""
    return f"{count:g} {word}" if count == 1 else f"{count:g} {word}s"


def _minutes(seconds: float) -> str:
    whole = round(seconds)
    minutes, rest = divmod(whole, 60)
    if minutes and rest:
        return f"{_n(minutes, 'minute')} {_n(rest, 'second')}"
    return _n(minutes, "minute") if minutes else _n(rest, "second")


def dose_text(dose: Dose) -> str:
    """ "3 sets of 10 reps on your {side} leg. Rest 45 seconds between sets." (a template)."""
    if dose.pattern is Pattern.EACH_DIRECTION:
        reps = (
            f"{_n(dose.sets, 'set')}: each set is {dose.reps} steps one way, then {dose.reps} back"
        )
    else:
        reps = f"{_n(dose.sets, 'set')} of {_n(dose.reps, 'rep')} {_PATTERN_TEXT[dose.pattern]}"
    parts = [reps + "."]
    if dose.hold_seconds is not None:
        # A hold under MIN_COUNTDOWN_HOLD_SECONDS gets only its cue ("Hold."), no count.
        counted = ", counted aloud" if dose.hold_seconds >= MIN_COUNTDOWN_HOLD_SECONDS else ""
        parts.append(f"Hold {_n(dose.hold_seconds, 'second')} each rep{counted}.")
    if dose.sets > 1:
        parts.append(f"Rest {_n(dose.rest_seconds, 'second')} between sets.")
    return " ".join(parts)


def ranges_text(dose: Dose) -> str:
    """The ranges the source gives, kept as ranges: "2 to 3 sets; up to 30 seconds of hold"."""
    parts = []
    if dose.sets_span:
        parts.append(dose.sets_span.describe("sets"))
    if dose.reps_span:
        parts.append(dose.reps_span.describe("reps"))
    if dose.hold_span:
        parts.append("hold " + dose.hold_span.describe("seconds"))
    if dose.lift_span:
        parts.append("lift " + dose.lift_span.describe("inches"))
    return "; ".join(parts)


def change_text(change: DoseChange) -> str:
    parts = []
    if change.sets is not None:
        parts.append(_n(change.sets, "set"))
    if change.reps is not None:
        parts.append(_n(change.reps, "rep"))
    if change.hold_seconds is not None:
        parts.append(f"hold {_n(change.hold_seconds, 'second')}")
    if change.rest_seconds is not None:
        parts.append(f"rest {_n(change.rest_seconds, 'second')}")
    return ", ".join(parts) if parts else "same dose"


def exercise_lines(ex: Exercise, number: int, total: int, program: Program) -> list[str]:
    names = {c.id: c.name for c in program.conditions}
    dose = ex.dose
    lines = [
        f"Exercise {number} of {total}: {ex.name} ({ex.id})",
        f"Why: {ex.why}",
        f"Works: {ex.targets}",
        f"Helps: {', '.join(names.get(c, c) for c in ex.helps)}",
        f"Equipment: {', '.join(ex.equipment) if ex.equipment else 'none'}",
        "Steps:",
        *(f"  {i}. {step.text}" for i, step in enumerate(ex.steps, 1)),
        f"Dose: {dose_text(dose)}",
    ]
    ranges = ranges_text(dose)
    if ranges:
        lines.append(f"Ranges in the source: {ranges}.")
    phases = ", ".join(
        f"{p.cue.rstrip('.')} {_n(p.seconds, 'second')}{' (counted)' if p.counted else ''}"
        for p in dose.phases
    )
    lines.append(f"Each rep: {phases}. About {_n(dose.rep_seconds, 'second')} a rep.")
    if ex.safety:
        lines.append("Safety:")
        lines.extend(f"  - {s}" for s in ex.safety)
    lines.append(f"Short reminder: {ex.short_cue}")
    lines.append("Levels, easiest first:")
    for i, level in enumerate(ex.levels, 1):
        mark = " (default)" if i - 1 == ex.default_level else ""
        needs = f" Needs: {', '.join(level.equipment)}." if level.equipment else ""
        lines.append(
            f'  {i}. {level.name}{mark}: {change_text(level.change)}. Says: "{level.cue}"{needs}'
        )
    lines.append(f"Time: about {_minutes(ex.dose_at(ex.default_level).estimated_seconds())}.")
    return lines


def describe_program(
    program: Program, side: Side | None = None, conditions: Sequence[Condition] = ()
) -> str:
    """Every fact of the program as plain text, with the side filled in."""
    total = len(program.exercises)
    lines = [f"{program.title} ({program.id})", program.summary]
    if conditions:
        lines.append(f"Chosen for: {', '.join(c.name for c in conditions)}.")
    lines.append(f"Leg: {side.value if side else 'not chosen yet (reads as your sore leg)'}.")
    lines.append(f"Exercises: {total}.")
    lines += ["", "Safety:", *(f"  - {s}" for s in program.safety_lines)]
    for number, ex in enumerate(program.exercises, 1):
        lines += ["", *exercise_lines(ex, number, total, program)]
    work = sum(ex.dose_at(ex.default_level).estimated_seconds() for ex in program.exercises)
    lines += ["", f"Whole routine: about {_minutes(work)}, without the spoken instructions."]
    lines += ["", "Conditions this program knows:"]
    for cond in program.conditions:
        also = f" (also: {', '.join(cond.aliases)})" if cond.aliases else ""
        lines.append(f"  - {cond.id}: {cond.name}{also}")
    lines += ["", f"Credit: {program.credit}", "Sources:"]
    for i, source in enumerate(program.sources, 1):
        extra = "".join(
            f" {label}{value}" for label, value in (("doi:", source.doi), ("", source.url)) if value
        )
        lines.append(f"  {i}. {source.text}{extra}")
    return fill_side("\n".join(lines), side) + "\n"
