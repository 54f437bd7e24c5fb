"""The facts a session logs (``Log.record``), one frozen type per kind.

The history stores them, ``coach start`` saves a voice change from them, the
demo checks them. Each of those picks the records it cares about by type, so
a misspelt kind or field is an error where it is written, not a silent gap in
the history.

In the history file each record is kept whole as JSON (``journal()``): its
``kind`` string, ``at`` and its fields, under the names the file has always
used ("set", "of", "from", "to", "level"), so files written before these
types existed read the same.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from typing import Any, ClassVar

from coach.core.pain import PainWhen
from coach.program.model import Side


@dataclass(frozen=True)
class SessionStarted:
    """The session began: what it plans, at which levels, for which knee."""

    KIND: ClassVar[str] = "session-started"
    at: float  # s on the session clock
    program: str  # program id
    side: Side | None  # None: not known yet (asked next)
    exercises: tuple[str, ...]  # exercise ids, in order
    planned_sets: Mapping[str, int] = field(default_factory=dict)  # exercise id -> sets
    levels: Mapping[str, int] = field(default_factory=dict)  # exercise id -> ladder index
    demo: bool = False  # a demo session, kept apart from the person's own


@dataclass(frozen=True)
class RoutineChosen:
    """Today's routine was chosen by voice before the first set: it replaces what
    ``SessionStarted`` planned (the program, its exercises, their sets and levels)."""

    KIND: ClassVar[str] = "routine-chosen"
    at: float  # s on the session clock
    program: str  # program id
    exercises: tuple[str, ...]  # exercise ids, in order
    planned_sets: Mapping[str, int] = field(default_factory=dict)  # exercise id -> sets
    levels: Mapping[str, int] = field(default_factory=dict)  # exercise id -> ladder index
    conditions: tuple[str, ...] = ()  # condition ids chosen; empty: the whole program


@dataclass(frozen=True)
class SideChosen:
    """The knee was named (answered, said early, or taken from the resume point)."""

    KIND: ClassVar[str] = "side-chosen"
    at: float
    side: Side


@dataclass(frozen=True)
class SetDone:
    """A set was counted to its end, or ended early with "next"."""

    KIND: ClassVar[str] = "set-done"
    at: float  # the set's end deadline, not the tick that noticed it
    exercise: str
    set_number: int  # 1-based
    of_sets: int  # sets planned at the current level
    reps: int  # reps counted before the set ended
    level: int  # ladder index
    side: Side | None
    reps_planned: int = 0  # reps the set was planned to have (both sides counted)
    complete: bool = True  # enough of them were done (``progress.set_complete``); else partial


@dataclass(frozen=True)
class ExerciseDone:
    KIND: ClassVar[str] = "exercise-done"
    at: float
    exercise: str
    sets_done: int
    sets_planned: int


@dataclass(frozen=True)
class ExerciseSkipped:
    KIND: ClassVar[str] = "exercise-skipped"
    at: float
    exercise: str
    reason: str  # "asked" (said next) or "pain" (a rating above 5)


@dataclass(frozen=True)
class PainRated:
    KIND: ClassVar[str] = "pain"
    at: float
    exercise: str | None  # None: before the first exercise
    rating: int  # 0..10
    when: PainWhen


@dataclass(frozen=True)
class PainCorrected:
    """The person corrected the rating just taken: it was misheard."""

    KIND: ClassVar[str] = "pain-corrected"
    at: float
    exercise: str | None
    rating: int  # the rating taken by mistake, now withdrawn


@dataclass(frozen=True)
class LevelChanged:
    KIND: ClassVar[str] = "level-changed"
    at: float
    exercise: str
    from_level: int  # ladder index
    to_level: int  # ladder index
    level_id: str  # the new level's id


@dataclass(frozen=True)
class Paused:
    KIND: ClassVar[str] = "paused"
    at: float


@dataclass(frozen=True)
class Resumed:
    KIND: ClassVar[str] = "resumed"
    at: float


@dataclass(frozen=True)
class SettingsChanged:
    """The person changed the voice by voice; ``coach start`` saves it for next time.

    ``voice``, ``verbosity`` and ``count_with`` (settings file values) are set
    when they were what changed; None: as they were.
    """

    KIND: ClassVar[str] = "settings-changed"
    at: float
    rate_wpm: int
    volume: float  # 0..1
    voice: str | None = None
    verbosity: str | None = None  # "full", "short" (Verbosity)
    count_with: str | None = None  # "voice", "tones" (CountWith)


@dataclass(frozen=True)
class SessionFinished:
    """The summary was said and the session is over (the ``SessionEnded`` action follows)."""

    KIND: ClassVar[str] = "session-ended"
    at: float
    completed: bool  # False: stopped early
    summary: Mapping[str, Any]  # what SessionEnded carries


Record = (
    SessionStarted
    | RoutineChosen
    | SideChosen
    | SetDone
    | ExerciseDone
    | ExerciseSkipped
    | PainRated
    | PainCorrected
    | LevelChanged
    | Paused
    | Resumed
    | SettingsChanged
    | SessionFinished
)

# Field name -> its name in the journal, where the two differ.
JOURNAL_NAMES: Mapping[str, str] = {
    "set_number": "set",
    "of_sets": "of",
    "from_level": "from",
    "to_level": "to",
    "level_id": "level",
}

# Fields left out of the journal while None (settings that did not change).
OPTIONAL_FIELDS = frozenset({"voice", "verbosity", "count_with"})


def journal(record: Record) -> dict[str, Any]:
    """The record as the history's journal keeps it: ``kind``, ``at``, then its fields."""
    out: dict[str, Any] = {"kind": record.KIND}
    for item in fields(record):
        value = getattr(record, item.name)
        if item.name == "demo" and not value:
            continue  # only demo sessions are marked
        if item.name in OPTIONAL_FIELDS and value is None:
            continue  # a setting that did not change
        if isinstance(value, tuple):
            value = list(value)
        elif isinstance(value, Mapping):
            value = dict(value)
        out[JOURNAL_NAMES.get(item.name, item.name)] = value
    return out
