"""While the coach speaks, the listener flags speech with the energy VAD, not Silero.

Silero flagged too few frames of a short word said over the coach's voice,
and "stop" said over it was rejected as too short; in silence Silero decides.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from coach.audio.wavfile import read_audio
from coach.speech_in.echo import levels
from coach.speech_in.engine import Hypothesis
from coach.speech_in.listener import WHISPER_CONFIG, Listener
from coach.speech_in.silero import SileroVad
from coach.speech_in.vad import EnergyVad

pytest.importorskip("onnxruntime")


class NoEngine:
    """The edge: this test is about the frames flagged, never about words."""

    name = "none"
    description = "none"

    def decode(self, *_args: object, **_kwargs: object) -> Hypothesis:
        return Hypothesis("", 0.0, False)


def word(shared: Path) -> np.ndarray:
    stop = sorted((shared / "speech_commands" / "stop").glob("*.wav"))[0]
    pcm = np.concatenate([np.zeros(4800, np.int16), read_audio(stop)])
    return pcm[: pcm.size - pcm.size % 160]


def test_over_the_coach_the_energy_vad_flags_the_word(shared_audio: Path) -> None:
    pcm = word(shared_audio)
    listener = Listener(NoEngine(), config=WHISPER_CONFIG)  # type: ignore[arg-type]
    over_coach = listener._speech(pcm, ref_active=True)
    assert np.array_equal(over_coach, EnergyVad(margin_db=WHISPER_CONFIG.vad_margin_db)
                          .is_speech(levels(pcm)))
    # ...which is not what Silero alone says of the same word (the test would pass vacuously)
    assert not np.array_equal(over_coach, SileroVad().speech_frames(pcm))


def test_in_silence_silero_decides(shared_audio: Path) -> None:
    pcm = word(shared_audio)
    listener = Listener(NoEngine(), config=WHISPER_CONFIG)  # type: ignore[arg-type]
    assert np.array_equal(listener._speech(pcm, ref_active=False), SileroVad().speech_frames(pcm))
