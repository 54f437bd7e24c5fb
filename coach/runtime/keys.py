"""Typed commands: a reader thread turns lines from a stream into a queue.

The main loop must keep ticking while nobody types, so reading stdin (which
blocks) happens on its own thread; the loop only polls the queue. End of
input (Ctrl-D, a closed pipe) arrives as ``EOF``.
"""

from __future__ import annotations

import queue
import threading
from typing import Final, TextIO


class _Eof:
    def __repr__(self) -> str:
        return "EOF"


EOF: Final = _Eof()


class LineReader:
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lines: queue.Queue[str | _Eof] = queue.Queue()
        self._thread = threading.Thread(target=self._read, name="coach-keys", daemon=True)

    def start(self) -> LineReader:
        self._thread.start()
        return self

    def _read(self) -> None:
        try:
            for line in self._stream:
                self._lines.put(line.rstrip("\r\n"))
        except (OSError, ValueError):
            pass  # the stream was closed under us: same as end of input
        finally:
            self._lines.put(EOF)

    def get(self, timeout_seconds: float) -> str | _Eof | None:
        """The next typed line, EOF, or None when nothing came within the timeout."""
        try:
            return self._lines.get(timeout=timeout_seconds)
        except queue.Empty:
            return None
