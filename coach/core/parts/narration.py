"""Narration: lines read out one after another, each after the last one ended."""

from __future__ import annotations

import math
from collections.abc import Sequence

STEP_GAP_SECONDS = 0.7  # silence after a spoken line before the next one


class Narration:
    """The lines being read (the opening, the plan, an exercise's steps, the summary).

    The next line is due ``STEP_GAP_SECONDS`` after the current one was heard
    to end, so a long step is never cut by the next; ``back`` and ``repeat``
    move within the same lines.
    """

    def __init__(self) -> None:
        self.lines: tuple[str, ...] = ()
        self.index = 0  # the line being said, or len(lines) once all are said
        self._full = True  # an exercise's full steps, not its one-line reminder
        self.next_line_at = math.inf  # s: when the next line is due

    def start(self, lines: Sequence[str], index: int = 0) -> None:
        self.lines = tuple(lines)
        self.index = index
        self.next_line_at = math.inf

    def read_in_full(self, full: bool) -> None:
        """The exercise is read with its full steps (``full``), or its one-line reminder."""
        self._full = full

    def in_full(self) -> bool:
        return self._full

    @property
    def current(self) -> str | None:
        """The line to say now; None once every line has been said."""
        return self.lines[self.index] if self.index < len(self.lines) else None

    def line_ended(self, at: float) -> None:
        self.next_line_at = at + STEP_GAP_SECONDS

    def due(self, at: float) -> bool:
        return at >= self.next_line_at

    def hold(self) -> None:
        """No next line until the current one is said (again) and ends."""
        self.next_line_at = math.inf

    def forward(self) -> None:
        self.hold()
        self.index += 1

    def backward(self) -> None:
        self.hold()
        self.index = max(0, self.index - 1)
