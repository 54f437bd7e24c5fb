"""Listener settings: how the coach sounds, kept between sessions.

Loaded from and saved to the per-user config file (see ``coach.paths``).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Verbosity(enum.Enum):
    AUTO = "auto"  # full instructions the first times, short cues once familiar
    FULL = "full"
    SHORT = "short"


class CountWith(enum.Enum):
    VOICE = "voice"  # numbers spoken on the beat
    TONES = "tones"  # short tones on the beat instead of spoken numbers


RATE_STEP_WPM = 20
RATE_MIN_WPM = 80
RATE_MAX_WPM = 260
VOLUME_STEP = 0.15


@dataclass(frozen=True)
class Settings:
    voice: str = "en-us"  # an espeak-ng voice name
    rate_wpm: int = 150  # words per minute
    volume: float = 0.8  # 0..1
    verbosity: Verbosity = Verbosity.AUTO
    count_with: CountWith = CountWith.VOICE
    side: str | None = None  # "left" / "right": the knee last trained, if known
