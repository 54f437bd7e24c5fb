"""Progress that lasts: session history, resume, pain and adherence across days.

Everything is kept in one owner-only SQLite file on this machine (see
``store``); no audio is ever stored. Typical use by the runtime::

    store = HistoryStore.open()               # raises HistoryUnavailable
    sink = HistorySink(store)                 # runner sink: sink(action, now)
    store.levels("medial-knee"), store.familiar("medial-knee"), store.last_side()
    store.interruption("medial-knee", program=program)   # .point, .offer
    store.opening_notes("medial-knee", time.time(), program=program)
"""

from __future__ import annotations

from coach.history.files import HistoryUnavailable
from coach.history.interruption import Interruption
from coach.history.read import ExerciseRecord, LevelChange, PainRating, SessionRecord
from coach.history.sink import HistorySink
from coach.history.store import FileHealth, HistoryStore, default_path, file_health

__all__ = [
    "ExerciseRecord",
    "FileHealth",
    "HistorySink",
    "HistoryStore",
    "HistoryUnavailable",
    "Interruption",
    "LevelChange",
    "PainRating",
    "SessionRecord",
    "default_path",
    "file_health",
]
