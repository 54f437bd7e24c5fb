"""An engine at the edge, for tests of what the listener hands a recogniser."""

from __future__ import annotations

import numpy as np

from coach.speech_in.engine import EngineBase, Hypothesis


class Counting(EngineBase):
    """Keeps how many samples each utterance gave it (``given``); hears nothing."""

    name = "counting"

    def __init__(self) -> None:
        self.given: list[int] = []

    def begin(self) -> None:
        self.given.append(0)

    def accept(self, pcm: np.ndarray) -> None:
        self.given[-1] += pcm.size

    def finish(self) -> Hypothesis:
        return Hypothesis("", 0.0, False)
