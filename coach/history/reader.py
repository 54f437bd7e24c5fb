"""What the reading modules need of the history file: one SELECT at a time.

``HistoryStore`` provides it; the modules that read (``read``, ``carry``,
``interruption``) take any ``Reader``, so they depend on this one method and
not on the store that calls them.
"""

from __future__ import annotations

from typing import Any, Protocol


class Reader(Protocol):
    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """The rows of one SELECT; raises ``HistoryUnavailable`` when the file cannot be read."""
        ...
