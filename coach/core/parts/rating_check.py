"""A pain rating just taken, which the person may still correct.

A rating heard by the recogniser may be wrong ("five" for "nine"), and it
changes what the coach does next. So the coach says the number back as it
acts on it, and for a little while after, "no" or another number undoes
it: the session goes back to how it was before the rating and takes the
right one. The part keeps that earlier session, and closes when anything
else is said or the moment has passed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coach.core.pain import PainWhen

CORRECTION_SECONDS = 10.0  # after a rating is heard, "no" or another number corrects it


@dataclass(frozen=True)
class RatingTaken:
    rating: int  # 0..10
    exercise: str | None
    when: PainWhen
    heard_at: float  # s on the session clock
    before: Any  # the session's parts as they were before the rating (Context.snapshot)


class RatingCheck:
    def __init__(self) -> None:
        self.taken: RatingTaken | None = None

    def take(self, taken: RatingTaken) -> None:
        self.taken = taken

    def open_at(self, now: float) -> RatingTaken | None:
        """The rating that may still be corrected at ``now``, if any."""
        taken = self.taken
        if taken is not None and now - taken.heard_at > CORRECTION_SECONDS:
            self.taken = taken = None
        return taken

    def close(self) -> None:
        self.taken = None
