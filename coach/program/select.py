"""Choose the exercises of a program that fit the person's conditions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from coach.errors import CoachError
from coach.program.model import Condition, Program


def resolve_conditions(program: Program, names: Sequence[str]) -> tuple[Condition, ...]:
    """Each name (id, name or alias, any case) to its condition; unknown names are an error."""
    found: list[Condition] = []
    unknown: list[str] = []
    for name in names:
        cond = program.condition(name)
        if cond is None:
            unknown.append(name)
        elif cond not in found:
            found.append(cond)
    if unknown:
        raise CoachError(
            f"Unknown condition {', '.join(repr(n) for n in unknown)} for program "
            f"'{program.id}'. Known conditions: {known_conditions_text(program)}."
        )
    return tuple(found)


def known_conditions_text(program: Program) -> str:
    """ "osteoarthritis (also: oa, arthritis), ..." for error messages and help."""
    parts = []
    for cond in program.conditions:
        others = [n for n in (cond.name, *cond.aliases) if n.lower() != cond.id]
        parts.append(f"{cond.id} (also: {', '.join(others)})" if others else cond.id)
    return "; ".join(parts)


def select_routine(program: Program, conditions: Sequence[str]) -> Program:
    """The program with only the exercises that help any of ``conditions``, in order.

    No conditions means the whole program. A condition no exercise helps is an
    error rather than an empty session.
    """
    if not conditions:
        return program
    wanted = {c.id for c in resolve_conditions(program, conditions)}
    exercises = tuple(ex for ex in program.exercises if wanted & set(ex.helps))
    if not exercises:
        raise CoachError(
            f"No exercise in '{program.id}' helps {', '.join(sorted(wanted))}. "
            "Choose another condition, or run the whole program."
        )
    return replace(program, exercises=exercises)
