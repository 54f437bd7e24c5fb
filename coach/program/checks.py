"""Checks that look at several fields of a program at once.

Each records its problems on the ``Item`` they are about (so the message names
the right line) and never raises; ``coach.program.parse`` raises them all
together at the end.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from coach.program.model import Condition, Dose, DoseChange, Level, Span
from coach.yamldata import Fields, Item

PLACEHOLDERS = ("{side}", "{other_side}")
_BRACED = re.compile(r"\{[^{}]*\}")


def check_placeholders(text: str, item: Item) -> None:
    """Spoken text may name the leg only as {side} or {other_side}."""
    for found in _BRACED.findall(text):
        if found not in PLACEHOLDERS:
            item.problem(
                f"unknown placeholder {found}; only {{side}} and {{other_side}} "
                "may appear in braces"
            )
    if "{" in _BRACED.sub("", text) or "}" in _BRACED.sub("", text):
        item.problem(
            f"unbalanced brace; write {{side}} or {{other_side}} in full (got '{_short(text)}')"
        )


def _short(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "..."


def check_unique(pairs: Iterable[tuple[str, Item]], what: str) -> None:
    """Report each value that appears a second time, at its second place."""
    first: dict[str, Item] = {}
    for value, item in pairs:
        if not value:
            continue
        key = value.lower()
        if key in first:
            item.problem(f"duplicate {what} '{value}' (first on line {first[key].line})")
        else:
            first[key] = item


def check_condition_names(conditions: Sequence[Condition], items: Sequence[Item]) -> None:
    """A name or alias may point to one condition only, or selection would be ambiguous."""
    owner: dict[str, str] = {}
    for cond, item in zip(conditions, items, strict=False):
        for name in sorted({n.strip().lower() for n in (cond.id, cond.name, *cond.aliases)}):
            if name and name in owner and owner[name] != cond.id:
                item.problem(f"the name '{name}' already means condition '{owner[name]}'")
            owner.setdefault(name, cond.id)


def check_known(values: Sequence[tuple[str, Item]], known: Sequence[str], what: str) -> None:
    for value, item in values:
        if value and value not in known:
            item.problem(f"unknown {what} '{value}'; expected one of: {', '.join(known)}")


def check_dose(dose: Dose, f: Fields) -> None:
    """One counted phase when there is a hold; the chosen values lie in the source's spans."""
    if not f.valid:
        return
    counted = sum(1 for phase in dose.phases if phase.counted)
    phases = f["phases"]
    if counted > 1:
        phases.problem(f"expected at most one counted phase, the hold (got {counted})")
    if dose.hold_span is not None and counted != 1:
        phases.problem(
            f"hold_span is given, so exactly one phase must be counted: true (got {counted})"
        )
    _inside(dose.sets_span, dose.sets, f.get("sets_span"), "sets", f["sets"])
    _inside(dose.reps_span, dose.reps, f.get("reps_span"), "reps", f["reps"])
    hold = dose.hold_seconds
    if hold is not None:
        _inside(dose.hold_span, hold, f.get("hold_span"), "the counted phase's seconds", phases)


def _inside(
    span: Span | None, value: float, item: Item | None, what: str, value_item: Item
) -> None:
    """The chosen value must lie in the span, unless either was already found wrong."""
    if span is None or item is None or value_item.missing:
        return
    if not (item.problems.clean(item.path) and item.problems.clean(value_item.path)):
        return
    if value not in span:
        item.problem(f"must contain {what} (got {value:g}, outside {_span_text(span)})")


def _span_text(span: Span) -> str:
    return f"up to {span.high:g}" if span.low <= 0 else f"{span.low:g} to {span.high:g}"


def check_levels(
    levels: Sequence[Level], default_level: int, dose: Dose, level_items: Sequence[Item]
) -> None:
    """Easier rungs (below the default) may only use values from the source's ranges."""
    for index, (level, item) in enumerate(zip(levels, level_items, strict=False)):
        if not item.problems.clean(item.path):
            continue  # its own fields are wrong: that is the message to fix first
        change = level.change
        if change.hold_seconds is not None and dose.hold_seconds is None:
            item.problem("changes hold_seconds, but the dose has no counted phase to hold")
        if index == default_level and change != DoseChange():
            item.problem("the default level is the dose as the source gives it; remove its change")
        if index >= default_level:
            continue
        for value, span, name in (
            (change.sets, dose.sets_span, "sets"),
            (change.reps, dose.reps_span, "reps"),
            (change.hold_seconds, dose.hold_span, "hold_seconds"),
        ):
            if value is None:
                continue
            if span is None:
                item.problem(
                    f"an easier level may change {name} only within a range the "
                    f"source gives, and the dose has no {name.split('_')[0]}_span"
                )
            elif value not in span:
                item.problem(
                    f"an easier level's {name} must lie within the source's range "
                    f"(got {value:g}, outside {_span_text(span)})"
                )
