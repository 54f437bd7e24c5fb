"""Putting a session together: the program, the knee, the settings and what it carries over.

``coach start``, ``coach demo`` and ``coach replay`` build their session
here, so a session starts the same way whoever runs it; only what it
carries over differs: ``coach start`` asks the history (levels, familiar
exercises, the knee of last time, the opening's notes, the week, a session to
carry on), a replay script states it, the demo starts from nothing. The
command line decides which; nothing here reads arguments or prints.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from coach.core.resume_point import ResumePoint
from coach.core.session import Session
from coach.program.model import Program, Side
from coach.runtime.keep_settings import SettingsSink
from coach.runtime.runner import Sink
from coach.settings import Settings
from coach.spoken_text import load_lines

if TYPE_CHECKING:
    from coach.history import HistorySink, HistoryStore, HistoryUnavailable

RESUME_WITHIN_HOURS = 12.0  # an interrupted session older than this is not offered


@dataclass(frozen=True)
class CarriedOver:
    """What a session starts from besides its program: the history's answers, or a script's."""

    levels: Mapping[str, int] = field(default_factory=dict)  # exercise id -> ladder index
    last_side: Side | None = None  # the knee of last time: said, and open to change
    familiar: frozenset[str] = frozenset()  # exercise ids done before: the short reminder
    notes: tuple[str, ...] = ()  # said after the safety lines
    resume: ResumePoint | None = None  # an interrupted session, offered to carry on
    week: str | None = None  # the past week in a sentence, said when asked
    last_session: str | None = None  # "last session": when, what was done, its pain
    pain_trend: str | None = None  # "my pain trend": pain over the past weeks


def build_session(program: Program, settings: Settings, *, side: Side | None = None,
                  carried: CarriedOver = CarriedOver(),
                  routine_remembered: bool = False) -> Session:
    """The one way a session is made, whoever runs it. ``routine_remembered``:
    ``program`` is the routine chosen by voice last time (said in the opening)."""
    return Session(program, settings=settings, side=side, last_side=carried.last_side,
                   levels=carried.levels, familiar=carried.familiar, resume=carried.resume,
                   notes=carried.notes, week=carried.week,
                   last_session=carried.last_session, pain_trend=carried.pain_trend,
                   choices=routine_choices(program),
                   routine_remembered=routine_remembered, lines=load_lines())


def routine_choices(program: Program) -> tuple[Program, ...]:
    """The whole routines a person may choose by voice: the bundled ones, and
    ``program``'s own when it is not one of them (a program file)."""
    from coach.program.loader import bundled_program_paths, load_program

    bundled = tuple(load_program(path) for path in bundled_program_paths().values())
    if any(p.id == program.id for p in bundled):
        return bundled
    return (program, *bundled)


def carried_from_history(store: HistoryStore, program: Program, now: float) -> CarriedOver:
    """What the history says the next session of ``program`` starts from, at wall time ``now``.

    Raises ``HistoryUnavailable`` when the file cannot be read.
    """
    from coach.history import recall
    from coach.history.rules import DAY_SECONDS

    found = store.interruption(program.id, program=program, now=now,
                               within_hours=RESUME_WITHIN_HOURS)
    return CarriedOver(
        levels=store.levels(program.id, program=program, now=now),
        last_side=store.last_side(program.id),
        familiar=store.familiar(program.id),
        notes=tuple(store.opening_notes(program.id, now, program=program)),
        resume=found.point if found is not None else None,
        week=store.weekly_summary(now, program.id),
        last_session=recall.last_session(store.sessions(program.id, limit=1), now, program),
        pain_trend=recall.pain_trend(
            store.sessions(program.id, since_wall=now - recall.TREND_DAYS * DAY_SECONDS), now),
    )


@dataclass
class StartSession:
    """``coach start``'s session, with the sinks that keep what it changes.

    ``settings_sink`` saves a spoken "slower" or "louder" for next time;
    ``history`` records the session (None without history). Whoever runs the
    session sets their ``report`` callbacks to say a failure the way it speaks
    (a note in the transcript, a line on stderr). ``history_problem`` is why
    the history could not be opened, for the command line to say; the session
    then runs without it.
    """

    session: Session
    settings_sink: SettingsSink
    history: HistorySink | None = None
    store: HistoryStore | None = None
    history_problem: HistoryUnavailable | None = None

    @property
    def sinks(self) -> list[Sink]:
        return [self.settings_sink, *([self.history] if self.history is not None else [])]

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


def start_session(program: Program, settings: Settings, *, side: Side | None,
                  history: bool, now: float, routine_remembered: bool = False) -> StartSession:
    """``coach start``'s session: carried over from the history (``history``) at wall time ``now``.

    The settings file's knee is the default when the history names none: said
    in the opening and changed by saying left or right, as a knee remembered
    from the history is.
    """
    carried = CarriedOver()
    store = sink = problem = None
    if history:
        from coach.history import HistorySink, HistoryStore, HistoryUnavailable

        try:
            store = HistoryStore.open()
            carried = carried_from_history(store, program, now)
        except HistoryUnavailable as exc:
            if store is not None:
                store.close()
            store, problem = None, exc
        else:
            sink = HistorySink(store)
    if carried.last_side is None and settings.side is not None:
        carried = replace(carried, last_side=Side(settings.side))
    session = build_session(program, settings, side=side, carried=carried,
                            routine_remembered=routine_remembered)
    return StartSession(session, SettingsSink(), sink, store, problem)
