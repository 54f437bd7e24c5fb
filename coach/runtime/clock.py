"""The run's one clock, of four kinds: stepped, wall, playout and live.

Everything the session does is timed against the clock of its run, so a
simulated run gives the same transcript every time. A clock says the time of
the current step (``now``), the time the step's Tick carries (``tick_at``:
the same, or a block ahead when the session must plan a block before it is
played), and moves on to the next step (``next_step``: by waiting, or by
playing a block, or by counting).

- ``SteppedClock``: simulated, a fixed step at a time (tests, replays).
- ``WallClock``: seconds since it was made, stepping every few milliseconds,
  or at once when woken (keys mode: a typed line).
- ``PlayoutClock``: simulated audio (the demo, the soak): the playout's
  position; each step plays one 10 ms block and hands it on.
- ``LiveClock``: the live coach: the playout's position as the speaker pulls
  it, a look-ahead in front; monotonic once there is no speaker.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

import numpy as np

from coach.audio.format import BLOCK_FRAMES, RATE_HZ

if TYPE_CHECKING:
    from coach.speech_out.playout import Playout


class Clock(Protocol):
    def now(self) -> float:
        """Session time (s) of the current step: what inputs are dated with."""
        ...

    def tick_at(self) -> float:
        """Session time (s) the step's Tick carries."""
        ...

    def next_step(self) -> None:
        """Move on to the next step: wait for it, play it, or count it."""
        ...


class SteppedClock:
    """Simulated time, ``step_seconds`` a step; step n is at exactly n x step_seconds."""

    def __init__(self, step_seconds: float = 0.05) -> None:
        if step_seconds <= 0:
            raise ValueError(f"a step must move the clock forward ({step_seconds} s)")
        self.step_seconds = step_seconds
        self.steps = 0

    def now(self) -> float:
        return self.steps * self.step_seconds

    def tick_at(self) -> float:
        return self.steps * self.step_seconds  # now(), without a second call on every tick

    def next_step(self) -> None:
        self.steps += 1


class WallClock:
    """Seconds since it was made, from ``time.monotonic`` (never jumps with the wall clock).

    ``next_step`` waits ``step_seconds``, or less when ``wake`` is set (a
    typed line has come in: it is handled at once).
    """

    def __init__(self, step_seconds: float, wake: threading.Event | None = None) -> None:
        self.step_seconds = step_seconds
        self.wake = wake if wake is not None else threading.Event()
        self._origin = time.monotonic()

    def now(self) -> float:
        return time.monotonic() - self._origin

    def tick_at(self) -> float:
        return self.now()

    def next_step(self) -> None:
        self.wake.wait(self.step_seconds)
        self.wake.clear()


class PlayoutClock:
    """Simulated audio: the playout's position; each step plays one block.

    The session is ticked to the end of the block the next step plays, so
    the beats that fall in it are placed before it is mixed. Each block
    played goes to every function in ``played`` with its session time:
    the simulated room, a WAV file.
    """

    def __init__(self, playout: Playout,
                 played: Sequence[Callable[[np.ndarray, float], None]] = ()) -> None:
        self.playout = playout
        self.played = list(played)

    def now(self) -> float:
        return self.playout.frames_pulled / RATE_HZ

    def tick_at(self) -> float:
        return (self.playout.frames_pulled + BLOCK_FRAMES) / RATE_HZ

    def next_step(self) -> None:
        at = self.now()
        block = self.playout.pull(BLOCK_FRAMES)
        for hand_on in self.played:
            hand_on(block, at)


class LiveClock:
    """The live coach's clock: the audio clock while the speaker plays, monotonic after.

    While the speaker plays, the time is the playout's position (what the
    speaker's pump will pull next) plus ``lookahead_seconds``, so a beat is
    handed to the playout before the pump reaches its sample and plays
    exactly on it. With no speaker, or once it has failed, the clock carries
    on from a monotonic clock (``monotonic``, seconds; tests pass their own).
    ``next_step`` waits ``step_seconds``, or less when ``wake`` is set: a
    microphone block, a decode done, a typed line (``coach.runtime.live``).
    While ``patient()`` (nothing is counted or said, nobody speaks) it waits
    up to ``patient_seconds`` instead.
    """

    def __init__(self, step_seconds: float, lookahead_seconds: float,
                 wake: threading.Event | None = None, *,
                 patient_seconds: float | None = None,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self.step_seconds = step_seconds
        self.lookahead_seconds = lookahead_seconds
        self.wake = wake if wake is not None else threading.Event()
        self.patient_seconds = patient_seconds if patient_seconds is not None else step_seconds
        self.patient: Callable[[], bool] = lambda: False  # asked before each wait
        self.playout: Playout | None = None  # set while the speaker plays
        self._monotonic = monotonic
        self._mono_origin = monotonic()
        self._mono_offset = 0.0  # session time when the clock became monotonic

    @property
    def audio(self) -> bool:
        """True while the time is the speaker's."""
        return self.playout is not None

    def follow(self, playout: Playout) -> None:
        """From now on the time is ``playout``'s (the speaker has started)."""
        self.playout = playout

    def to_monotonic(self) -> None:
        """The speaker failed: carry on from where the audio clock was, on a monotonic clock."""
        if self.playout is not None:
            self._mono_offset = self.now()
            self._mono_origin = self._monotonic()
            self.playout = None

    def now(self) -> float:
        if self.playout is not None:
            return float(self.playout.next_sample_at()) + self.lookahead_seconds
        return self._mono_offset + self._monotonic() - self._mono_origin

    def tick_at(self) -> float:
        return self.now()

    def next_step(self) -> None:
        self.wake.wait(self.patient_seconds if self.patient() else self.step_seconds)
        self.wake.clear()
