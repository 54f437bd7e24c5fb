"""The facts a session logs (``Log.record``), one frozen type per kind.

The history stores them, ``coach start`` saves a voice change from them, the
demo checks them. Each of those picks the records it cares about by type, so
a misspelt kind or field is an error where it is written, not a silent gap in
the history.

In the history file each record is kept whole as JSON (``journal()``): its
``kind`` string, ``at`` and its fields, under the names the file has always
used ("set", "of", "from", "to", "level"), so files written before these
types existed read the same.

The session's summary (``SessionSummary``, which ``SessionFinished`` and the
``SessionEnded`` action carry) is here too: it is made of these records (the
pain ratings, the level changes) and is one of them in turn.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
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
class ExerciseSummary:
    """How far one exercise of the routine got."""

    id: str
    name: str
    sets_done: int  # sets done in full
    sets_partial: int  # sets ended before enough of their reps
    sets_planned: int
    done: bool  # finished, with at least one set done in full
    skipped: str | None  # why it was left: "asked", "pain"; None: not skipped
    level: int  # ladder index at the end
    level_id: str

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "sets_done": self.sets_done,
            "sets_partial": self.sets_partial,
            "sets_planned": self.sets_planned,
            "done": self.done,
            "skipped": self.skipped,
            "level": self.level,
            "level_id": self.level_id,
        }


@dataclass(frozen=True)
class SessionSummary:
    """What one session did, exercise by exercise, with its pain ratings and level changes."""

    program: str  # program id
    side: Side | None
    completed: bool  # ran to its end (False: stopped early)
    started_at: float  # s on the session clock
    ended_at: float  # s on the session clock
    duration_seconds: float  # from the start to when the summary began
    exercises: tuple[ExerciseSummary, ...]
    pain: tuple[PainRated, ...]
    level_changes: tuple[LevelChanged, ...]
    levels: Mapping[str, int]  # exercise id -> ladder index at the end

    @property
    def exercises_done(self) -> int:
        return sum(1 for row in self.exercises if row.done)

    @property
    def sets_done(self) -> int:
        return sum(row.sets_done for row in self.exercises)

    @property
    def sets_partial(self) -> int:
        return sum(row.sets_partial for row in self.exercises)

    @property
    def skipped(self) -> tuple[str, ...]:
        """Ids of the exercises left out, in the routine's order."""
        return tuple(row.id for row in self.exercises if row.skipped)

    def ended(self, at: float) -> SessionSummary:
        """The same summary, the session over at ``at`` (s)."""
        return replace(self, ended_at=at)

    def as_json(self) -> dict[str, Any]:
        """The summary as the history file and ``--json`` keep it."""
        return {
            "program": self.program,
            "side": self.side.value if self.side is not None else None,
            "completed": self.completed,
            "started_at": self.started_at,
            "ended_at": self.ended_at,
            "duration_seconds": self.duration_seconds,
            "exercises": [row.as_json() for row in self.exercises],
            "exercises_done": self.exercises_done,
            "sets_done": self.sets_done,
            "sets_partial": self.sets_partial,
            "skipped": list(self.skipped),
            "pain": [
                {"exercise": p.exercise, "rating": p.rating, "when": p.when.value, "at": p.at}
                for p in self.pain
            ],
            "level_changes": [
                {"exercise": c.exercise, "from": c.from_level, "to": c.to_level, "at": c.at}
                for c in self.level_changes
            ],
            "levels": dict(self.levels),
        }


@dataclass(frozen=True)
class SessionFinished:
    """The summary was said and the session is over (the ``SessionEnded`` action follows)."""

    KIND: ClassVar[str] = "session-ended"
    at: float
    completed: bool  # False: stopped early
    summary: SessionSummary  # what SessionEnded carries


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
        elif item.name == "summary":
            value = value.as_json()
        elif isinstance(value, Mapping):
            value = dict(value)
        out[JOURNAL_NAMES.get(item.name, item.name)] = value
    return out
