"""Termination signals end a run as Ctrl-C does: at the loop's next step, with an honest line.

SIGTERM (``kill``, a service manager, a shutdown) and SIGHUP (the terminal
closed, an ssh session dropped) would otherwise end the coach at once and
in silence. While a run is under ``StopOnSignal``, such a signal only asks
the loop to stop (``SessionLoop.stop``, safe from a handler) and wakes the
clock; the loop ends with ``Ending.STOPPED``, the mode says what was kept
(``messages.interrupted_line``), and the process exits ``128 + the signal``
(143, 129), as a shell reports a process that signal ended. A signal that
comes before the loop exists (a recogniser still loading) is remembered and
stops the loop at its first step. Progress is already in the history: it
is written after every set.

Keys mode and the live coach keep Ctrl-C as ``KeyboardInterrupt`` (it also
breaks out of a slow start-up); the demo and replays, whose loops never
wait, take it here too (``interrupt=True``), so all three signals end them
the same way.
"""

from __future__ import annotations

import signal
import threading
from types import FrameType, TracebackType

from coach.runtime.loop import SessionLoop

EXIT_INTERRUPTED = 128 + signal.SIGINT  # 130: Ctrl-C
EXIT_TERMINATED = 128 + signal.SIGTERM  # 143
EXIT_HUNG_UP = 128 + signal.SIGHUP  # 129
STOPPING = (signal.SIGTERM, signal.SIGHUP)


class StopOnSignal:
    """``with StopOnSignal() as stop:`` ... ``stop.attach(loop)``; then ``stop.exit_code``."""

    def __init__(self, *, interrupt: bool = False) -> None:
        self.signals = (*STOPPING, signal.SIGINT) if interrupt else STOPPING
        self.wake: threading.Event | None = None  # a clock waiting on it moves on at once
        self.received: int | None = None  # the first stopping signal, once one came
        self._loop: SessionLoop | None = None
        self._previous: dict[int, object] = {}

    def attach(self, loop: SessionLoop, wake: threading.Event | None = None) -> None:
        """Stop ``loop`` on a signal (at once, if one came already), setting ``wake``."""
        self._loop = loop
        self.wake = wake
        if self.received is not None:
            loop.stop()

    @property
    def stopped(self) -> bool:
        return self.received is not None

    @property
    def exit_code(self) -> int:
        """128 + the signal received (0 when none was)."""
        return 0 if self.received is None else 128 + self.received

    def __enter__(self) -> StopOnSignal:
        if threading.current_thread() is threading.main_thread():  # only it may set handlers
            for number in self.signals:
                self._previous[number] = signal.signal(number, self._handle)
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        for number, previous in self._previous.items():
            signal.signal(number, previous)  # type: ignore[arg-type]
        self._previous.clear()

    def _handle(self, number: int, frame: FrameType | None) -> None:
        if self.received is None:
            self.received = number
        if self._loop is not None:
            self._loop.stop()
        if self.wake is not None:
            self.wake.set()
