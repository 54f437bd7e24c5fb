"""Band-limited resampling of mono PCM by a rational factor.

Speech out renders at espeak-ng's 22050 Hz and plays at the coach's one rate,
16 kHz. A windowed-sinc interpolator is used rather than an FFT resampler:
an FFT treats the phrase as periodic, so energy from its end leaks into its
first milliseconds, exactly where a count's onset must be clean.
"""

from __future__ import annotations

import functools
import math

import numpy as np

HALF_TAPS = 16  # filter half-length, in input samples at the lower of the two rates
KAISER_BETA = 8.0  # ~80 dB stop band


@functools.lru_cache(maxsize=8)
def _kernels(from_hz: int, to_hz: int) -> tuple[int, int, int, np.ndarray, np.ndarray]:
    """The filter for every fractional phase of a rational rate change.

    Output sample ``k`` sits at input position ``k * down / up``; its phase is
    ``(k * down) % up``, so ``up`` kernels cover every output sample.
    """
    g = math.gcd(from_hz, to_hz)
    up, down = to_hz // g, from_hz // g
    cutoff = min(1.0, to_hz / from_hz)  # as a fraction of the input Nyquist rate
    half = math.ceil(HALF_TAPS / cutoff)
    offsets = np.arange(-half + 1, half + 1)  # taps around floor(position)
    phases = np.arange(up) / up
    distance = phases[:, None] - offsets[None, :]
    window = np.i0(KAISER_BETA * np.sqrt(np.clip(1.0 - (distance / half) ** 2, 0.0, 1.0)))
    table = cutoff * np.sinc(cutoff * distance) * window / np.i0(KAISER_BETA)
    return up, down, half, offsets, table


def resample(samples: np.ndarray, from_hz: int, to_hz: int) -> np.ndarray:
    """Return ``samples`` (mono int16) resampled from ``from_hz`` to ``to_hz``.

    The output has ``round(len * to_hz / from_hz)`` samples and sample ``k``
    lies at time ``k / to_hz``, the same time axis as the input, so onsets do
    not move. The low-pass cut-off sits at the lower Nyquist frequency.
    """
    if from_hz <= 0 or to_hz <= 0:
        raise ValueError(f"sample rates must be positive (got {from_hz} and {to_hz})")
    x = np.asarray(samples)
    if from_hz == to_hz or x.size == 0:
        return x.astype(np.int16, copy=True)
    up, down, half, offsets, table = _kernels(from_hz, to_hz)
    n_out = round(x.size * up / down)
    xf = np.concatenate([np.zeros(half), x.astype(np.float64), np.zeros(half + 1)])
    out = np.empty(n_out, dtype=np.float64)
    block = 4096  # bounds the temporary (block x taps) matrix
    for start in range(0, n_out, block):
        k = np.arange(start, min(start + block, n_out), dtype=np.int64)
        base, phase = np.divmod(k * down, up)
        out[start : start + len(k)] = np.einsum(
            "ij,ij->i", xf[base[:, None] + offsets[None, :] + half], table[phase])
    return np.clip(np.round(out), -32768, 32767).astype(np.int16)
