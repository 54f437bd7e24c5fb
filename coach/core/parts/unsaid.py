"""Replies said and not yet begun: what a newer command makes stale.

A reply (how many left, help, "That does not work during a set.") answers
the moment it was asked in. When the person says something new before it
has begun, it is no longer worth saying: five "how many left" in a row get
the answer playing and the newest one, never five answers for the next
minute. What waits to be said stays bounded whatever is typed or said.
"""

from __future__ import annotations


class UnsaidReplies:
    def __init__(self) -> None:
        self._ids: dict[int, None] = {}  # line ids, in the order said

    def add(self, line_ids: list[int]) -> None:
        self._ids.update(dict.fromkeys(line_ids))

    def begun(self, line_id: int) -> None:
        """The voice started (or ended, or dropped) ``line_id``: it is no longer stale-able."""
        self._ids.pop(line_id, None)

    def take(self) -> tuple[int, ...]:
        """Every reply not begun yet, forgotten here (to be dropped)."""
        taken = tuple(self._ids)
        self._ids.clear()
        return taken
