"""Reading recordings of any rate and format as 16 kHz mono int16."""

from __future__ import annotations

import shutil
import wave
from pathlib import Path

import numpy as np
import pytest

from coach.audio.wavfile import Pcm, WavFileError, read_audio, write_wav


def test_a_22050_hz_tone_keeps_its_pitch_and_length(tmp_path: Path) -> None:
    t = np.arange(22050) / 22050
    write_wav(tmp_path / "tone.wav", Pcm((8000 * np.sin(2 * np.pi * 440 * t)).astype(np.int16), 22050))
    pcm = read_audio(tmp_path / "tone.wav")
    assert pcm.dtype == np.int16 and pcm.size == 16000
    spectrum = np.abs(np.fft.rfft(pcm.astype(float)))
    assert abs(np.argmax(spectrum) * 16000 / pcm.size - 440) < 2


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(WavFileError, match="no such audio file"):
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


def _wav(path: Path, samples: np.ndarray, rate_hz: int, width: int) -> Path:
    """A WAV of ``width`` bytes a sample (1, 2 or 3), from int16 ``samples``."""
    if width == 1:  # 8-bit WAV is unsigned
        data = ((samples.astype(np.int32) >> 8) + 128).astype(np.uint8).tobytes()
    else:  # the top ``width`` bytes of each sample as a little-endian int32
        wide = samples.astype("<i4") << 16
        data = wide.view(np.uint8).reshape(-1, 4)[:, 4 - width :].tobytes()
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(width)
        w.setframerate(rate_hz)
        w.writeframes(data)
    return path


def _voice_like(rate_hz: int, seconds: float = 0.5) -> np.ndarray:
    t = np.arange(int(rate_hz * seconds)) / rate_hz
    rng = np.random.default_rng(7)
    tone = 6000 * np.sin(2 * np.pi * 220 * t) + 800 * rng.standard_normal(t.size)
    return tone.astype(np.int16)


@pytest.mark.skipif(shutil.which("sox") is None, reason="sox is not installed")
@pytest.mark.parametrize(("rate_hz", "width"), [(44100, 3), (8000, 1), (8000, 3)])
def test_a_file_read_through_sox_gives_the_same_samples_every_time(
    tmp_path: Path, rate_hz: int, width: int
) -> None:
    """sox dithered by default: the same file gave different samples run to run."""
    path = _wav(tmp_path / "voice.wav", _voice_like(rate_hz), rate_hz, width)
    first, second = read_audio(path), read_audio(path)
    assert first.size == 8000 and np.abs(first).max() > 3000
    assert np.array_equal(first, second)


def _with_header_rate(path: Path, rate_hz: int) -> Path:
    """Write ``rate_hz`` into a WAV header, as a damaged file would carry it."""
    data = bytearray(path.read_bytes())
    width = int.from_bytes(data[34:36], "little") // 8
    data[24:28] = rate_hz.to_bytes(4, "little")
    data[28:32] = (rate_hz * width).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("rate_hz", [0, 1, 7999, 192001])
@pytest.mark.parametrize("width", [2, 3])
def test_a_rate_no_recording_has_is_refused(tmp_path: Path, rate_hz: int, width: int) -> None:
    """0 Hz raised ValueError; 1 Hz asked for gigabytes to upsample 16000 times."""
    if width != 2 and shutil.which("sox") is None:
        pytest.skip("sox is not installed")
    path = _with_header_rate(_wav(tmp_path / "odd.wav", _voice_like(16000), 16000, width), rate_hz)
    with pytest.raises(WavFileError) as caught:
        read_audio(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    if rate_hz or width == 2:  # sox itself refuses a rate of 0 with its own words
        assert f"its sample rate is {rate_hz} Hz; coach reads recordings from 8000 to " in message
        assert "192000 Hz" in message


def test_a_folder_is_not_an_audio_file(tmp_path: Path) -> None:
    folder = tmp_path / "takes.wav"
    folder.mkdir()
    with pytest.raises(WavFileError) as caught:
        read_audio(folder)
    assert str(caught.value) == (
        f"{folder}: is a folder, not an audio file. Give the path of a recording."
    )
