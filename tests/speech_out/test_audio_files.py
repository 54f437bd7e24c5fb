"""WAV files and resampling: the audio helpers speech out stands on."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import numpy as np
import pytest

from coach.audio.resample import resample
from coach.audio.wavfile import Pcm, WavFileError, WavWriter, read_wav, write_wav


def tone(frequency_hz: float, seconds: float, rate_hz: int, level: float = 10000) -> np.ndarray:
    t = np.arange(round(seconds * rate_hz)) / rate_hz
    return np.round(level * np.sin(2 * np.pi * frequency_hz * t)).astype(np.int16)


def test_resampling_keeps_a_tone_and_its_timing() -> None:
    out = resample(tone(1000, 1.0, 22050), 22050, 16000)
    assert len(out) == 16000
    expected = tone(1000, 1.0, 16000).astype(np.float64)
    assert np.max(np.abs(out[200:-200] - expected[200:-200])) <= 2


def test_an_impulse_stays_at_its_time_and_nothing_leaks_to_the_start() -> None:
    x = np.zeros(22050, dtype=np.int16)
    x[11025] = 20000  # 0.5 s
    x[-1] = 20000  # a click at the very end must not appear at the start
    out = resample(x, 22050, 16000)
    assert int(np.argmax(out)) == 8000
    assert np.max(np.abs(out[:4000])) < 0.01 * 20000


def test_content_above_the_new_nyquist_is_removed() -> None:
    out = resample(tone(9000, 1.0, 22050), 22050, 16000).astype(np.float64)
    assert np.sqrt(np.mean(out[400:-400] ** 2)) < 0.01 * 10000 / np.sqrt(2)


@pytest.mark.parametrize(("src", "dst"), [(8000, 16000), (44100, 16000), (16000, 16000)])
def test_other_rates(src: int, dst: int) -> None:
    out = resample(tone(440, 0.5, src), src, dst)
    assert len(out) == round(0.5 * dst)
    assert abs(np.sqrt(np.mean(out.astype(np.float64) ** 2)) - 10000 / np.sqrt(2)) < 150


def test_wav_round_trip_and_owner_only_by_default(tmp_path: Path) -> None:
    pcm = Pcm(tone(500, 0.2, 16000), 16000)
    path = tmp_path / "a.wav"
    write_wav(path, pcm)
    back = read_wav(path)
    assert back.sample_rate_hz == 16000 and np.array_equal(back.samples, pcm.samples)
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert back.seconds == pytest.approx(0.2)


def test_streamed_wav_has_every_block(tmp_path: Path) -> None:
    path = tmp_path / "stream.wav"
    blocks = [tone(300 + 100 * i, 0.1, 16000) for i in range(5)]
    with WavWriter(path, 16000) as writer:
        for block in blocks:
            writer.write(block)
    assert writer.frames_written == 8000
    assert np.array_equal(read_wav(path).samples, np.concatenate(blocks))


def test_bad_files_are_clear_errors(tmp_path: Path) -> None:
    with pytest.raises(WavFileError, match="no such WAV file"):
        read_wav(tmp_path / "missing.wav")
    junk = tmp_path / "junk.wav"
    junk.write_bytes(b"RIFF nonsense")
    with pytest.raises(WavFileError, match="not a readable WAV file"):
        read_wav(junk)
    with pytest.raises(WavFileError, match="cannot write here"):
        write_wav(junk / "inside-a-file.wav", Pcm(np.zeros(10, np.int16), 16000))
    with pytest.raises(WavFileError, match="cannot write here"):  # no folder is made
        WavWriter(tmp_path / "no" / "such" / "x.wav", 16000)
    assert not (tmp_path / "no").exists()


@pytest.mark.parametrize("cut_bytes", [1, 3, 100])
def test_a_file_cut_short_is_a_clear_error(tmp_path: Path, cut_bytes: int) -> None:
    """A disk error that loses the last byte left half a sample: a ValueError escaped."""
    path = tmp_path / "cut.wav"
    write_wav(path, Pcm(tone(500, 0.2, 16000), 16000))
    os.truncate(path, path.stat().st_size - cut_bytes)
    with pytest.raises(WavFileError, match=r"cut\.wav: the file is cut short"):
        read_wav(path)


def test_a_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(WavFileError, match="is a folder"):
        read_wav(tmp_path)
