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


def _gated(pcm: np.ndarray, quiet: np.ndarray, block: int = 480) -> tuple[np.ndarray, np.ndarray, SileroVad]:
    vad = SileroVad()
    flags_, probs = [], []
    for i in range(0, pcm.size, block):
        flags_.append(vad.speech_frames(pcm[i : i + block], quiet[i // 160 : (i + block) // 160]))
        probs.append(vad.frame_probability)
    return np.concatenate(flags_), np.concatenate(probs), vad


def test_a_short_quiet_is_not_run_and_changes_nothing(shared_audio: Path) -> None:
    """Quiet chunks are skipped; a quiet of no more than REPLAY_CHUNKS is run again
    before the next chunk, so from there on every flag and probability is the model's."""
    from coach.speech_in.silero import QUIET_FRAMES, REPLAY_CHUNKS

    rng = np.random.default_rng(2)
    hiss = (rng.standard_normal(32000) * 16).astype(np.int16)
    pcm = np.concatenate([hiss, read_audio(clips(shared_audio, "go", 1)[0])[:12800], hiss])
    pcm = pcm[: pcm.size - pcm.size % 480]
    frames = pcm.size // 160
    plain, plain_p, _ = _gated(pcm, np.zeros(frames, bool))
    quiet = np.zeros(frames, bool)
    span = QUIET_FRAMES + (REPLAY_CHUNKS * 512) // 160 - 2  # covers REPLAY_CHUNKS chunks at most
    quiet[40 : 40 + span] = True  # in the hiss before the word
    gated, gated_p, vad = _gated(pcm, quiet)
    assert 0 < vad.chunks_skipped <= REPLAY_CHUNKS
    after = 40 + span + 4  # the chunk after the quiet has been run
    assert after < 32000 // 160
    assert np.array_equal(gated[after:], plain[after:])
    assert np.allclose(gated_p[after:], plain_p[after:], atol=1e-6)
    assert plain[after:].sum() >= 8  # the word


def test_after_a_long_quiet_the_model_hears_the_word(shared_audio: Path) -> None:
    rng = np.random.default_rng(4)
    for path in [p for w in ("stop", "six", "go") for p in clips(shared_audio, w, 3)]:
        word = read_audio(path)
        pcm = np.concatenate([(rng.standard_normal(48000) * 16).astype(np.int16), word])
        pcm = pcm[: pcm.size - pcm.size % 480]
        quiet = np.zeros(pcm.size // 160, bool)
        quiet[: 48000 // 160] = True  # the room before the word
        gated, _, vad = _gated(pcm, quiet)
        assert vad.chunks_skipped >= 0.9 * (48000 - 16000) / 512, path.name  # after a second
        assert not gated[: 48000 // 160].any(), path.name
        assert gated[48000 // 160 :].sum() >= 8, path.name
