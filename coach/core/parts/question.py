"""The question the coach has asked and is waiting to have answered."""

from __future__ import annotations

import math

SILENCE_REPROMPT_SECONDS = 8.0  # a question unanswered this long is asked once more


class OpenQuestion:
    """The question's words, and the silence after them.

    The silence is timed from the end of the question; after
    ``SILENCE_REPROMPT_SECONDS`` of it the question is asked once more, then
    the coach waits quietly. Anyone talking stops the timer.
    """

    def __init__(self) -> None:
        self.text = ""  # "" when no question is open
        self.silence_since = math.inf  # s
        self.reprompted = False

    @property
    def is_open(self) -> bool:
        return bool(self.text)

    def ask(self, text: str) -> None:
        self.text = text
        self.reprompted = False
        self.silence_since = math.inf

    def close(self) -> None:
        self.text = ""

    def said(self, at: float) -> None:
        """The question was heard to end at ``at``: the silence starts."""
        self.silence_since = at

    def someone_spoke(self) -> None:
        self.silence_since = math.inf

    def reprompt_due(self, at: float) -> bool:
        """Whether to ask again now; the silence timer stops either way once it ran out."""
        if not self.is_open or at < self.silence_since + SILENCE_REPROMPT_SECONDS:
            return False
        self.silence_since = math.inf
        if self.reprompted:
            return False
        self.reprompted = True
        return True
