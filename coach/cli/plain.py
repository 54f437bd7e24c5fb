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


class OutputFailed(OSError):
    """Writing to stdout failed for a reason other than a closed pipe (a full disk, say)."""


class PlainStream:
    """A text stream that writes through to ``stream`` with control characters escaped.

    On stdout (``is_stdout``), a write or flush that fails other than by a
    closed pipe raises ``OutputFailed`` (same errno), so the command line can
    tell it from an error writing some other file.
    """

    def __init__(self, stream: TextIO, is_stdout: bool = False):
        self._stream = stream
        self._is_stdout = is_stdout

    def write(self, text: str) -> int:
        try:
            self._stream.write(visible_lines(text))
        except OSError as exc:
            self._raise(exc)
        return len(text)

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as exc:
            self._raise(exc)

    def _raise(self, exc: OSError) -> None:
        if not self._is_stdout or isinstance(exc, (BrokenPipeError, OutputFailed)):
            raise exc
        raise OutputFailed(exc.errno, exc.strerror) from exc

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
        sys.stdout = PlainStream(sys.stdout, is_stdout=True)  # type: ignore[assignment]
    if sys.stderr is not None and not isinstance(sys.stderr, PlainStream):
        sys.stderr = PlainStream(sys.stderr)  # type: ignore[assignment]
    try:
        yield
    finally:
        sys.stdout, sys.stderr = saved
