"""Earcons: short tones that mean one thing each, made with numpy (no files).

They are told apart by shape, not only pitch, so that they stay distinct for
a listener with high-frequency hearing loss: the beat is one short tick; start
is two rising notes; rest over is three quick rising notes; done is a slow
falling pair. Each note has a raised-cosine attack and release: no clicks,
and the beat's energy starts on its first sample so it lands on the beat.
"""

from __future__ import annotations

import functools

import numpy as np

from coach.audio.format import RATE_HZ
from coach.core.actions import CueKind

LEVEL = 0.30  # peak, as a fraction of full scale, before the listener's volume
EDGE_SECONDS = 0.004  # attack and release

# (frequency Hz, seconds) notes, then silence between notes in seconds
_SHAPES: dict[CueKind, tuple[tuple[tuple[float, float], ...], float]] = {
    CueKind.BEAT: (((988.0, 0.060),), 0.0),
    CueKind.START: (((659.0, 0.090), (880.0, 0.120)), 0.030),
    CueKind.REST_OVER: (((523.0, 0.070), (659.0, 0.070), (784.0, 0.110)), 0.025),
    CueKind.DONE: (((784.0, 0.180), (523.0, 0.300)), 0.040),
}


def _note(frequency_hz: float, seconds: float, rate_hz: int) -> np.ndarray:
    n = round(seconds * rate_hz)
    t = np.arange(n) / rate_hz
    # a touch of the second harmonic makes the tone easier to hear at low volume
    wave = np.sin(2 * np.pi * frequency_hz * t) + 0.25 * np.sin(4 * np.pi * frequency_hz * t)
    edge = min(int(EDGE_SECONDS * rate_hz), n // 2)
    envelope = np.ones(n)
    ramp = 0.5 - 0.5 * np.cos(np.pi * np.arange(edge) / edge) if edge else np.zeros(0)
    envelope[:edge] = np.maximum(ramp, 0.25)  # starts audibly on sample 0
    envelope[n - edge:] = ramp[::-1]
    return wave * envelope / 1.25


@functools.cache
def earcon(kind: CueKind, rate_hz: int = RATE_HZ) -> np.ndarray:
    """The tone for ``kind`` as read-only int16 PCM."""
    notes, gap_seconds = _SHAPES[kind]
    gap = np.zeros(round(gap_seconds * rate_hz))
    parts: list[np.ndarray] = []
    for i, (frequency_hz, seconds) in enumerate(notes):
        if i:
            parts.append(gap)
        parts.append(_note(frequency_hz, seconds, rate_hz))
    out = np.round(np.concatenate(parts) * LEVEL * 32767).astype(np.int16)
    out.flags.writeable = False
    return out
