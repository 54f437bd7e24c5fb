"""The runner's sink for history: stores every ``Log`` action as it arrives.

One record, one transaction: when the power goes, everything up to the last
finished set is on disk.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from coach.core.actions import Action, Log
from coach.core.events import Event
from coach.core.records import SessionStarted
from coach.history.files import HistoryUnavailable
from coach.history.store import HistoryStore


class HistorySink:
    """``sink(action, now) -> []``: writes Log records, ignores every other action.

    ``now`` is the session clock; the wall-clock time stored with each record
    comes from ``wall_clock`` (s since the Unix epoch), injected so tests and
    replays choose the dates.

    When a write fails (disk full, file gone read-only) the sink stops
    writing and tells ``report`` once, so the person hears about it once and
    the session carries on without history; whoever runs the session says
    how (a note in the transcript, a line on stderr) by choosing ``report``.
    With no ``report`` the failure is raised, once, as ``HistoryUnavailable``
    (the Runner raises it after every other sink had the action). A store
    opened read-only is never written to: the opening already said the
    session will not be kept (``HistoryStore.opening_notes``).
    """

    def __init__(self, store: HistoryStore, *, wall_clock: Callable[[], float] = time.time,
                 report: Callable[[HistoryUnavailable], None] | None = None):
        self._store = store
        self._wall_clock = wall_clock
        self.report = report
        self.session_id: int | None = None
        self.failed: HistoryUnavailable | None = None

    @property
    def keeps(self) -> bool:
        """Whether what the session does is being recorded (not failed, not read-only)."""
        return self.failed is None and not self._store.read_only

    def __call__(self, action: Action, now: float) -> list[Event]:
        if not isinstance(action, Log) or self.failed is not None or self._store.read_only:
            return []
        record = action.record
        wall = self._wall_clock()
        try:
            if isinstance(record, SessionStarted):
                self.session_id = self._store.begin_session(record, wall)
            else:
                self._store.add(self.session_id, record, wall)
        except HistoryUnavailable as exc:
            self.failed = exc
            if self.report is None:
                raise
            self.report(exc)
        return []
