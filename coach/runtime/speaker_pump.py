"""The pump: keeps the speaker's ring topped up from the playout, on a thread of its own.

The speaker's callback only copies from its ring (coach.audio.devices); the
mixing happens here, ahead of it, so a slow moment anywhere else (a decode,
the loop handling a command) never leaves the speaker without sound. The
pump wakes once the speaker has taken ``PULL_FRAMES`` of what it queued (a
callback in two: waking after every one cost the coach a wake-up every
10 ms for nothing; ``RELAXED_PULL_FRAMES`` while the coach waits, silent, at
a question) and pulls 10 ms blocks until ``LEAD_FRAMES`` are queued
beyond what the speaker has taken. Each block pulled goes, with
its session time, to every function in ``played``: the echo reference the
microphone is compared with, a WAV file.

With no speaker (a WAV file only, or the soak's real-time run) the pump is
paced by the monotonic clock instead, as a sound card would take the blocks
(``monotonic`` and ``sleep``, which tests pass their own of). Each round is
``fill``: the thread runs it until stopped; a test calls it directly.

An output that may fail (a file on a disk that fills up) is an
``OptionalOutput``: its failure is reported once and it is left out, and the
pump goes on. If the pump itself dies, that is reported too (``failures``):
the loop must stop timing the session by it.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np

from coach.audio.format import BLOCK_FRAMES, BLOCK_SECONDS, RATE_HZ
from coach.workers import Failures

if TYPE_CHECKING:
    from coach.audio.devices import Speaker
    from coach.speech_out.playout import Playout

# Frames queued for the speaker beyond what it has taken. Enough to ride out the
# loop thread holding the interpreter (a recogniser decode) without an underrun;
# a cut ("Stopping.") is heard at most this much later.
LEAD_FRAMES = 12 * BLOCK_FRAMES
PULL_FRAMES = 2 * BLOCK_FRAMES  # the speaker takes this much before the pump tops it up
# ...and this much while the pump is ``relaxed``: the coach waits for an answer,
# silent, and nothing is counted, so no beat can be late. The pump wakes about 17
# times a second instead of 50, and a reply starts no later (less silence is queued).
RELAXED_PULL_FRAMES = 6 * BLOCK_FRAMES

HandOn = Callable[[np.ndarray, float], None]


class OptionalOutput:
    """A hand-on the session can do without: once it fails, it is reported and left out."""

    def __init__(self, hand_on: HandOn, what: str, failures: Failures) -> None:
        self.hand_on = hand_on
        self.what = what
        self.failures = failures
        self.failed = False

    def __call__(self, block: np.ndarray, at: float) -> None:
        if self.failed:
            return
        try:
            self.hand_on(block, at)
        except Exception as exc:  # noqa: BLE001 - reported to the loop, which says it
            self.failed = True
            self.failures.report(self.what, exc)


class SpeakerPump:
    """See the module docstring. ``start`` and ``stop`` from the loop's thread."""

    def __init__(self, playout: Playout, speaker: Speaker | None,
                 played: Sequence[HandOn] = (), *,
                 lead_frames: int = LEAD_FRAMES, failures: Failures | None = None,
                 monotonic: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.playout = playout
        self.speaker = speaker
        self.played = list(played)
        self.lead_frames = lead_frames
        self.late_blocks = 0  # unpaced by a speaker: blocks pulled after a sound card needed them
        self.latest_seconds = 0.0  # ...and the latest of them, behind its time
        self.failures = failures if failures is not None else Failures()
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None
        self._monotonic = monotonic
        self._sleep = sleep
        self._paced_at: float | None = None  # unpaced by a speaker: when the stream started
        # Set by the loop's thread, read here: the session waits at a question,
        # silent (``RELAXED_PULL_FRAMES``).
        self.relaxed = False
        if speaker is not None:
            speaker.wake_below_frames = lead_frames - self.pull_frames

    def start(self) -> None:
        self._thread = self.failures.thread(self._run, name="coach-pump", what="pump")

    def stop(self, timeout_seconds: float = 2.0) -> None:
        """Stop the thread and wait for it (not from the pump's own thread)."""
        thread, self._thread = self._thread, None
        if thread is not None and thread is not threading.current_thread():
            self._stopping.set()
            thread.join(timeout=timeout_seconds)

    @property
    def pull_frames(self) -> int:
        """What the speaker takes before the pump tops it up again."""
        return RELAXED_PULL_FRAMES if self.relaxed else PULL_FRAMES

    @property
    def running(self) -> bool:
        return self._thread is not None

    def _run(self) -> None:
        while not self._stopping.is_set():
            if not self.fill():
                return

    def fill(self) -> bool:
        """One round: wait for the speaker (or a block's time), then top its queue up.

        False when the speaker has failed: the pump has nothing left to feed.
        """
        speaker, playout = self.speaker, self.playout
        if speaker is not None:
            speaker.wake_below_frames = self.lead_frames - self.pull_frames
            speaker.wake.wait(0.05)
            speaker.wake.clear()
            if speaker.check() is not None:
                return False
            allowed = speaker.frames_played + self.lead_frames
        else:  # no sound card: pace by the monotonic clock, as one would take the blocks
            if self._paced_at is None:
                self._paced_at = self._monotonic()
            self._sleep(BLOCK_SECONDS)
            taken = round((self._monotonic() - self._paced_at) * RATE_HZ)
            if playout.frames_pulled:  # the first fill is the stream starting, not a wait
                self._note_lateness(taken, playout.frames_pulled)
            allowed = taken + self.lead_frames
        while playout.frames_pulled + BLOCK_FRAMES <= allowed:
            at = playout.next_sample_at()
            block = playout.pull(BLOCK_FRAMES)
            if speaker is not None:
                speaker.ring.write(block)
            for hand_on in self.played:
                hand_on(block, at)
        return True

    def _note_lateness(self, taken: int, pulled: int) -> None:
        """A sound card taking ``taken`` frames by now would have run dry past ``pulled``."""
        behind = (taken - pulled) / RATE_HZ
        if behind > 0:
            self.late_blocks += 1
            self.latest_seconds = max(self.latest_seconds, behind)
