"""A recording file heard on its own, for the tests that hear real recordings."""

from __future__ import annotations

from pathlib import Path

from coach.audio.wavfile import read_audio
from coach.speech_in.listener import Listener
from coach.speech_in.scripted import hear_recording


def heard(listener: Listener, path: Path) -> list[tuple[str, int | None]]:
    """What ``listener`` takes from ``path`` at the moment ``expect`` set: (intent, number)."""
    return [(h.heard.intent.value, h.heard.number)
            for h in hear_recording(listener, read_audio(path))]
