"""The one loop every run goes round: a clock, the session's Runner, and its inputs.

Each step::

    inputs ──events──▶ Runner ──actions──▶ sinks (voice, transcript, history, ...)
    clock ───Tick────▶ Runner
    clock.next_step(): wait for the next step (live, keys), play one block
                       (the demo, the soak) or move a simulated clock (tests)

Keys mode, the live coach, the demo, replays, the tests and the soak differ
only in their clock (``coach.runtime.clock``), their inputs (typed lines, a
microphone, a virtual user, the playout's speech events) and their sinks. An
input yields the events it has at the step's time; the loop hands them to the
Runner in order, then the step's Tick. Once the session has ended, inputs are
still looked at (a transcript shows what was heard after the summary) but
nothing more is handed to the session.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Iterable, Sequence
from typing import Protocol

from coach.core.events import Event, Tick
from coach.runtime.clock import Clock
from coach.runtime.runner import Runner


class Input(Protocol):
    """Where events come from: typed lines, a microphone, a script, the playout."""

    def events(self, now: float) -> Iterable[Event]:
        """The events that arrived by session time ``now`` (s), in order."""
        ...


class Ending(enum.Enum):
    SESSION_ENDED = "the session ended"
    NOBODY_LEFT = "no input is left to answer with"  # end of typed input, and no microphone
    STOPPED = "stopped from outside"  # a termination signal
    TIME_LIMIT = "the time limit was reached"


class SessionLoop:
    """Runs one session: ``run`` for a whole run, ``step`` for a driver that steps itself."""

    def __init__(self, runner: Runner, clock: Clock, inputs: Sequence[Input] = ()) -> None:
        self.runner = runner
        self.clock = clock
        self.inputs = list(inputs)
        self._stop = False  # a plain flag, set by ``stop``

    def start(self) -> None:
        self.runner.start(self.clock.now())

    def stop(self) -> None:
        """End the run at the next step.

        Safe from another thread or a signal handler: it takes no lock (a
        handler that waited for a lock the thread it interrupted holds would
        hang the process).
        """
        self._stop = True

    @property
    def stopped(self) -> bool:
        """``stop`` was called: a driver that steps itself ends at its next step."""
        return self._stop

    def feed(self, event: Event) -> None:
        """Hand ``event`` to the session now, unless it has ended (a driver's own event)."""
        if not self.runner.ended:
            self.runner.feed(event)

    def poll(self) -> None:
        """Hand the session what every input has at the clock's time."""
        now = self.clock.now()
        for source in self.inputs:
            for event in source.events(now):
                self.feed(event)

    def tick(self) -> None:
        if not self.runner.ended:
            self.runner.feed(Tick(self.clock.tick_at()))

    def step(self) -> None:
        """One step at the clock's time, without moving the clock: inputs, then the Tick.

        The path of every simulated tick (tests, replays, the benchmark): kept to
        the calls it needs.
        """
        if self.inputs:
            self.poll()
        self.tick()

    def run(self, *, limit_seconds: float | None = None,
            nobody_left: Callable[[], bool] | None = None) -> Ending:
        """Step and move the clock until the session ends, or the run must stop.

        ``limit_seconds``: session time after which a simulated run gives up;
        ``nobody_left``: true when no input is left that a person answers with.
        """
        while True:
            self.poll()
            ending = self._ending(limit_seconds, nobody_left)
            if ending is not None:
                return ending
            self.tick()
            self.clock.next_step()

    def play_out(self, more: Callable[[], bool]) -> None:
        """Keep the clock and the inputs going while ``more()``: the last words play out.

        A session that has not ended (a run stopped at its time limit) is still
        ticked, so what it plans still plays.
        """
        while more():
            self.tick()
            self.clock.next_step()
            self.poll()

    def _ending(self, limit_seconds: float | None,
                nobody_left: Callable[[], bool] | None) -> Ending | None:
        if self.runner.ended:
            return Ending.SESSION_ENDED
        if self._stop:
            return Ending.STOPPED
        if nobody_left is not None and nobody_left():
            return Ending.NOBODY_LEFT
        if limit_seconds is not None and self.clock.now() >= limit_seconds:
            return Ending.TIME_LIMIT
        return None
