"""How long the coach's voice takes to come back through the microphone.

The echo gate compares the microphone with exactly what the speaker played,
sample for sample, so the two must be lined up in time. The output buffer,
the sound server, the room and the input buffer together delay the echo by
tens to hundreds of milliseconds, and no API reports all of it. So it is
measured: while the coach speaks, the microphone signal is cross-correlated
with the played reference, and the lag of the peak is the delay. The first
estimate comes after a couple of seconds of speech; it is refreshed now and
then, and only a clear peak is believed.
"""

from __future__ import annotations

import numpy as np

from coach.audio.format import RATE_HZ

WINDOW_SECONDS = 3.0  # the stretch of audio compared
MAX_DELAY_SECONDS = 0.5
MIN_SPEECH_SECONDS = 1.5  # of loud reference in the window before estimating
REFRESH_SECONDS = 20.0
MIN_PEAK = 0.25  # normalised correlation a peak needs to be believed
LOUD = 300.0  # |sample| of the reference that counts as the coach speaking


class _Stream:
    """The last few seconds of one signal, indexed by absolute sample number."""

    def __init__(self, seconds: float) -> None:
        self.size = int(seconds * RATE_HZ)
        self.buf = np.zeros(self.size, dtype=np.float32)
        self.end = 0  # absolute sample number just past the newest sample

    def add(self, block: np.ndarray, first_sample: int) -> None:
        n = len(block)
        if n >= self.size:
            block, first_sample, n = block[-self.size:], first_sample + n - self.size, self.size
        shift = first_sample + n - self.end
        if shift > 0:
            self.buf = np.roll(self.buf, -shift) if shift < self.size else np.zeros_like(self.buf)
            self.end += shift
        offset = self.size - (self.end - first_sample)
        if offset < 0:
            block, offset = block[-offset:], 0
        self.buf[offset : offset + len(block)] = block[: self.size - offset]

    def window(self, end: int, n: int) -> np.ndarray | None:
        first = self.size - (self.end - end) - n
        if first < 0 or end > self.end:
            return None
        return self.buf[first : first + n]


class EchoDelay:
    """Estimates the echo delay (s) from the played reference and the microphone."""

    def __init__(self, initial_seconds: float = 0.0) -> None:
        self.seconds = initial_seconds
        self.measured = False  # True once a clear peak was found
        self.peak = 0.0
        self._ref = _Stream(WINDOW_SECONDS + MAX_DELAY_SECONDS + 0.5)
        self._mic = _Stream(WINDOW_SECONDS + 0.5)
        self._next_try = 0

    def reference(self, block: np.ndarray, at: float) -> None:
        self._ref.add(block.astype(np.float32), round(at * RATE_HZ))

    def microphone(self, block: np.ndarray, at: float) -> None:
        """A microphone block dated on the speaker's clock, before any correction."""
        self._mic.add(block.astype(np.float32), round(at * RATE_HZ))
        if self._mic.end >= self._next_try:
            self._estimate()

    def _estimate(self) -> None:
        n = int(WINDOW_SECONDS * RATE_HZ)
        lags = int(MAX_DELAY_SECONDS * RATE_HZ)
        end = self._mic.end
        mic = self._mic.window(end, n)
        ref = self._ref.window(end, n + lags)
        self._next_try = end + RATE_HZ // 2
        if mic is None or ref is None:
            return
        if np.count_nonzero(np.abs(ref) > LOUD) < MIN_SPEECH_SECONDS * RATE_HZ * 0.3:
            return  # the coach has not said enough in this window
        size = 1 << int(np.ceil(np.log2(len(ref) + n)))
        spectrum = np.fft.rfft(ref, size) * np.conj(np.fft.rfft(mic, size))
        corr = np.fft.irfft(spectrum, size)[: lags + 1][::-1]
        # corr[k]: how well the mic matches the reference delayed by k samples
        energy_mic = float(np.sqrt(np.sum(mic.astype(np.float64) ** 2))) + 1e-9
        best = int(np.argmax(np.abs(corr)))
        seg = ref[lags - best : lags - best + n]
        energy_ref = float(np.sqrt(np.sum(seg.astype(np.float64) ** 2))) + 1e-9
        peak = float(abs(corr[best])) / (energy_mic * energy_ref)
        if peak >= MIN_PEAK:
            self.seconds, self.peak, self.measured = best / RATE_HZ, peak, True
            self._next_try = end + int(REFRESH_SECONDS * RATE_HZ)
