"""Everything the command line prints is plain text: no control character reaches the terminal.

Messages carry words from outside the coach: file names, device and voice
names, the history, what the recogniser heard. The transcript and the lists
of problems escape their fields where they are formatted (so a line break in
one field cannot start a forged line); this is the net under everything
else: each write to stdout and stderr has its control characters, other
than the line break, written out (``\\x1b``), so nothing can retitle the
terminal, move its cursor or ring its bell.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any, TextIO

from coach.visible import visible_lines


class PlainStream:
    """A text stream that writes through to ``stream`` with control characters escaped."""

    def __init__(self, stream: TextIO):
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(visible_lines(text))
        return len(text)

    def writelines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, encoding, buffer...
        return getattr(self._stream, name)


@contextmanager
def plain_streams() -> Iterator[None]:
    """Escape control characters in all that is printed while inside."""
    saved = sys.stdout, sys.stderr
    if sys.stdout is not None and not isinstance(sys.stdout, PlainStream):
        sys.stdout = PlainStream(sys.stdout)  # type: ignore[assignment]
    if sys.stderr is not None and not isinstance(sys.stderr, PlainStream):
        sys.stderr = PlainStream(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
