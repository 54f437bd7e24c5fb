"""Which knee the session is for, and whether saying left or right may still choose it."""

from __future__ import annotations

from coach.program.model import Side


class SideChoice:
    """The knee: given, remembered from last time, asked, or said before it was asked.

    Until the first set starts, "left" or "right" may still choose it: when
    none is known, or when it is only remembered from last time. From the
    first set on, it is settled for the session.
    """

    def __init__(self, given: Side | None, remembered: Side | None) -> None:
        self.side = given if given is not None else remembered
        self.open = given is None  # the person may still name it

    def take(self, side: Side) -> None:
        self.side = side
        self.open = False

    def settle(self) -> None:
        self.open = False

    def default_to(self, side: Side) -> bool:
        """Use ``side`` when none is known yet (a resumed session's); whether it was used."""
        if self.side is not None:
            return False
        self.side = side
        return True
