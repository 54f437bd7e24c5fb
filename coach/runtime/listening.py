"""The runtime's one door to speech in: build a Listener, feed it, describe it.

The live loop and the demo both go through these few functions, so the
recogniser's API is used in one place only.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from coach.core.events import Heard
from coach.errors import CoachError


def make_listener(engine: str | None = None, model: str | None = None) -> Any:
    """A Listener for ``engine`` ("vosk", "sphinx", None: the best installed)."""
    try:
        from coach.speech_in import listener as module
    except ImportError:
        raise CoachError(
            "Speech recognition is not available in this version; type your commands."
        ) from None
    return module.make_listener(engine=engine, model=model)  # type: ignore[attr-defined]


def feed(listener: Any, samples: np.ndarray, at: float) -> list[Heard]:
    """Microphone samples (16 kHz int16) whose first sample was at ``at``."""
    return list(listener.feed(samples, at))


def playing(listener: Any, samples: np.ndarray, at: float) -> None:
    """What the speaker plays from ``at`` on: the echo gate's reference."""
    listener.playing(samples, at)


def describe(listener: Any) -> str:
    return str(getattr(listener, "description", type(listener).__name__))
