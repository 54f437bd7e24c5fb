"""The coach's own voice taken out of the microphone, block by block.

The Listener is told exactly what the speaker plays and when (``playing``).
For each block of microphone audio this stage

- measures, every second of coach speech, how late the microphone hears the
  speaker (cross-correlation, ``EchoDelay``) and how loud its echo is;
- subtracts the predicted echo (``EchoCanceller``), adapting only while the
  person is silent, so it never learns to cancel their voice;
- marks the frames louder than the echo could make them (``EchoGate``): only
  those may start or extend an utterance while the coach speaks.

It knows nothing of speech or commands; the Listener decides with what it
hands back (``Filtered``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.audio.format import RATE_HZ
from coach.speech_in.echo import EchoCanceller, EchoGate, ReferenceTimeline, levels
from coach.speech_in.echo_delay import EchoDelay, EchoMeasure, residual
from coach.speech_in.vad import FRAME_SAMPLES

FRAME_SECONDS = FRAME_SAMPLES / RATE_HZ
# Correlation of a second of microphone with the played reference above which
# that second is taken to be echo alone (a person talking over it lowers it).
ECHO_ONLY_QUALITY = 0.6
ECHO_MIN_FRAMES = 20  # of the coach playing in that second, to measure anything
SILENT_DB = float(levels(np.zeros(FRAME_SAMPLES, np.float32))[0])  # a frame of digital silence


@dataclass(frozen=True)
class Filtered:
    """One block of microphone audio with the coach's echo taken out."""

    clean: np.ndarray  # int16, the block with the predicted echo subtracted
    ref_active: bool  # the coach was playing into this block
    ref_db: np.ndarray  # per frame, the level of what the coach played
    echo_free: np.ndarray  # per frame, louder than the echo could make it


class EchoFilter:
    """Delay, level, cancellation and gate for the coach's echo."""

    def __init__(self, *, cancel: bool = True, gate: bool = True,
                 max_delay_seconds: float = 0.3) -> None:
        self.cancel, self.gating, self.max_delay_seconds = cancel, gate, max_delay_seconds
        self.reference = ReferenceTimeline()
        self.canceller = EchoCanceller()
        self.gate = EchoGate()
        # The speaker-to-microphone delay, found by cross-correlation while the coach
        # speaks. Small shifts are inside the canceller's taps: only a real change,
        # seen twice in a row, restarts it.
        self.delay = EchoDelay(residual(max_delay_seconds, self.canceller.taps // 4))

    def playing(self, block: np.ndarray, at: float) -> None:
        """What the speaker plays from ``at`` on. Silence is not stored: the
        reference reads as zeros wherever nothing was added."""
        samples = np.asarray(block).reshape(-1)
        if samples.any():
            self.reference.add(samples, at)
        self.delay.played(samples, round(at * RATE_HZ))

    @property
    def delay_samples(self) -> int:
        return self.delay.delay_samples

    @property
    def _delay_known(self) -> bool:
        return self.delay.measured or self.max_delay_seconds <= 0

    def filter(self, block: np.ndarray, first_sample: int) -> Filtered:
        n = block.size
        taps = self.canceller.taps
        if (self.cancel or self.gating) and self.max_delay_seconds > 0:
            self._track_delay(block, first_sample)
        ref = self.reference.get(first_sample - self.delay_samples - taps + 1, n + taps - 1)
        if not ref.any():  # the coach is silent: nothing to measure, cancel or gate
            return Filtered(block.astype(np.int16, copy=False), False,
                            np.full(n // FRAME_SAMPLES, SILENT_DB, np.float32),
                            np.ones(n // FRAME_SAMPLES, dtype=bool))
        ref_active = bool(np.any(np.abs(ref) > 30.0))
        ref_db = levels(ref[taps - 1 :])
        echo_free = np.ones(n // FRAME_SAMPLES, dtype=bool)
        if self.gating and ref_active:
            echo_free = self.gate.frames_ok(levels(block), self._ref_envelope(first_sample, n))
        if self.cancel and ref_active:
            # Learn the echo path only while the person is silent (no double talk):
            # adapting over their voice would teach the filter to cancel it.
            adapt = not bool(echo_free.any()) or not self.gating
            clean = self.canceller.process(block.astype(np.float32), ref, adapt=adapt)
        else:
            clean = block.astype(np.float32)
        clean16 = np.clip(np.round(clean), -32768, 32767).astype(np.int16)
        return Filtered(clean16, ref_active, ref_db, echo_free)

    def _track_delay(self, block: np.ndarray, first_sample: int) -> None:
        """Every second of coach speech, measure the speaker-to-mic delay and the echo's level."""
        measure = self.delay.heard(block, first_sample)
        if measure is None:
            return
        if measure.quality >= ECHO_ONLY_QUALITY:  # the mic heard the coach and little else
            self._learn_echo_level(measure)
        if measure.moved:  # beyond the canceller's taps: what it and the gate learnt is moot
            self.canceller.reset()
            self.gate = EchoGate()

    def _learn_echo_level(self, measure: EchoMeasure) -> None:
        """Frame by frame, mic level over the reference's; the lower quartile of the
        frames where the coach was playing is the echo's own gain, even when a
        person spoke over part of the second."""
        mic = measure.mic
        mic_db = levels(mic[: mic.size - mic.size % FRAME_SAMPLES])
        ref_db = levels(measure.reference[: mic_db.size * FRAME_SAMPLES])
        playing = ref_db > self.gate.active_level_db
        if playing.sum() >= ECHO_MIN_FRAMES:
            self.gate.echo_measured(float(np.percentile((mic_db - ref_db)[playing], 25)))

    def _ref_envelope(self, first_sample: int, n: int) -> np.ndarray:
        """The loudest reference level each mic frame could be hearing.

        Until the speaker-to-mic delay is known, any moment of the last
        ``max_delay_seconds`` may be arriving now; once known, a couple of
        frames either side cover the room's spread.
        """
        back = 2 if self._delay_known else round(self.max_delay_seconds / FRAME_SECONDS)
        start = first_sample - self.delay_samples - back * FRAME_SAMPLES
        lv = levels(self.reference.get(start, n + back * FRAME_SAMPLES))
        windows = np.lib.stride_tricks.sliding_window_view(lv, back + 1)
        return windows.max(axis=1)[: n // FRAME_SAMPLES]
