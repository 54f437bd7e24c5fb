"""Measurements on rendered audio, shared by the speech-out tests."""

from __future__ import annotations

import numpy as np

FRAME = 32  # samples: 2 ms analysis frames
ONSET_RMS = 60.0  # a 2 ms frame louder than this (about -55 dBFS) is sound; silence here is digital zero


def frame_rms(samples: np.ndarray) -> np.ndarray:
    x = samples[: len(samples) // FRAME * FRAME].astype(np.float64).reshape(-1, FRAME)
    return np.sqrt(np.mean(x**2, axis=1))


def onset_near(samples: np.ndarray, at: float, *, window: float = 0.15, rate_hz: int = 16000) -> float:
    """Time (s) of the first sounding 2 ms frame in ``at ± window``, from the audio alone."""
    first = max(0, int((at - window) * rate_hz)) // FRAME * FRAME
    last = int((at + window) * rate_hz)
    rms = frame_rms(samples[first:last])
    loud = np.flatnonzero(rms > ONSET_RMS)
    assert loud.size, f"no sound near {at:.3f} s"
    return (first + int(loud[0]) * FRAME) / rate_hz


def rms_between(samples: np.ndarray, start: float, end: float, rate_hz: int = 16000) -> float:
    x = samples[int(start * rate_hz) : int(end * rate_hz)].astype(np.float64)
    return float(np.sqrt(np.mean(x**2))) if x.size else 0.0
