"""Typed commands as an input of the loop: lines from a stream, read on a thread of their own.

The loop must keep ticking while nobody types, so reading the stream (which
blocks) happens on its own thread; the loop takes one line a step, and the
reader wakes the loop's clock when a line arrives, so it is handled at once.
End of input (Ctrl-D, a closed pipe) arrives as ``EOF``. The text becomes a
command in one place, ``coach.speech_in.typed.TypedText``; how a typed line
is shown (a transcript line, a hint that it was not a command) is the mode's.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Iterator
from typing import Final, TextIO

from coach.core.events import Event, Heard
from coach.speech_in.typed import TypedText


class _Eof:
    def __repr__(self) -> str:
        return "EOF"


EOF: Final = _Eof()


class LineReader:
    """Lines of ``stream`` into a queue, on a daemon thread; ``wake`` is set on each.

    ``edit``: the stream is a person's terminal, read with line editing
    (readline, where the platform has it: arrows, history, Ctrl-A/E).
    """

    def __init__(self, stream: TextIO, wake: threading.Event | None = None, *,
                 edit: bool = False) -> None:
        self._stream = stream
        self._edit = edit
        self.wake = wake if wake is not None else threading.Event()
        self._lines: queue.Queue[str | _Eof] = queue.Queue()
        self._thread = threading.Thread(target=self._read, name="coach-keys", daemon=True)

    def start(self) -> LineReader:
        self._thread.start()
        return self

    def _read(self) -> None:
        try:
            for line in self._edited() if self._edit else self._stream:
                self._lines.put(line.rstrip("\r\n"))
                self.wake.set()
        except (OSError, ValueError, EOFError):
            pass  # the stream was closed under us (or Ctrl-D): same as end of input
        finally:
            self._lines.put(EOF)
            self.wake.set()

    @staticmethod
    def _edited() -> Iterator[str]:
        try:
            import readline  # noqa: F401 - loading it gives input() line editing
        except ImportError:
            pass
        while True:
            yield input()

    def get(self, timeout_seconds: float = 0.0) -> str | _Eof | None:
        """The next typed line, EOF, or None when nothing came within the timeout."""
        try:
            if timeout_seconds <= 0:
                return self._lines.get_nowait()
            return self._lines.get(timeout=timeout_seconds)
        except queue.Empty:
            return None


# How a mode shows a typed line: the text, the command it is (None: none), the time.
ShowTyped = Callable[[str, "Heard | None", float], None]


class TypedLines:
    """An input of the loop: one typed line a step becomes a command; EOF ends it."""

    def __init__(self, reader: LineReader, typed: TypedText, show: ShowTyped) -> None:
        self.reader = reader
        self.typed = typed
        self.show = show
        self.ended = False  # end of input: nothing more will be typed

    def events(self, now: float) -> list[Event]:
        line = self.reader.get()
        if line is EOF:
            self.ended = True
            return []
        if not isinstance(line, str) or not line.strip():
            return []
        heard = self.typed.heard(line, now)
        self.show(line, heard, now)
        return [heard] if heard is not None else []
