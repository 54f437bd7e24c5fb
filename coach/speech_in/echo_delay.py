"""How late the microphone hears the coach: one estimator of the echo's delay.

The echo canceller and the echo gate compare the microphone with exactly
what the speaker played, sample for sample, so the two must be lined up in
time. The output buffer, the sound server, the room and the input buffer
together delay the echo by tens to hundreds of milliseconds, and no API
reports all of it. So it is measured: while the coach speaks, a stretch of
microphone is cross-correlated with the played reference, the lag of the
peak is the delay, and the normalised peak says how much of the microphone
the echo explains (near 1: the echo alone; a person talking over it lowers it).

One estimator, measuring at two places with its own settings each:

- the live coach dates each microphone block by the speaker's position and
  takes off the whole delay (``BULK``: 3 s windows, lags up to 0.5 s, a clear
  peak believed at once and measured again every 20 s), so that the Listener
  gets its audio on the session clock;
- the Listener follows what remains (``RESIDUAL``: 1 s windows, lags up to
  0.3 s, a new delay believed when seen twice in a row, as a voice's pitch
  period can fool one window), which restarts the canceller; and a window of
  the echo alone tells the gate how loud the echo is.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.audio.format import RATE_HZ

LOUD = 300.0  # |sample| of the reference that counts as the coach speaking


@dataclass(frozen=True)
class DelaySettings:
    window_seconds: float  # the stretch of microphone compared
    max_delay_seconds: float  # the longest delay looked for
    retry_seconds: float  # how often to measure while no delay is believed
    refresh_seconds: float  # how often to measure once one is
    min_loud_seconds: float  # of the coach speaking in the window, to measure at all
    min_quality: float  # normalised peak a measure needs to be believed
    confirmations: int = 1  # a new delay must be measured this many times in a row
    tolerance_samples: int = 0  # a delay this close to the believed one is the same


BULK = DelaySettings(window_seconds=3.0, max_delay_seconds=0.5, retry_seconds=0.5,
                     refresh_seconds=20.0, min_loud_seconds=0.45, min_quality=0.25)


def residual(max_delay_seconds: float, tolerance_samples: int) -> DelaySettings:
    """The Listener's settings: what is left of the delay once the runtime took off the bulk."""
    return DelaySettings(window_seconds=1.0, max_delay_seconds=max_delay_seconds,
                         retry_seconds=1.0, refresh_seconds=1.0, min_loud_seconds=0.1,
                         min_quality=0.3, confirmations=2, tolerance_samples=tolerance_samples)


@dataclass(frozen=True)
class EchoMeasure:
    """One window measured: the lag of the peak, how clear it was, and the two signals lined up."""

    delay_samples: int  # how late the microphone hears the reference
    quality: float  # normalised correlation at that lag, 0..1
    mic: np.ndarray  # the window of microphone
    reference: np.ndarray  # what played, delayed by delay_samples: lined up with ``mic``
    moved: bool  # the believed delay changed with this measure


class _Recent:
    """The last seconds of one signal, by absolute sample number (amortised O(1) appends).

    Silence after the newest sample (``add_silence``) is only noted, and
    written when a later block or a window needs it: a coach that says
    nothing for minutes costs no copying.
    """

    def __init__(self, seconds: float) -> None:
        self.size = int(seconds * RATE_HZ)
        self._buf = np.zeros(2 * self.size, dtype=np.float32)
        self._used = self.size  # the buffer starts as size samples of silence
        self._end = 0  # absolute sample number just past the newest sample written
        self._silent_end = 0  # silence noted up to here, not yet written

    @property
    def end(self) -> int:
        """Absolute sample number just past the newest sample (silence noted included)."""
        return max(self._end, self._silent_end)

    def add_silence(self, first_sample: int, count: int) -> None:
        """``count`` samples of silence from ``first_sample`` on, as ``add`` of zeros would."""
        if first_sample < self._end:  # over samples already written: write the zeros
            self.add(np.zeros(count, np.float32), first_sample)
        else:
            self._silent_end = max(self._silent_end, first_sample + count)

    def _write_silence(self) -> None:
        if self._silent_end > self._end:
            gap = self._silent_end - self._end
            self._append(np.zeros(min(gap, self.size), np.float32))
            self._end = self._silent_end

    def add(self, block: np.ndarray, first_sample: int) -> None:
        self._write_silence()
        data = np.asarray(block, dtype=np.float32).reshape(-1)
        if first_sample + data.size <= self._end - self.size:
            return  # all of it older than what is kept
        if first_sample > self._end:  # a gap: silence in between
            self._append(np.zeros(min(first_sample - self._end, self.size), np.float32))
            self._end = first_sample
        overlap = self._end - first_sample  # samples already there: they are overwritten
        if overlap > 0:
            start = self._used - overlap
            keep = min(overlap, data.size)
            self._buf[max(start, 0) : start + keep] = data[max(-start, 0) : keep]
            data = data[keep:]
        self._append(data)
        self._end += data.size

    def _append(self, data: np.ndarray) -> None:
        if data.size >= self.size:
            self._buf[: self.size] = data[-self.size :]
            self._used = self.size
            return
        if self._used + data.size > self._buf.size:
            self._buf[: self.size - data.size] = self._buf[self._used - self.size + data.size :
                                                           self._used]
            self._used = self.size - data.size
        self._buf[self._used : self._used + data.size] = data
        self._used += data.size

    def window(self, end: int, n: int) -> np.ndarray | None:
        """Samples [end - n, end), or None when they are not all kept."""
        self._write_silence()
        first = self._used - (self._end - end) - n
        if n > self.size or first < self._used - self.size or end > self._end:
            return None
        return self._buf[first : first + n]


def correlate(mic: np.ndarray, reference: np.ndarray, max_lag: int) -> tuple[int, float]:
    """The delay (0..max_lag samples) at which ``mic`` best matches ``reference``, and how well.

    ``reference`` holds ``max_lag`` samples more than ``mic``, ending where it
    ends: every lag is compared over the whole of ``mic``. How well is the
    normalised correlation at that lag, 0..1.
    """
    n = mic.size
    size = 1 << int(np.ceil(np.log2(reference.size + n)))
    spectrum = np.fft.rfft(reference, size) * np.conj(np.fft.rfft(mic, size))
    corr = np.fft.irfft(spectrum, size)[: max_lag + 1][::-1]
    # corr[k]: the microphone against the reference delayed by k samples
    delay = int(np.argmax(np.abs(corr)))
    lined_up = reference[max_lag - delay : max_lag - delay + n]
    energy = np.sqrt(np.sum(mic.astype(np.float64) ** 2) * np.sum(lined_up.astype(np.float64) ** 2))
    return delay, float(abs(corr[delay]) / (energy + 1e-9))


class EchoDelay:
    """The estimator: told what played and what the microphone heard, on one clock.

    ``delay_samples`` is the delay believed (``initial_samples`` until one is
    measured); ``measured`` turns True with the first clear measure.
    """

    def __init__(self, settings: DelaySettings, initial_samples: int = 0) -> None:
        self.settings = settings
        self.delay_samples = initial_samples
        self.measured = False
        self.quality = 0.0  # of the last measure believed
        self._max_lag = round(settings.max_delay_seconds * RATE_HZ)
        self._window = round(settings.window_seconds * RATE_HZ)
        self._played = _Recent(settings.window_seconds + settings.max_delay_seconds + 0.5)
        self._heard = _Recent(settings.window_seconds + 0.5)
        self._next_try: int | None = None
        self._candidate: int | None = None
        self._seen = 0  # times in a row the candidate was measured

    @property
    def seconds(self) -> float:
        return self.delay_samples / RATE_HZ

    def played(self, block: np.ndarray, first_sample: int) -> None:
        """What the speaker played from ``first_sample`` on (silence costs no copying)."""
        if block.any():
            self._played.add(block, first_sample)
        else:
            self._played.add_silence(first_sample, block.size)

    def heard(self, block: np.ndarray, first_sample: int) -> EchoMeasure | None:
        """A microphone block dated on the same clock; a measure when one was made."""
        self._heard.add(block, first_sample)
        end = self._heard.end
        if self._next_try is None:
            self._next_try = first_sample + self._window
        if end < self._next_try:
            return None
        self._next_try = end + round(self.settings.retry_seconds * RATE_HZ)
        mic = self._heard.window(end, self._window)
        reference = self._played.window(end, self._window + self._max_lag)
        if mic is None or reference is None:
            return None
        loud = np.count_nonzero(np.abs(reference) > LOUD)
        if loud < self.settings.min_loud_seconds * RATE_HZ:
            return None  # the coach has not said enough in this window
        delay, quality = correlate(mic, reference, self._max_lag)
        lined_up = reference[self._max_lag - delay : self._max_lag - delay + mic.size]
        moved = self._believe(delay, quality)
        if self.measured and quality >= self.settings.min_quality:
            self._next_try = end + round(self.settings.refresh_seconds * RATE_HZ)
        return EchoMeasure(delay, quality, mic.copy(), lined_up.copy(), moved)

    def _believe(self, delay: int, quality: float) -> bool:
        """Take the measure in, as the settings say; True when the believed delay moved."""
        s = self.settings
        if quality < s.min_quality:
            self._candidate = None
            return False
        if abs(delay - self.delay_samples) <= s.tolerance_samples:
            self.measured, self.quality, self._candidate = True, quality, None
            return False
        if self._candidate is not None and abs(delay - self._candidate) <= s.tolerance_samples:
            self._seen += 1
        else:
            self._candidate, self._seen = delay, 1
        if self._seen < s.confirmations:
            return False
        self.delay_samples, self.measured, self.quality = delay, True, quality
        self._candidate = None
        return True
