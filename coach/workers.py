"""Failures off the loop's thread, handed to the loop: none is lost, each is told once.

The live coach keeps a few threads of its own beside the loop (the speaker's
pump, the recogniser's loader and decoder, the phrase warm-up), and some
outputs run on them (a ``--speak-to`` file). A thread whose target raises
would otherwise print a traceback and vanish, and whatever hung on it would
stop without a word: the pump's death froze the session clock. So such a
thread runs its target under ``Failures.thread``, and an output that may fail
reports through ``Failures.report``; the loop takes the failures each step
(``take``) and decides, in one place, what to say and how to carry on.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass

from coach.errors import CoachError


@dataclass(frozen=True)
class Failure:
    what: str  # which thread or output: "pump", "speak_to", "microphone", "warm-up", ...
    error: BaseException

    @property
    def detail(self) -> str:
        """The error in one line, for the note printed beside what the coach says."""
        text = str(self.error)
        if isinstance(self.error, CoachError):  # already a sentence for a person
            return text
        return f"{type(self.error).__name__}: {text}" if text else type(self.error).__name__


class Failures:
    """A queue of failures, filled from any thread, taken by the loop."""

    def __init__(self, wake: threading.Event | None = None) -> None:
        self._queue: queue.SimpleQueue[Failure] = queue.SimpleQueue()
        self._wake = wake  # set on each failure, so a waiting loop looks at once

    def report(self, what: str, error: BaseException) -> None:
        """Hand ``error`` of ``what`` to the loop (safe from any thread)."""
        self._queue.put(Failure(what, error))
        if self._wake is not None:
            self._wake.set()

    @property
    def pending(self) -> bool:
        return not self._queue.empty()

    def take(self) -> list[Failure]:
        """The failures reported since the last call, in order."""
        out: list[Failure] = []
        while True:
            try:
                out.append(self._queue.get_nowait())
            except queue.Empty:
                return out

    def thread(self, target: Callable[[], object], *, name: str, what: str) -> threading.Thread:
        """Start ``target`` on a daemon thread; if it raises, the failure is reported as ``what``."""

        def run() -> None:
            try:
                target()
            except BaseException as exc:  # noqa: BLE001 - handed to the loop, which says it
                self.report(what, exc)

        thread = threading.Thread(target=run, name=name, daemon=True)
        thread.start()
        return thread
