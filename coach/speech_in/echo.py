"""The echo gate: the coach must never obey its own voice.

The Listener is told exactly what goes to the speaker and when
(``Listener.playing``). Two defences use that reference:

1. ``EchoCanceller``: a block NLMS adaptive filter learns the path from the
   speaker to the microphone (level, delay up to ``taps`` samples, room
   colour) and subtracts the predicted echo, so the recogniser hears mostly
   the person. It adapts only while the coach plays.
2. ``EchoGate``: after cancellation, a frame counts as the person's speech
   only if it stands ``barge_margin_db`` above what the echo can explain
   (the reference level plus the learnt speaker-to-microphone gain). While the
   coach is silent the gate does nothing. A "stop" said over the coach is
   louder than the echo in its own frames, so it still gets through
   (barge-in), while the coach's words alone never open the gate.

``bulk_delay_samples`` covers the fixed latency of a real sound card (tens of
milliseconds); the canceller's taps cover the room. Both work on the audio
clock: the reference is stored by sample time, never by arrival order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from coach.speech_in.vad import FRAME_SAMPLES, frame_levels_db

RATE_HZ = 16000


@dataclass
class ReferenceTimeline:
    """What the speaker played, by sample time, for the last ``keep_seconds``."""

    keep_seconds: float = 10.0
    _start_sample: int = 0
    _buffer: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))

    def add(self, block: np.ndarray, at: float) -> None:
        start = int(round(at * RATE_HZ))
        data = np.asarray(block, dtype=np.float32).reshape(-1)
        if self._buffer.size == 0:
            self._start_sample, self._buffer = start, data.copy()
        else:
            end = self._start_sample + self._buffer.size
            if start > end:
                self._buffer = np.concatenate([self._buffer, np.zeros(start - end, np.float32)])
            offset = start - self._start_sample
            if offset < 0:
                data, offset = data[-offset:], 0
            need = offset + data.size - self._buffer.size
            if need > 0:
                self._buffer = np.concatenate([self._buffer, np.zeros(need, np.float32)])
            self._buffer[offset : offset + data.size] += data
        excess = self._buffer.size - int(self.keep_seconds * RATE_HZ)
        if excess > 0:
            self._buffer = self._buffer[excess:]
            self._start_sample += excess

    def get(self, start_sample: int, count: int) -> np.ndarray:
        """Reference samples [start, start+count); zeros where nothing played."""
        out = np.zeros(count, dtype=np.float32)
        lo = max(start_sample, self._start_sample)
        hi = min(start_sample + count, self._start_sample + self._buffer.size)
        if hi > lo:
            out[lo - start_sample : hi - start_sample] = self._buffer[
                lo - self._start_sample : hi - self._start_sample
            ]
        return out

    def clear(self) -> None:
        self._buffer = np.zeros(0, dtype=np.float32)


@dataclass
class EchoCanceller:
    """Block NLMS: mic - (learnt filter * reference), frame by frame."""

    taps: int = 256  # 16 ms of room response
    step: float = 0.5
    _weights: np.ndarray = field(default_factory=lambda: np.zeros(0, np.float32))

    def __post_init__(self) -> None:
        self._weights = np.zeros(self.taps, dtype=np.float32)

    def process(self, mic: np.ndarray, ref_with_history: np.ndarray) -> np.ndarray:
        """``ref_with_history`` holds taps-1 earlier samples, then the frame's own."""
        n = mic.size
        windows = np.lib.stride_tricks.sliding_window_view(ref_with_history, self.taps)[:n, ::-1]
        echo = windows @ self._weights
        error = mic.astype(np.float32) - echo
        power = float(np.sum(windows * windows)) / n * self.taps + 1e3
        if power > 1e3 * 2:
            self._weights += (self.step / power) * (windows.T @ error) / max(1, n // self.taps)
        return error

    def reset(self) -> None:
        self._weights[:] = 0.0


@dataclass
class EchoGate:
    """Decides, per frame, whether the microphone holds more than the echo."""

    barge_margin_db: float = 8.0
    gain_db: float = 10.0  # learnt (falls to the true value): mic level minus reference level
    active_level_db: float = -55.0  # reference quieter than this is not playing
    tail_seconds: float = 0.25  # reverberation after the coach stops
    _tail_left: float = 0.0

    def frames_ok(self, mic_db: np.ndarray, ref_db: np.ndarray) -> np.ndarray:
        ok = np.ones(mic_db.shape, dtype=bool)
        recent = -200.0
        for i, (m, r) in enumerate(zip(mic_db, ref_db)):
            m, r = float(m), float(r)
            if r > self.active_level_db:
                self._tail_left = self.tail_seconds
                recent = max(r, recent - 0.6)
            elif self._tail_left > 0:
                self._tail_left -= FRAME_SAMPLES / RATE_HZ
                recent -= 0.6
            else:
                recent = -200.0
                continue
            expected = recent + self.gain_db
            if m < expected + self.barge_margin_db:
                ok[i] = False
                # Learn the echo level only from frames the echo explains.
                if r > self.active_level_db and m < expected + 4.0:
                    self.gain_db += 0.05 * ((m - r) - self.gain_db)
        return ok


def levels(frames: np.ndarray) -> np.ndarray:
    return frame_levels_db(np.clip(frames, -32768, 32767).reshape(-1, FRAME_SAMPLES))
