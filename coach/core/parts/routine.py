"""Where the session is in the program: which exercise, which set, at which level."""

from __future__ import annotations

from collections.abc import Mapping

from coach.program.model import Dose, Exercise, Program


class Routine:
    """The program, the position in it and each exercise's level.

    Levels start where past sessions left them (``levels``: exercise id ->
    ladder index), kept inside each exercise's ladder.
    """

    def __init__(self, program: Program, levels: Mapping[str, int]) -> None:
        self.program = program
        self.levels: dict[str, int] = {}
        for ex in program.exercises:
            wanted = levels.get(ex.id, ex.default_level)
            self.levels[ex.id] = min(max(int(wanted), 0), len(ex.levels) - 1)
        self.index = 0  # of the exercise under way or next
        self.set_number = 1  # 1-based, the set under way or next

    @property
    def exercise(self) -> Exercise | None:
        """The exercise under way or coming next; None once all are done."""
        if 0 <= self.index < len(self.program.exercises):
            return self.program.exercises[self.index]
        return None

    @property
    def remaining(self) -> tuple[Exercise, ...]:
        """This exercise and the ones after it."""
        return self.program.exercises[self.index :]

    def dose(self, ex: Exercise) -> Dose:
        """``ex``'s dose at its current level."""
        return ex.dose_at(self.levels[ex.id])

    def go_to(self, ex: Exercise, set_number: int) -> None:
        """Carry on at ``ex``'s set ``set_number`` (kept within its sets)."""
        self.index = self.program.exercises.index(ex)
        self.set_number = min(max(1, set_number), self.dose(ex).sets)

    def next_exercise(self) -> None:
        self.index += 1
        self.set_number = 1

    def next_set(self) -> None:
        self.set_number += 1

    def keep_set_within(self, sets: int) -> None:
        """A level with fewer sets: the set to do next is at most the last one."""
        self.set_number = min(self.set_number, sets)

    def change_level(self, ex: Exercise, step: int) -> int | None:
        """Move ``ex`` ``step`` levels (+1 harder, -1 easier); the new index, or None at an end."""
        new = self.levels[ex.id] + step
        if not 0 <= new < len(ex.levels):
            return None
        self.levels[ex.id] = new
        return new
