"""The session: the coach's state machine, events in and actions out.

Pure: no clock, no I/O, no threads. Every event carries ``at`` (seconds on the
run's one clock); timers are deadlines compared with it. Instruction speech is
paced by SpeechDone (the next step follows the end of the last one plus a
short gap); counting is paced by the clock, each beat at an absolute deadline.
An event raised while one is being handled goes to a queue and is handled
after it, never re-entrantly.

This class holds the state and the plumbing (speech pacing, re-prompts, the
beat clock). What happens next lives beside it, in ``coach.core``: ``states``
(the table of transitions), ``flow`` (opening, exercises, sets, rests),
``handlers`` (each command, state by state), ``interrupt`` (pause, stop,
resume), ``rating`` (what a pain rating leads to, rules in ``pain``),
``replies`` (status, help, voice), ``timeline`` (the counting plan) and
``lines.yaml`` (every word the coach says).
"""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Mapping, Sequence
from typing import Any

from coach.core import flow, handlers
from coach.core.actions import (
    Action,
    Cue,
    Log,
    Priority,
    Say,
    SayKind,
)
from coach.core.count_plan import STEP_GAP_SECONDS, Beat, CountPlan
from coach.core.events import Event, Heard, SpeechDone, SpeechStarted, Tick
from coach.core.interrupt import Frozen
from coach.core.pain import PainWhen
from coach.core.progress import Progress
from coach.core.records import Record, SessionStarted
from coach.core.resume_point import ResumePoint
from coach.core.spoken_lines import Lines, load_lines
from coach.core.states import State, check_transition
from coach.program.model import Dose, Exercise, Program, Side, render
from coach.settings import Settings, Verbosity

__all__ = ["ResumePoint", "Session", "State"]


SILENCE_REPROMPT_SECONDS = 8.0  # a question unanswered this long is asked once more
SPEECH_FALLBACK_FACTOR = 3.0  # no SpeechDone after 3x the spoken estimate: carry on anyway
SPEECH_FALLBACK_SECONDS = 5.0
NARRATION = frozenset({State.OPENING, State.PLAN, State.INTRO, State.SUMMARY})
TIMED = frozenset({State.WORKING, State.RESTING})


class Session:
    """One session of a program, from the welcome to the summary.

    ``levels`` (exercise id -> ladder index) and ``familiar`` (exercise ids
    done before) come from past sessions; ``last_side``, the knee trained
    last time, is used when ``side`` is not given, said in the opening, and
    may be changed by saying left or right before the plan; ``resume`` offers to carry on an
    interrupted one; ``notes`` are spoken after the safety lines; ``week`` is
    the history's sentence about the past week, said when asked ("this
    week"); ``lines`` is the spoken copy (the bundled English ``lines.yaml``
    by default).
    """

    def __init__(
        self,
        program: Program,
        *,
        settings: Settings,
        side: Side | None = None,
        last_side: Side | None = None,
        levels: Mapping[str, int] = {},
        familiar: frozenset[str] = frozenset(),
        resume: ResumePoint | None = None,
        notes: Sequence[str] = (),
        week: str | None = None,
        lines: Lines | None = None,
    ) -> None:
        self.program = program
        self.settings = settings
        self.side = side if side is not None else last_side
        # Until the plan, "left"/"right" may still set the side: when none is
        # known, or when it is only remembered from last time.
        self.side_open = side is None
        self.familiar = familiar
        self.resume = resume
        self.notes = tuple(notes)
        self.week = week
        self.lines = lines if lines is not None else load_lines()
        self.levels: dict[str, int] = {}
        for ex in program.exercises:
            wanted = levels.get(ex.id, ex.default_level)
            self.levels[ex.id] = min(max(int(wanted), 0), len(ex.levels) - 1)
        self.progress = Progress(program)
        self._state = State.OPENING
        self._next_id = 1
        self._queue: deque[Event] = deque()
        self._handling = False
        self._out: list[Action] = []
        self._now = 0.0
        self._ex_index = 0
        self._set_number = 1
        # narration
        self._narr: list[str] = []
        self._narr_index = 0
        self._narr_full = True
        self._await_id: int | None = None
        self._await_deadline = math.inf
        self._next_line_at = math.inf
        # questions
        self._question = ""
        self._silence_since = math.inf
        self._reprompted = False
        # counting
        self._tl: CountPlan | None = None
        self._tl_start = 0.0
        self._tl_index = 0
        self._reps_done = 0
        # interruptions
        self._frozen: Frozen | None = None
        self._stop_return: State | None = None
        self._pain_return: State | None = None
        self._pain_when = PainWhen.AFTER_EXERCISE
        self._stop_advised = False
        self._completed = False
        self._summary: dict[str, Any] | None = None

    # ----------------------------------------------------------------- public

    @property
    def state(self) -> State:
        """Where the session is (see ``coach.core.states`` for the diagram)."""
        return self._state

    @property
    def exercise(self) -> Exercise | None:
        """The exercise under way or coming next; None once all are done."""
        if 0 <= self._ex_index < len(self.program.exercises):
            return self.program.exercises[self._ex_index]
        return None

    def summary(self) -> Mapping[str, Any]:
        """What was done so far, machine-readable (the same dict SessionEnded carries)."""
        if self._summary is not None:
            return self._summary
        return self.progress.summary(
            side=self.side, levels=self.levels, completed=self._completed, ended_at=self._now
        )

    def resume_point(self) -> ResumePoint | None:
        """Where a new session should offer to carry on, if this one stopped now."""
        ex = self.exercise
        if ex is None or self._state is State.ENDED and self._completed:
            return None
        return ResumePoint(ex.id, self._set_number, self.side)

    def start(self, at: float) -> list[Action]:
        """Begin at ``at`` (s on the run's clock): log the start, speak the opening."""
        self._now = at
        self.progress.started_at = at
        self._out = []
        self._log(
            SessionStarted(
                at,
                program=self.program.id,
                side=self.side,
                exercises=tuple(ex.id for ex in self.program.exercises),
                planned_sets={ex.id: self._dose(ex).sets for ex in self.program.exercises},
                levels=dict(self.levels),
            )
        )
        opening = [self.lines.get("welcome"), *self.program.safety, *self.notes]
        if self.side is not None and self.side_open:
            # Kept a template: the leg named is the one known when it is said.
            opening.append(self.lines.get("side_as_last_time", side="{side}"))
        self._narrate(opening)
        return self._take()

    def handle(self, event: Event) -> list[Action]:
        """Handle one event and everything it causes; return the actions."""
        self._queue.append(event)
        if self._handling:
            return []  # the outer call picks it up from the queue
        self._handling = True
        out: list[Action] = []
        try:
            while self._queue:
                self._out = []
                self._dispatch(self._queue.popleft())
                out.extend(self._take())
        finally:
            self._handling = False
        return out

    # ------------------------------------------------------------- plumbing

    def _take(self) -> list[Action]:
        out, self._out = self._out, []
        return out

    def _to(self, state: State) -> None:
        check_transition(self._state, state)
        self._state = state

    def _say(
        self,
        text: str,
        *,
        priority: Priority = Priority.NORMAL,
        at: float | None = None,
        kind: SayKind = SayKind.LINE,
    ) -> int:
        """Queue a line; program templates are filled in here, with the side
        known at the moment of speaking, so no path (repeat, back, a re-read
        step, a level cue) can speak a raw ``{side}``."""
        sid = self._next_id
        self._next_id += 1
        self._out.append(Say(render(text, self.side), sid, priority, at, kind))
        return sid

    def _say_awaited(self, text: str, *, priority: Priority = Priority.NORMAL) -> None:
        """Say a line whose end paces what comes next (a step, a question)."""
        self._await_id = self._say(text, priority=priority)
        words = max(1, len(text.split()))
        estimate = words * 60.0 / max(1, self.settings.rate_wpm)
        self._await_deadline = (
            self._now + estimate * SPEECH_FALLBACK_FACTOR + SPEECH_FALLBACK_SECONDS
        )

    def _log(self, record: Record) -> None:
        self._out.append(Log(record))

    def _dose(self, ex: Exercise) -> Dose:
        return ex.dose_at(self.levels[ex.id])

    # ------------------------------------------------------------- dispatch

    def _dispatch(self, event: Event) -> None:
        self._now = max(self._now, event.at)
        if self._state is State.ENDED:
            return
        if isinstance(event, Tick):
            self._on_tick(event.at)
        elif isinstance(event, SpeechDone):
            self._on_speech_done(event)
        elif isinstance(event, SpeechStarted):
            return
        elif isinstance(event, Heard):
            handlers.on_heard(self, event)

    def _on_speech_done(self, event: SpeechDone) -> None:
        if event.utterance_id != self._await_id:
            return
        self._await_id = None
        self._await_deadline = math.inf
        if self._state in NARRATION:
            self._next_line_at = event.at + STEP_GAP_SECONDS
        elif self._question:
            self._silence_since = event.at

    def _on_tick(self, at: float) -> None:
        if self._await_id is not None and at >= self._await_deadline:
            # The voice never reported the end of this line: carry on anyway,
            # then look at this same moment again.
            self._queue.append(SpeechDone(self._await_id, at))
            self._queue.append(Tick(at))
            return
        if self._state in NARRATION and at >= self._next_line_at:
            self._next_line_at = math.inf
            self._narr_index += 1
            self._say_current_line()
        elif self._question and at >= self._silence_since + SILENCE_REPROMPT_SECONDS:
            self._silence_since = math.inf
            if not self._reprompted:
                self._reprompted = True
                self._say_awaited(self._question)
                self._await_id = None  # after the one re-prompt, wait quietly
                self._await_deadline = math.inf
        if self._state in TIMED:
            self._advance_timeline(at)

    # ------------------------------------------------------------- narration

    def _narrate(self, lines: list[str], index: int = 0) -> None:
        self._question = ""
        self._narr = lines
        self._narr_index = index
        self._say_current_line()

    def _say_current_line(self) -> None:
        if self._narr_index < len(self._narr):
            self._say_awaited(self._narr[self._narr_index])
            return
        flow.narration_done(self)

    def _ask(self, state: State, text: str, *, priority: Priority = Priority.NORMAL) -> None:
        self._to(state)
        self._question = text
        self._reprompted = False
        self._silence_since = math.inf
        self._next_line_at = math.inf
        self._say_awaited(text, priority=priority)

    # ------------------------------------------------------------- counting

    def _run_timeline(self, tl: CountPlan, start: float, index: int = 0) -> None:
        self._question = ""
        self._await_id = None
        self._await_deadline = math.inf
        self._tl = tl
        self._tl_start = start
        self._tl_index = index
        self._advance_timeline(self._now)

    def _advance_timeline(self, at: float) -> None:
        for _ in range(10_000):  # a finished timeline may start the next one
            tl = self._tl
            if tl is None or self._state not in TIMED:
                return
            while self._tl_index < len(tl.beats):
                beat = tl.beats[self._tl_index]
                deadline = self._tl_start + beat.offset
                if deadline > at + 1e-9:
                    return
                self._tl_index += 1
                self._emit(beat, deadline)
            end = self._tl_start + tl.end
            if end > at + 1e-9:
                return
            self._tl = None
            flow.timeline_done(self, end)

    def _emit(self, beat: Beat, deadline: float) -> None:
        if beat.done is not None:
            self._reps_done = beat.done
        if beat.tone is not None:
            self._out.append(Cue(beat.tone, at=deadline))
        else:
            self._say(beat.text, priority=beat.priority, at=deadline, kind=beat.kind)

    def _short_intro(self, ex: Exercise) -> bool:
        if not ex.short_cue:
            return False
        v = self.settings.verbosity
        return v is Verbosity.SHORT or (v is Verbosity.AUTO and ex.id in self.familiar)
