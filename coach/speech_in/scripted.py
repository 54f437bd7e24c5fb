"""Typed text and scripted audio: the same road into the session as the microphone.

Tests, ``coach hear`` and the benchmark place recordings on a timeline and
stream the result through a Listener in small blocks, exactly as the sound
card would, with the coach's own output given to ``playing`` block by block
first. Typed lines take ``coach.speech_in.typed.TypedText`` to the same ``Heard``.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from coach.audio.format import RATE_HZ
from coach.audio.wavfile import read_audio
from coach.core.events import Heard
from coach.errors import CoachError


@dataclass
class AudioTrack:
    """Sound placed at times (s), summed into one track of the audio format (``pcm()``)."""

    seconds: float
    summed: np.ndarray = field(init=False)

    def __post_init__(self) -> None:
        self.summed = np.zeros(round(self.seconds * RATE_HZ), dtype=np.float64)

    def place(self, samples: np.ndarray, at: float, gain: float = 1.0) -> None:
        start = round(at * RATE_HZ)
        end = min(self.summed.size, start + samples.size)
        if end > start:
            self.summed[start:end] += gain * samples[: end - start].astype(np.float64)

    def place_file(self, path: str | Path, at: float, gain: float = 1.0) -> float:
        """Place a recording; returns its length in seconds."""
        samples = read_audio(path)
        self.place(samples, at, gain)
        return samples.size / RATE_HZ

    def pcm(self) -> np.ndarray:
        return np.clip(np.round(self.summed), -32768, 32767).astype(np.int16)


@dataclass(frozen=True)
class Result:
    heard: Heard
    decided_at: float  # s: end of the block in which the Listener returned it


def stream(
    listener: object,
    mic: np.ndarray,
    *,
    start_at: float = 0.0,
    block_samples: int = 480,
    reference: np.ndarray | None = None,
) -> list[Result]:
    """Feed ``mic`` in blocks (and ``reference`` to ``playing`` first); flush at the end."""
    out: list[Result] = []
    for i in range(0, mic.size, block_samples):
        at = start_at + i / RATE_HZ
        if reference is not None and i < reference.size:
            listener.playing(reference[i : i + block_samples], at)  # type: ignore[attr-defined]
        block = mic[i : i + block_samples]
        for heard in listener.feed(block, at):  # type: ignore[attr-defined]
            out.append(Result(heard, at + block.size / RATE_HZ))
    end = start_at + mic.size / RATE_HZ
    for heard in listener.flush():  # type: ignore[attr-defined]
        out.append(Result(heard, end))
    return out


LEAD_IN_SECONDS = 0.5  # silence before a recording heard on its own
TAIL_SECONDS = 1.0  # and after it, for the utterance to end


def hear_recording(listener: object, pcm: np.ndarray) -> list[Result]:
    """``pcm`` heard on its own, as ``coach hear`` hears a file: the listener reset,
    ``LEAD_IN_SECONDS`` of silence before it and ``TAIL_SECONDS`` after."""
    track = AudioTrack(LEAD_IN_SECONDS + pcm.size / RATE_HZ + TAIL_SECONDS)
    track.place(pcm, LEAD_IN_SECONDS)
    listener.reset()  # type: ignore[attr-defined]
    return stream(listener, track.pcm())


def synthesize(text: str, voice: str = "en-us", rate_wpm: int = 160, pitch: int = 50) -> np.ndarray:
    """``text`` spoken by espeak-ng, as 16 kHz mono int16."""
    espeak = shutil.which("espeak-ng")
    if espeak is None:
        raise CoachError("espeak-ng is not installed (Debian/Ubuntu: sudo apt install espeak-ng).")
    with tempfile.TemporaryDirectory(prefix="coach-") as tmp:
        wav = Path(tmp) / "say.wav"
        cmd = [espeak, "-v", voice, "-s", str(rate_wpm), "-p", str(pitch), "-w", str(wav), text]
        done = subprocess.run(cmd, capture_output=True, check=False)
        if done.returncode != 0 or not wav.exists():
            raise CoachError(f"espeak-ng could not speak {text!r} with voice {voice}: "
                             f"{done.stderr.decode(errors='replace').strip()}")
        return read_audio(wav)


def mix_at_snr(signal: np.ndarray, noise: np.ndarray, snr_db: float) -> np.ndarray:
    """``signal`` plus ``noise`` scaled to ``snr_db`` (power over the signal's length)."""
    if noise.size < signal.size:
        noise = np.resize(noise, signal.size)
    n = noise[: signal.size].astype(np.float64)
    s = signal.astype(np.float64)
    ps, pn = float(np.mean(s * s)), float(np.mean(n * n))
    if pn <= 0 or ps <= 0:
        return signal.astype(np.int16)
    gain = np.sqrt(ps / (pn * 10 ** (snr_db / 10)))
    return np.clip(np.round(s + gain * n), -32768, 32767).astype(np.int16)
