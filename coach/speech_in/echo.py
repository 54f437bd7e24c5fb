"""The echo gate: the coach must never obey its own voice.

The Listener is told exactly what goes to the speaker and when
(``Listener.playing``). Two defences use that reference:

1. ``EchoCanceller`` (block least squares, 8 ms: the direct sound) and
   ``RoomEcho`` (frequency domain, 250 ms: the room's reflections and ring)
   learn the path from the speaker to the microphone and subtract the
   predicted echo, so the recogniser hears mostly the person
   (``coach.speech_in.echo_filter`` runs them side by side). They adapt
   only while the coach plays.
2. ``EchoGate``: a microphone frame (as heard, before cancellation) counts
   as the person's speech only if it stands ``barge_margin_db`` above what
   the echo can explain (the reference's decaying level plus the learnt
   speaker-to-microphone gain). While the coach is silent the gate does
   nothing, except over its room's ring in the session's first words. A
   "stop" said over the coach is louder than the echo in its own frames, so
   it still gets through (barge-in), while the coach's words alone never
   open the gate.

The delay between the two (the fixed latency of a real sound card, tens to
hundreds of milliseconds) is measured by cross-correlation while the coach
speaks (``coach.speech_in.echo_delay``); the canceller's taps cover the room.
Both work on the audio clock: the reference is stored by sample time, never
by arrival order.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from coach.audio.format import RATE_HZ
from coach.speech_in.vad import FRAME_SAMPLES, frame_levels_db


@dataclass
class ReferenceTimeline:
    """What the speaker played, by sample time, for the last ``keep_seconds``."""

    keep_seconds: float = 10.0
    _start_sample: int = 0
    _buffer: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.float32))

    def add(self, block: np.ndarray, at: float) -> None:
        start = round(at * RATE_HZ)
        data = np.asarray(block, dtype=np.float32).reshape(-1)
        if self._buffer.size == 0:
            self._start_sample, self._buffer = start, data.copy()
        else:
            end = self._start_sample + self._buffer.size
            if start - end >= self.keep_seconds * RATE_HZ:  # silence longer than what is kept
                self._start_sample, self._buffer = start, data.copy()
                return
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
    """Block least-squares echo canceller: mic - (learnt filter * reference).

    A sample-by-sample NLMS filter is too slow in Python and a block NLMS
    update converges in seconds, longer than a spoken line. Instead the
    filter is the least-squares fit of the reference to the microphone over
    the last half second or so (correlations kept with exponential
    forgetting), solved again every few blocks. It learns the echo path within
    the coach's first words; the person's own voice is uncorrelated with the
    reference, so it survives the subtraction (barge-in).

    Cost: about 0.5 ms per 10 ms block on one core. The covariance update and
    the solve are BLAS/LAPACK calls of a size OpenBLAS splits over its worker
    threads, whose busy-waiting between calls every 10 ms took the live coach
    from 23 % of a core while listening to 83 % while it spoke; the runtime
    keeps OpenBLAS on one thread (coach.blas_threads). A Toeplitz form solved
    by Levinson's recursion, tried instead, lost up to 8 dB of cancellation in
    ``coach demo`` (its autocorrelation estimate is not always positive
    definite) and let the coach's own words through.
    """

    taps: int = 128  # 8 ms of room response after the bulk delay
    forget: float = 0.97  # per 10 ms block: about 0.3 s of memory
    solve_every: int = 4  # blocks between solves
    _weights: np.ndarray = field(default_factory=lambda: np.zeros(0))
    _r: np.ndarray = field(default_factory=lambda: np.zeros(0))
    _p: np.ndarray = field(default_factory=lambda: np.zeros(0))
    _blocks: int = 0

    def __post_init__(self) -> None:
        self.reset()

    @property
    def history(self) -> int:
        """Reference samples wanted before each block's own."""
        return self.taps - 1

    def process(self, mic: np.ndarray, ref_with_history: np.ndarray, adapt: bool = True) -> np.ndarray:
        """``ref_with_history`` holds taps-1 earlier samples, then the frame's own."""
        n = mic.size
        x = np.lib.stride_tricks.sliding_window_view(
            ref_with_history.astype(np.float64), self.taps
        )[:n, ::-1]
        d = mic.astype(np.float64)
        error = d - x @ self._weights
        if not adapt:
            return error.astype(np.float32)
        self._r = self.forget * self._r + x.T @ x
        self._p = self.forget * self._p + x.T @ d
        self._blocks += 1
        if self._blocks % self.solve_every == 0:
            ridge = 1e-3 * float(np.trace(self._r)) / self.taps + 1.0
            try:
                self._weights = np.linalg.solve(self._r + ridge * np.eye(self.taps), self._p)
            except np.linalg.LinAlgError:
                pass
        return error.astype(np.float32)

    def reset(self) -> None:
        self._weights = np.zeros(self.taps)
        self._r = np.zeros((self.taps, self.taps))
        self._p = np.zeros(self.taps)
        self._blocks = 0


@dataclass
class RoomEcho:
    """What the short canceller leaves: the room's reflections and ring.

    The path from the speaker to the microphone is not only the direct sound
    and its first few milliseconds (``EchoCanceller``): a living room rings
    for hundreds of milliseconds (RT60 0.3-0.7 s), and that ring carries the
    coach's words. This filter learns the rest of the path from the
    reference to what the short canceller left, over ``partitions`` blocks of
    10 ms after the measured bulk delay (250 ms), as a partitioned-block frequency-domain adaptive filter
    (overlap-save: each block one batch of FFTs, the convolution and the
    update a product per bin), normalised per frequency bin by the
    reference's power over the filter's span (the NLMS step, per bin), with
    the gradient constrained to the filter's length one partition per block
    in turn.

    It adapts only while the coach plays and the person is silent (the
    caller decides: ``adapt``); the person's own voice is uncorrelated with
    the reference, so it survives the subtraction (barge-in). Measured on a
    minute of the coach's own lines through a seeded room
    (``scripts/living_room.py`` ``EchoPaths``): 19 dB of the echo taken away
    while the coach speaks (12 dB over the first 10 s, 30 dB after 30 s),
    against 7 dB for the short canceller, which knows only the direct sound;
    about 1.5 % of a core while the coach speaks (FFTs of 320 points, no
    matrix solves). It learns slowly: over a gain alone the short canceller
    is better for the first seconds, so the two run side by side
    (``coach.speech_in.echo_filter``). 200 ms (20 partitions) and steps of
    0.3-1.0 measured within 2 dB of this; a Kalman step (after Enzner's
    frequency-domain Kalman filter) converged more slowly here.
    """

    block: int = FRAME_SAMPLES  # samples per partition and per update (10 ms)
    partitions: int = 25  # the filter's span: 250 ms of room after the bulk delay
    step: float = 0.5  # the normalised step (NLMS's mu), per bin
    _weights: np.ndarray = field(default_factory=lambda: np.zeros(0, complex))
    _updates: int = 0

    def __post_init__(self) -> None:
        self.reset()

    @property
    def taps(self) -> int:
        """The filter's length in samples."""
        return self.block * self.partitions

    @property
    def history(self) -> int:
        """Reference samples wanted before each block's own."""
        return self.taps

    def process(self, mic: np.ndarray, ref_with_history: np.ndarray, adapt: bool = True) -> np.ndarray:
        """``mic`` is whole blocks; ``ref_with_history`` holds ``history``
        earlier samples of the reference, then the ones under ``mic``."""
        n_block, parts = self.block, self.partitions
        count = mic.size // n_block
        if mic.size % n_block or ref_with_history.size != self.history + mic.size:
            raise ValueError(f"RoomEcho takes whole blocks of {n_block} samples and "
                             f"{self.history} samples of reference before them")
        x = np.asarray(ref_with_history, dtype=np.float64)
        # Window i covers x[i*N : i*N + 2N]; block j's newest partition is window P-1+j.
        windows = np.lib.stride_tricks.sliding_window_view(x, 2 * n_block)[::n_block]
        spectra = np.fft.rfft(windows[: count + parts - 1], axis=1)
        d = np.asarray(mic, dtype=np.float64)
        out = np.empty(count * n_block)
        head = np.zeros(n_block)
        for j in range(count):
            xj = spectra[j : j + parts][::-1]  # partition 0: the newest block
            y = np.fft.irfft(np.einsum("pk,pk->k", self._weights, xj), 2 * n_block)[n_block:]
            e = d[j * n_block : (j + 1) * n_block] - y
            out[j * n_block : (j + 1) * n_block] = e
            if not adapt:
                continue
            span = np.einsum("pk,pk->k", xj.real, xj.real) + np.einsum("pk,pk->k", xj.imag, xj.imag)
            big_e = np.fft.rfft(np.concatenate([head, e]))
            grad = self.step * np.conj(xj) * (big_e / (span + 1e-2 * float(span.mean()) + 1e4))
            i = self._updates % parts  # constrain one partition per update, in turn
            g = np.fft.irfft(grad[i], 2 * n_block)
            g[n_block:] = 0.0
            grad[i] = np.fft.rfft(g)
            self._weights += grad
            self._updates += 1
        return out.astype(np.float32)

    def reset(self) -> None:
        self._weights = np.zeros((self.partitions, self.block + 1), complex)
        self._updates = 0


@dataclass
class EchoGate:
    """Decides, per frame, whether the microphone holds more than the echo."""

    barge_margin_db: float = 8.0
    gain_db: float = 10.0  # learnt (falls to the true value): mic level minus reference level
    active_level_db: float = -55.0  # reference quieter than this is not playing
    tail_seconds: float = 0.25  # reverberation after the coach stops
    path_change_db: float = 10.0  # a measured echo this far from the known one is a new echo path
    learn_band_db: float = 4.0  # frames this close to the expected echo teach its level
    measured: bool = False  # a whole second of echo alone has been measured
    # Until then, and for at most this much of the coach playing, no frame over it
    # is a person's: before its echo's level is known the gate's guess can be far off.
    settle_seconds: float = 1.5
    ring_fade_db: float = 1.0  # per frame: how fast the room's ring is taken to fade after the coach stops
    echo_fade_db: float = 2.0  # per frame: how fast the expected echo falls after a loud frame (a room's early decay)
    _tail_left: float = 0.0
    _recent: float = -200.0  # dB, the reference's decaying level at the end of the last block
    _played: float = 0.0  # s of frames the coach played into

    def echo_measured(self, gain_db: float) -> None:
        """A stretch of microphone explained by the reference alone had this gain.

        Frame by frame the gate learns only from frames the echo already
        explains, so it could never learn an echo that suddenly grew louder (a
        headset unplugged, the laptop's microphone taking over): every frame of
        it would pass as a person. A whole second that correlates strongly with
        the reference is the echo, whatever its level: the first one sets the
        level, and later a measure far from what the gate knows (a changed
        path, not the few dB between the two estimates) is taken at once;
        anything else is left to the slow learning.
        """
        if not self.measured or abs(gain_db - self.gain_db) > self.path_change_db:
            self.gain_db = gain_db
        self.measured = True

    def frames_ok(self, mic_db: np.ndarray, ref_db: np.ndarray) -> np.ndarray:
        # The expected echo follows the reference's level, decaying ``echo_fade_db``
        # a frame after a loud one, from block to block: a room rings on after each
        # syllable. Taken afresh in every block (20-30 ms), a pause between two
        # of the coach's words was judged against its own quiet level while the
        # room still rang with the word before, 10-30 dB over it (the coach's
        # own lines through a room became utterances: "Please stop.").
        ok = np.ones(mic_db.shape, dtype=bool)
        recent = self._recent
        for i, (m, r) in enumerate(zip(mic_db, ref_db)):
            m, r = float(m), float(r)
            if r > self.active_level_db:
                self._tail_left = self.tail_seconds
                recent = max(r, recent - self.echo_fade_db)
                self._played += FRAME_SAMPLES / RATE_HZ
            elif self._tail_left > 0:
                self._tail_left -= FRAME_SAMPLES / RATE_HZ
                recent -= self.echo_fade_db
            else:
                recent = -200.0
                continue
            expected = recent + self.gain_db
            if m < expected + self.barge_margin_db:
                ok[i] = False
                # Learn the echo level only from frames the echo explains. A quiet
                # mic frame (the echo not yet arrived) says nothing about the path;
                # steps are capped so a few odd frames cannot drag the gain. Until
                # a second of echo has been measured, every frame under the
                # expected level counts, so the cautious start falls to the real
                # echo; after, only frames within a band either side of it: the
                # one-sided window kept dragging the level down (by 6 dB in two
                # seconds, after a louder echo was learnt), until the coach's own
                # words passed as a person.
                if r > self.active_level_db and m > self.active_level_db and (
                        m < expected + self.learn_band_db if not self.measured
                        else abs(m - (r + self.gain_db)) < self.learn_band_db):
                    self.gain_db += float(np.clip(0.05 * ((m - r) - self.gain_db), -0.5, 0.5))
            if self.settle_left > 0:
                ok[i] = False
        self._recent = recent
        return ok

    def silent(self) -> None:
        """The coach played nothing into a block, and its ring is no longer judged:
        the next words start from their own level."""
        self._recent = -200.0
        self._tail_left = 0.0

    @property
    def settle_left(self) -> float:
        """Seconds of the coach playing before the settling ends even unmeasured."""
        return 0.0 if self.measured else max(0.0, self.settle_seconds - self._played)

    @property
    def ringing(self) -> bool:
        """The coach stopped less than ``tail_seconds`` ago, while the gate is still
        settling: its room's ring is judged as its voice is (``ring_ok``). Once
        the echo is known the room's filter (``RoomEcho``) takes the ring out,
        and a person may speak the moment the coach stops."""
        return self._tail_left > 0 and self.settle_left > 0

    def ring_ok(self, mic_db: np.ndarray) -> np.ndarray:
        """Frames after the coach stopped: a room rings on for a few hundred
        milliseconds, carrying its last words, so until ``tail_seconds`` have
        passed a frame must stand above that ring (the coach's last level, fading
        ``ring_fade_db`` per frame) to be a person's."""
        ok = np.ones(mic_db.shape, dtype=bool)
        for i, m in enumerate(mic_db):
            if self._tail_left <= 0:
                break
            self._tail_left -= FRAME_SAMPLES / RATE_HZ
            self._recent -= self.ring_fade_db
            ok[i] = float(m) >= self._recent + self.gain_db + self.barge_margin_db
        return ok


def levels(frames: np.ndarray) -> np.ndarray:
    return frame_levels_db(np.clip(frames, -32768, 32767).reshape(-1, FRAME_SAMPLES))
