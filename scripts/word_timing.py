"""Where a recorded word ends, one measure for every benchmark that times an answer from it."""

from __future__ import annotations

import numpy as np

from coach.audio.format import RATE_HZ

LOUD_FRACTION = 0.03  # of the word's peak: quieter than this is the recording, not the word


def word_end_seconds(pcm: np.ndarray) -> float | None:
    """Seconds from the clip's start to its last sample above 3% of its peak (None: silent)."""
    a = np.abs(np.asarray(pcm, dtype=np.int32))
    peak = int(a.max()) if a.size else 0
    if peak == 0:
        return None
    return int(np.flatnonzero(a > LOUD_FRACTION * peak)[-1]) / RATE_HZ
