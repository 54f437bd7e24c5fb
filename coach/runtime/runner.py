"""The runner: one place that feeds events to the session and actions to sinks.

A *sink* is any callable ``sink(action, now) -> list[Event]``: it carries out
an action (print a line, play speech, store a log record) and may report
events back, such as ``SpeechStarted``/``SpeechDone``. Events a sink reports,
and events that arrive while another is being handled, are queued and handled
in order, never re-entrantly. A sink that raises a CoachError does not stop
the others: the error is raised once the queue is empty. An event dated in the future (a text sink's
estimate of when a line ends) waits until the clock reaches it: the next
``Tick`` at or after its time releases it, before the tick itself. A line
reported ended now and interrupted (dropped before it began) has nothing
more to come: its start and end dated later are forgotten.
"""

from __future__ import annotations

import heapq
import itertools
from collections import deque
from collections.abc import Sequence
from typing import Protocol

from coach.core.actions import Action, SessionEnded
from coach.core.events import Event, SpeechDone, SpeechStarted, Tick
from coach.core.session import Session
from coach.core.records import SessionSummary
from coach.errors import CoachError


class Sink(Protocol):
    def __call__(self, action: Action, now: float) -> list[Event]: ...


class Runner:
    def __init__(self, session: Session, sinks: Sequence[Sink]) -> None:
        self.session = session
        self.sinks = list(sinks)
        self.summary: SessionSummary | None = None
        self.now = 0.0
        self._queue: deque[Event] = deque()
        self._later: list[tuple[float, int, Event]] = []
        self._order = itertools.count()
        self._busy = False
        self._failed: CoachError | None = None

    @property
    def ended(self) -> bool:
        return self.summary is not None

    @property
    def waiting(self) -> int:
        """Events dated later that wait for the clock (a text voice's starts and ends)."""
        return len(self._later)

    def start(self, at: float) -> None:
        self.now = at
        self._deliver(self.session.start(at), at)
        self._drain()

    def feed(self, event: Event) -> None:
        """Queue an event (a Tick, a Heard...) and handle everything it leads to."""
        if self._later and isinstance(event, Tick):
            self._release(event.at)
        self._queue.append(event)
        self._drain()

    def _release(self, until: float) -> None:
        while self._later and self._later[0][0] <= until:
            self._queue.append(heapq.heappop(self._later)[2])

    def _drain(self) -> None:
        if self._busy:
            return
        self._busy = True
        try:
            while self._queue:
                event = self._queue.popleft()
                if event.at > self.now:
                    self.now = event.at
                actions = self.session.handle(event)
                if actions:  # most ticks lead to nothing
                    self._deliver(actions, self.now)
        finally:
            self._busy = False
        failed, self._failed = self._failed, None
        if failed is not None:
            raise failed  # after every other sink got every action

    def _deliver(self, actions: list[Action], now: float) -> None:
        for action in actions:
            if isinstance(action, SessionEnded):
                self.summary = action.summary
            for sink in self.sinks:
                try:
                    events = sink(action, now)
                except CoachError as exc:
                    # One failing sink (a full disk under the history) must not
                    # cost the others this action; the error is raised at the end.
                    self._failed = self._failed or exc
                    continue
                for event in events:
                    if event.at > now:
                        heapq.heappush(self._later, (event.at, next(self._order), event))
                    else:
                        if isinstance(event, SpeechDone) and event.interrupted and self._later:
                            self._forget_later(event.utterance_id)
                        self._queue.append(event)

    def _forget_later(self, line_id: int) -> None:
        later = [item for item in self._later
                 if not (isinstance(item[2], (SpeechStarted, SpeechDone))
                         and item[2].utterance_id == line_id)]
        if len(later) != len(self._later):
            heapq.heapify(later)
            self._later = later
