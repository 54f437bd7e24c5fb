"""The coach's own voice taken out of the microphone, block by block.

The Listener is told exactly what the speaker plays and when (``playing``).
For each block of microphone audio this stage

- measures, every second of coach speech, how late the microphone hears the
  speaker (cross-correlation, ``EchoDelay``) and how loud its echo is;
- subtracts the predicted echo, adapting only while the person is silent, so
  it never learns to cancel their voice. Two filters run side by side: a
  short one (``EchoCanceller``, 8 ms, least squares) that knows the direct
  sound within the coach's first words, and a long one (``RoomEcho``, 250
  ms, frequency domain) that learns the room's reflections and ring more
  slowly; the one that has lately left less of the echo alone is heard, and
  after the coach stops the long one takes out the room's ring;
- marks the frames louder than the echo could make them (``EchoGate``): only
  those may start or extend an utterance while the coach speaks, and while its
  room still rings after.

It knows nothing of speech or commands; the Listener decides with what it
hands back (``Filtered``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from coach.audio.format import RATE_HZ
from coach.speech_in.echo import EchoCanceller, EchoGate, ReferenceTimeline, RoomEcho, levels
from coach.speech_in.echo_delay import EchoDelay, EchoMeasure, residual
from coach.speech_in.vad import FRAME_SAMPLES

FRAME_SECONDS = FRAME_SAMPLES / RATE_HZ
# Correlation of a second of microphone with the played reference above which
# that second is taken to be echo alone (a person talking over it lowers it).
ECHO_ONLY_QUALITY = 0.6
ECHO_MIN_FRAMES = 20  # of the coach playing in that second, to measure anything
ECHO_LEFT_FORGET = 0.9  # per block of echo alone: which canceller leaves less, over about 0.3 s
DELAY_TOLERANCE = 32  # samples: a measured delay this close to the known one is the same
NEAR_SAMPLES = 127  # the reference this far before a block still plays into it
SILENT_DB = float(levels(np.zeros(FRAME_SAMPLES, np.float32))[0])  # a frame of digital silence


@dataclass(frozen=True)
class Filtered:
    """One block of microphone audio with the coach's echo taken out."""

    clean: np.ndarray  # int16, the block with the predicted echo subtracted
    ref_active: bool  # the coach was playing into this block
    ref_db: np.ndarray  # per frame, the level of what the coach played
    echo_free: np.ndarray  # per frame, louder than the echo could make it
    ringing: bool = False  # the coach just stopped: ``echo_free`` judged against its room's ring


class EchoFilter:
    """Delay, level, cancellation and gate for the coach's echo."""

    def __init__(self, *, cancel: bool = True, gate: bool = True,
                 max_delay_seconds: float = 0.3) -> None:
        self.cancel, self.gating, self.max_delay_seconds = cancel, gate, max_delay_seconds
        self.reference = ReferenceTimeline()
        self.canceller = EchoCanceller()  # the direct sound: learnt within the first words
        self.room = RoomEcho()  # the room's reflections and ring, from what the canceller leaves
        self._left = np.zeros(2)  # echo energy each leaves, lately (the direct canceller's, the room's)
        self.gate = EchoGate()
        # The speaker-to-microphone delay, found by cross-correlation while the coach
        # speaks. Shifts of a couple of milliseconds the canceller follows:
        # only a real change, seen twice in a row, restarts it.
        self.delay = EchoDelay(residual(max_delay_seconds, DELAY_TOLERANCE))

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
        hist = self.room.history
        if (self.cancel or self.gating) and self.max_delay_seconds > 0:
            self._track_delay(block, first_sample)
        ref = self.reference.get(first_sample - self.delay_samples - hist, n + hist)
        # The coach plays into this block: its sound in the block or just before it.
        sounding = bool(ref.any())
        ref_active = sounding and bool(np.any(np.abs(ref[hist - NEAR_SAMPLES :]) > 30.0))
        echo_free = np.ones(n // FRAME_SAMPLES, dtype=bool)
        ringing = self.gating and not ref_active and self.gate.ringing
        if self.gating and ref_active:
            echo_free = self.gate.frames_ok(levels(block), self._ref_envelope(first_sample, n))
        elif ringing:
            echo_free = self.gate.ring_ok(levels(block))
        elif self.gating:
            self.gate.silent()
        if not sounding:  # the coach is silent: nothing to measure or cancel
            return Filtered(block.astype(np.int16, copy=False), False,
                            np.full(n // FRAME_SAMPLES, SILENT_DB, np.float32), echo_free, ringing)
        ref_db = levels(ref[hist:])
        if self.cancel:
            # Learn the echo path only while the person is silent (no double talk):
            # adapting over their voice would teach the filter to cancel it. After
            # the coach stops, its room still rings: cancelled, not learnt from.
            adapt = ref_active and (not bool(echo_free.any()) or not self.gating)
            mic = block.astype(np.float32)
            direct = self.canceller.process(mic, ref[hist - self.canceller.history :], adapt=adapt)
            room = self.room.process(mic, ref, adapt=adapt)
            if adapt:  # the echo alone: how much of it each leaves
                self._left = (ECHO_LEFT_FORGET * self._left
                              + (1 - ECHO_LEFT_FORGET) * np.array([energy(direct), energy(room)]))
            clean = room if self._left[1] < self._left[0] else direct
            if not ref_active:
                # The room still rings after the coach stops. A filter still learning
                # the room predicts that ring worse than silence: it never makes a
                # frame louder than the microphone heard it.
                clean = quieter(mic, clean)
        else:
            clean = block.astype(np.float32)
        clean16 = np.clip(np.round(clean), -32768, 32767).astype(np.int16)
        return Filtered(clean16, ref_active, ref_db, echo_free, ringing)

    def _track_delay(self, block: np.ndarray, first_sample: int) -> None:
        """Every second of coach speech, measure the speaker-to-mic delay and the echo's level."""
        measure = self.delay.heard(block, first_sample)
        if measure is None:
            return
        if measure.quality >= ECHO_ONLY_QUALITY:  # the mic heard the coach and little else
            self._learn_echo_level(measure)
        if measure.moved:  # beyond the canceller's taps: what it and the gate learnt is moot
            self.canceller.reset()
            self.room.reset()
            self._left = np.zeros(2)
            self.gate = EchoGate(settle_seconds=self.gate.settle_left)  # settled once a session

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


def energy(x: np.ndarray) -> float:
    return float(np.dot(x, x)) / max(1, x.size)


def quieter(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Frame by frame, whichever of two versions of the same audio is quieter."""
    fa, fb = a.reshape(-1, FRAME_SAMPLES), b.reshape(-1, FRAME_SAMPLES)
    pick = np.einsum("ij,ij->i", fb, fb) < np.einsum("ij,ij->i", fa, fa)
    return np.where(pick[:, None], fb, fa).reshape(-1)
