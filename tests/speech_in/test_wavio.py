"""Reading recordings of any rate and format as 16 kHz mono int16."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from coach.audio.wavio import AudioFileError, read_audio, write_wav


def test_a_22050_hz_tone_keeps_its_pitch_and_length(tmp_path: Path) -> None:
    t = np.arange(22050) / 22050
    write_wav(tmp_path / "tone.wav", (8000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16), 22050)
    pcm = read_audio(tmp_path / "tone.wav")
    assert pcm.dtype == np.int16 and pcm.size == 16000
    spectrum = np.abs(np.fft.rfft(pcm.astype(float)))
    assert abs(np.argmax(spectrum) * 16000 / pcm.size - 440) < 2


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(AudioFileError, match="no such audio file"):
        read_audio(tmp_path / "nothing.wav")


def test_an_8_khz_recording_is_upsampled(shared_audio: Path) -> None:
    path = shared_audio / "fsdd" / "eight" / "8_george_0.wav"
    pcm = read_audio(path)
    assert abs(pcm.size - 2 * 4222) <= 2  # 0.528 s at 8 kHz
    assert np.abs(pcm).max() > 5000


@pytest.mark.skipif(shutil.which("sox") is None, reason="sox is not installed")
def test_flac_is_read_through_sox(shared_audio: Path) -> None:
    path = next(iter(sorted((shared_audio / "librispeech" / "test-other").glob("*.flac"))))
    pcm = read_audio(path)
    assert pcm.dtype == np.int16 and pcm.size > 16000 * 2
