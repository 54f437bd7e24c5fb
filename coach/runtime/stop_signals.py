"""Termination signals end a run as Ctrl-C does: at the loop's next step, with an honest line.

SIGTERM (``kill``, a service manager, a shutdown) and SIGHUP (the terminal
closed, an ssh session dropped) would otherwise end the coach at once and
in silence. While a run is under ``StopOnSignal``, such a signal only asks
the loop to stop (``SessionLoop.stop``: a flag); the loop sees it at its next
step, at most one clock step later (25 ms live, 50 ms in keys mode), and
ends with ``Ending.STOPPED``, the mode says what was kept
(``messages.interrupted_line``), and the process exits ``128 + the signal``
(143, 129), as a shell reports a process that signal ended. A signal that
comes before the loop exists (a recogniser still loading) is remembered and
stops the loop at its first step. Progress is already in the history: it
is written after every set.

The handler takes no lock. Python runs it on the main thread between two
of its instructions, wherever that thread is: setting the clock's wake
event from there (as this module once did) could find the main thread
already holding that event's lock, inside the clock's own ``wait`` or
``clear``, and the process hung for good, once in a few hundred runs.

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
        self.received: int | None = None  # the first stopping signal, once one came
        self._loop: SessionLoop | None = None
        self._previous: dict[int, object] = {}

    def attach(self, loop: SessionLoop) -> None:
        """Stop ``loop`` on a signal (at once, if one came already)."""
        self._loop = loop
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
            self._loop.stop()  # a plain flag: no lock (see above)
