"""Speech the coach did not understand: when it last was, and what the coach said lately.

The coach's own lines are kept for a few seconds so that its echo, written
down by the recogniser, is never answered as if the person had spoken.
"""

from __future__ import annotations

import math
import re
from collections import deque

ECHO_WINDOW_SECONDS = 6.0  # a line said this recently may come back through the microphone
KEPT_LINES = 24
_WORD = re.compile(r"[a-z0-9']+")


def words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(text.lower()))


class Misheard:
    def __init__(self) -> None:
        self._last_at = -math.inf  # s: the last utterance not understood, not yet answered
        self._answered_at = -math.inf  # s: when the coach last answered one
        self._said: deque[tuple[float, frozenset[str]]] = deque(maxlen=KEPT_LINES)

    def answered_within(self, at: float, seconds: float) -> bool:
        """Whether the coach answered speech not understood under ``seconds`` before ``at``."""
        return at - self._answered_at < seconds

    def missed_within(self, at: float, seconds: float) -> bool:
        """Whether speech not understood went unanswered at most ``seconds`` before ``at``."""
        return at - self._last_at <= seconds

    def missed_silently(self, at: float) -> None:
        """Not understood at ``at`` and not answered (a first miss during work)."""
        self._last_at = at

    def answered(self, at: float) -> None:
        """The coach answered speech it did not understand, at ``at``."""
        self._last_at = -math.inf
        self._answered_at = at

    def coach_said(self, at: float, text: str) -> None:
        self._said.append((at, words(text)))

    def echo(self, at: float, text: str) -> bool:
        """Whether ``text`` heard at ``at`` is only words the coach said just before."""
        heard = words(text)
        if not heard:
            return True
        recent: set[str] = set()
        for said_at, said in self._said:
            if at - ECHO_WINDOW_SECONDS <= said_at <= at:
                recent |= said
        return heard <= recent
