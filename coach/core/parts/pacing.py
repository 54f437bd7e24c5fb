"""The line whose end paces what comes next: the next step, or a question's silence timer."""

from __future__ import annotations

import math

from coach.spoken_text import speaking_seconds

SPEECH_FALLBACK_FACTOR = 3.0  # no SpeechDone after 3x the spoken estimate: carry on anyway
SPEECH_FALLBACK_SECONDS = 5.0


class LinePacing:
    """Waits for the SpeechDone of one line.

    A voice that never reports the end of a line (a crashed engine, a lost
    event) must not stall the session: after three times the spoken estimate
    plus five seconds the line counts as done.
    """

    def __init__(self) -> None:
        self.line_id: int | None = None  # the Say id waited for
        self.deadline = math.inf  # s: when to stop waiting

    def wait_for(self, line_id: int, text: str, now: float, rate_wpm: int) -> None:
        self.line_id = line_id
        estimate = speaking_seconds(max(1, len(text.split())), rate_wpm)
        self.deadline = now + estimate * SPEECH_FALLBACK_FACTOR + SPEECH_FALLBACK_SECONDS

    def forget(self) -> None:
        """Nothing paces what comes next any more (a count, a freeze, a re-prompt)."""
        self.line_id = None
        self.deadline = math.inf

    def ended(self, line_id: int) -> bool:
        """Whether ``line_id`` is the line waited for; it is forgotten if so."""
        if line_id != self.line_id:
            return False
        self.forget()
        return True

    def overdue(self, at: float) -> int | None:
        """The line waited for, if its end should have been heard by ``at``."""
        if self.line_id is not None and at >= self.deadline:
            return self.line_id
        return None
