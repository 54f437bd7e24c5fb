"""Exercises and levels named aloud from what the history holds.

The history keeps ids ("wall-squat", "eyes-closed"); a program, when given,
has their spoken names. Without one (the file was edited, or an exercise is
gone), an id is read as words.
"""

from __future__ import annotations

from coach.program.model import Program


def exercise_name(exercise_id: str, program: Program | None) -> str:
    """The spoken name: from the program when given, else the id read as words."""
    if program is not None:
        try:
            return program.exercise(exercise_id).name
        except KeyError:
            pass
    return as_words(exercise_id)


def level_name(exercise_id: str, level: int, logged: str | None, program: Program | None) -> str:
    """A level's spoken name: from the program when given, else what was logged, as words."""
    if program is not None:
        try:
            return program.exercise(exercise_id).levels[level].name
        except (KeyError, IndexError):
            pass
    return as_words(logged or "")


def as_words(identifier: str) -> str:
    """ "wall-squat" -> "wall squat": an id read aloud when no program names it."""
    return identifier.replace("-", " ").replace("_", " ")
