"""A stand-in for a person's voice: the demo's virtual user, the end-to-end tests.

The coach speaks with espeak-ng. A person saying "next" sounds nothing like
it, and the stand-in should not either: the recogniser must never be tested
on the coach's own voice, which it is built to ignore. So the person speaks
with Flite, a different synthesiser whose diphone voices are recorded human
speech. (Measured on the whole vocabulary, PocketSphinx recognised 84% of
Flite's phrases against 41% of espeak-ng's formant voices: espeak-ng's
consonants are too unlike a human's for its acoustic model.)

Without Flite installed, espeak-ng voices stand in.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from coach.audio.format import RATE_HZ
from coach.audio.wavfile import Pcm, read_audio, write_wav
from coach.errors import CoachError

# Flite's voices, tried in this order when the coach did not understand.
FLITE_VOICES = ("kal16", "slt", "rms", "awb")
ESPEAK_VOICES = ("en-us+f2", "en-us+m3", "en-us")
RATE_WPM = 150  # espeak-ng only; Flite speaks at its voice's own pace


def flite_path() -> str | None:
    return shutil.which("flite")


class PersonVoice:
    """Renders a person's phrase, ``try_number`` picking another voice each time."""

    def __init__(self) -> None:
        self._flite = flite_path()
        self._espeak = shutil.which("espeak-ng") or shutil.which("espeak")
        if self._flite is None and self._espeak is None:
            raise CoachError("Neither flite nor espeak-ng is installed: "
                             "install them with: sudo apt install flite espeak-ng")
        self._cache: dict[tuple[str, str], np.ndarray] = {}

    @property
    def voices(self) -> tuple[str, ...]:
        return FLITE_VOICES if self._flite else ESPEAK_VOICES

    def voice_for(self, try_number: int) -> str:
        return self.voices[(try_number - 1) % len(self.voices)]

    def __call__(self, text: str, try_number: int = 1) -> np.ndarray:
        """16 kHz mono int16 speech of ``text``."""
        voice = self.voice_for(try_number)
        key = (text, voice)
        if key not in self._cache:
            self._cache[key] = self._render(text, voice)
        return self._cache[key]

    def to_file(self, text: str, path: Path, try_number: int = 1) -> Path:
        """``text`` spoken into a WAV file (16 kHz mono)."""
        write_wav(path, Pcm(self(text, try_number), RATE_HZ))
        return path

    def _render(self, text: str, voice: str) -> np.ndarray:
        with tempfile.TemporaryDirectory(prefix="coach-person-") as folder:
            out = Path(folder) / "say.wav"
            if self._flite:
                cmd = [self._flite, "-voice", voice, "-t", text, "-o", str(out)]
            else:
                cmd = [str(self._espeak), "-v", voice, "-s", str(RATE_WPM), "-w", str(out), text]
            subprocess.run(cmd, check=True, capture_output=True, timeout=30)
            return read_audio(out)
