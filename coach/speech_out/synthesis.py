"""Speech synthesis: renderers turn text into PCM; this module also makes every phrase play-ready.

A ``Renderer`` may return any rate; ``prepare`` turns its output into the
coach's one format (16 kHz mono int16) once, when the phrase is rendered, so
nothing is resampled while it plays. It also trims the silence espeak-ng puts
before and after a phrase: the first audible sample of a count must be the
sample its beat asks for, and the phrase's end must be when it really ends.
"""

from __future__ import annotations

from typing import Protocol

import numpy as np

from coach.audio.format import RATE_HZ
from coach.audio.resample import resample
from coach.audio.wavfile import Pcm

TRIM_LEVEL = 200  # |sample| below this (about -44 dBFS) counts as silence when trimming
LEAD_SECONDS = 0.003  # kept before the first audible sample, faded in: no click
TAIL_SECONDS = 0.030  # kept after the last audible sample: the natural decay


class Renderer(Protocol):
    """Text to speech. Blocking; callers keep it off the audio callback."""

    def render(self, text: str, voice: str, rate_wpm: int) -> Pcm:
        """Speak ``text`` with ``voice`` at ``rate_wpm``; any sample rate."""
        ...


def prepare(pcm: Pcm, rate_hz: int = RATE_HZ) -> np.ndarray:
    """Resample to ``rate_hz``, trim silence at both ends, fade in and out.

    Returns a read-only int16 array so that cached phrases can be shared.
    """
    samples = resample(pcm.samples, pcm.sample_rate_hz, rate_hz)
    loud = np.flatnonzero(np.abs(samples.astype(np.int32)) >= TRIM_LEVEL)
    if loud.size == 0:
        out = np.zeros(0, dtype=np.int16)
    else:
        lead = int(LEAD_SECONDS * rate_hz)
        tail = int(TAIL_SECONDS * rate_hz)
        first = max(0, int(loud[0]) - lead)
        last = min(len(samples), int(loud[-1]) + 1 + tail)
        trimmed = samples[first:last].astype(np.float32)
        fade_in = min(lead, len(trimmed))
        trimmed[:fade_in] *= np.linspace(0.0, 1.0, fade_in, endpoint=False, dtype=np.float32)
        fade_out = min(tail, len(trimmed))
        if fade_out:
            trimmed[-fade_out:] *= np.linspace(1.0, 0.0, fade_out, dtype=np.float32)
        out = np.round(trimmed).astype(np.int16)
    out.flags.writeable = False
    return out


def speech_level_db(samples: np.ndarray, rate_hz: int = RATE_HZ) -> float:
    """Loudness of speech in dB full scale: the mean power of its 400 ms blocks (100 ms
    apart), gated as ITU-R BS.1770 gates them (absolute -70 dB, then 10 dB below the
    mean), without the K-weighting. -inf for silence. Used to level voices alike."""
    x = np.asarray(samples, dtype=np.float64) / 32768.0
    block, step = int(0.4 * rate_hz), int(0.1 * rate_hz)
    if x.size < block:
        x = np.concatenate([x, np.zeros(block - x.size)])
    powers = np.array([np.mean(x[i:i + block] ** 2) for i in range(0, x.size - block + 1, step)])
    gated = powers[powers > 10 ** (-70 / 10)]
    if gated.size == 0:
        return float("-inf")
    gated = gated[gated > np.mean(gated) * 10 ** (-10 / 10)]
    return float(10 * np.log10(np.mean(gated)))
