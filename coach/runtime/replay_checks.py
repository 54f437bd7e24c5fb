"""A replay script checked against its program and its recordings, before anything runs.

``replay_script`` checks what a script says on its own; what it says about
the program (exercise ids, levels, set numbers) and the recordings it names
can only be checked once the program is loaded and the replay knows whether
it can hear audio. Every problem is reported together, as
``FILE:LINE: field: what is wrong``, like a program's, and a replay that has
any does not start: a transcript never stops half way at a step that could
have been refused at the outset.
"""

from __future__ import annotations

import difflib

from coach.program.model import Exercise, Program
from coach.runtime.replay_script import Placed, ReplayScript
from coach.yamldata import Problems

NO_RECOGNISER = (
    "coach replay cannot hear recordings: no speech recogniser is connected to replays in "
    "this version. Use 'type:' steps instead"
)
GIVE_A_WAV = "give a WAV file, relative to the script's folder"


def problems(script: ReplayScript, program: Program, *, can_hear: bool) -> list[str]:
    """Every problem of ``script`` against ``program``; empty when it may run."""
    found = Problems(script.source)
    exercises = {ex.id: ex for ex in program.exercises}
    for placed in script.placed:
        if placed.path.endswith(".set"):
            _set_number(found, placed, script, exercises)
        elif not isinstance(placed.value, str) or placed.value not in exercises:
            found.add(placed.line, placed.path, _unknown(str(placed.value), list(exercises)))
        elif placed.path.startswith("levels."):
            _level(found, placed, script.levels[placed.value], exercises[placed.value])
    for step in script.steps:
        if step.kind != "audio":
            continue
        where = f"steps[{step.number - 1}].audio"
        file = script.folder / step.value
        if not can_hear:
            found.add(step.line, where, NO_RECOGNISER)
        elif not file.exists():
            found.add(step.line, where, f"no such file: {file}; {GIVE_A_WAV}")
        elif not file.is_file():
            found.add(step.line, where, f"{file} is not a regular file; {GIVE_A_WAV}")
    return found.messages


def _unknown(value: str, ids: list[str]) -> str:
    close = difflib.get_close_matches(value, ids, n=1, cutoff=0.6)
    hint = f"did you mean '{close[0]}'?" if close else f"its exercises: {', '.join(ids)}"
    return f"not an exercise of this routine ({hint})"


def _level(found: Problems, placed: Placed, level: int, ex: Exercise) -> None:
    count = len(ex.levels)
    if not 0 <= level < count:
        found.add(placed.line, placed.path,
                  f"expected a whole number from 0 to {count - 1}: the {ex.name} has "
                  f"{_plural(count, 'level')} (got {level})")


def _set_number(
    found: Problems, placed: Placed, script: ReplayScript, exercises: dict[str, Exercise]
) -> None:
    point = script.resume
    ex = exercises.get(point.exercise_id) if point is not None else None
    if ex is None:
        return  # the exercise is reported already
    level = script.levels.get(ex.id, ex.default_level)
    sets = ex.dose_at(level if 0 <= level < len(ex.levels) else ex.default_level).sets
    if not 1 <= placed.value <= sets:
        found.add(placed.line, placed.path,
                  f"expected a whole number from 1 to {sets}: the {ex.name} has "
                  f"{_plural(sets, 'set')} at the level it starts at (got {placed.value})")


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"
