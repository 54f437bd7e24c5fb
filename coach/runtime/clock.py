"""The run's one clock: manual in tests and replays, monotonic live.

Everything the session does is timed against ``now()`` of one of these, so a
replay with a manual clock gives the same transcript every run.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds since the run began."""
        ...


class ManualClock:
    """A clock that moves only when told to (tests, replays)."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = float(start)

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError(f"a clock cannot go back ({seconds} s)")
        self._now += seconds
        return self._now

    def set(self, at: float) -> None:
        if at < self._now:
            raise ValueError(f"a clock cannot go back (from {self._now} s to {at} s)")
        self._now = float(at)


class MonotonicClock:
    """Seconds since creation, from ``time.monotonic`` (never jumps with the wall clock)."""

    def __init__(self) -> None:
        self._origin = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self._origin
