"""The pain-monitoring model, as a physiotherapist applies it.

0-2 is safe: carry on. 3-5 is acceptable: carry on, and offer the easier
level. Above 5 the exercise stops: suggest the easier level or skipping it;
the second time in one session, advise stopping for today. The coach never
asks anyone to push through pain.
"""

from __future__ import annotations

import enum

SAFE_MAX = 2
ACCEPTABLE_MAX = 5
HIGH_PER_SESSION_LIMIT = 2  # ratings above ACCEPTABLE_MAX before advising to stop


class PainBand(enum.Enum):
    SAFE = "safe"
    ACCEPTABLE = "acceptable"
    TOO_MUCH = "too-much"


def band(rating: int) -> PainBand:
    if rating <= SAFE_MAX:
        return PainBand.SAFE
    if rating <= ACCEPTABLE_MAX:
        return PainBand.ACCEPTABLE
    return PainBand.TOO_MUCH


class PainWhen(enum.Enum):
    AFTER_EXERCISE = "after-exercise"
    DURING = "during"
