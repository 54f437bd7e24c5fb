"""Silero VAD streamed 10 ms at a time: real words are speech, real noise and zeros are not."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from coach.audio.wavfile import read_audio
from coach.speech_in.silero import SileroVad, shared_session

pytest.importorskip("onnxruntime")


def clips(shared: Path, word: str, n: int) -> list[Path]:
    with open(shared / "manifest.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["word"] == word and r["dataset"] == "speech_commands"]
    return [shared / r["path"] for r in rows[:n]]


def flags(pcm: np.ndarray, block: int = 480) -> np.ndarray:
    vad = SileroVad()
    pcm = pcm[: pcm.size - pcm.size % 160]
    return np.concatenate([vad.speech_frames(pcm[i : i + block]) for i in range(0, pcm.size, block)])


def test_spoken_words_are_speech(shared_audio: Path) -> None:
    for path in [p for w in ("stop", "go", "five") for p in clips(shared_audio, w, 4)]:
        pcm = np.concatenate([np.zeros(8000, np.int16), read_audio(path), np.zeros(8000, np.int16)])
        speech = flags(pcm)
        assert speech.sum() >= 15, path.name  # at least 0.15 s of the word
        assert not speech[:40].any(), path.name  # not before it


def test_real_background_noise_is_mostly_not_speech(shared_audio: Path) -> None:
    noise = clips(shared_audio, "_silence_", 40)
    speech_frames = sum(int(flags(read_audio(p)).sum()) for p in noise)
    total = sum(read_audio(p).size // 160 for p in noise)
    assert speech_frames / total < 0.05


def test_digital_silence_is_never_speech() -> None:
    assert not flags(np.zeros(16000, np.int16)).any()


def test_streaming_gives_what_the_model_gives_on_the_whole_clip(shared_audio: Path) -> None:
    """10 ms frames in, any block size: the same probabilities as one call on the file."""
    pcm = read_audio(clips(shared_audio, "go", 1)[0])[: 512 * 30]
    vad = SileroVad()
    probs = []
    for i in range(0, pcm.size, 160):
        vad.speech_frames(pcm[i : i + 160])
        if (i + 160) % 512 < 160:
            probs.append(vad.probability)
    x = pcm.astype(np.float32) / 32768.0
    context = np.zeros(64, np.float32)
    h = c = np.zeros((1, 1, 128), np.float32)
    whole = []
    for i in range(0, x.size, 512):
        out, h, c = shared_session().run(None, {"input": np.concatenate([context, x[i : i + 512]])[None],
                                                "h": h, "c": c})
        context = x[i + 448 : i + 512]
        whole.append(float(np.asarray(out).reshape(-1)[0]))
    assert np.allclose(probs, whole[: len(probs)], atol=1e-5)
