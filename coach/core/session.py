"""The session: the coach's state machine, events in and actions out.

Pure: no clock, no I/O, no threads. Every event carries ``at`` (seconds on the
run's one clock); timers are deadlines compared with it. Instruction speech is
paced by SpeechDone (the next step follows the end of the last one plus a
short gap); counting is paced by the clock, each beat at an absolute deadline.
An event raised while one is being handled goes to a queue and is handled
after it, never re-entrantly.

How it is put together, calls going one way (down):

- ``session`` (this module): the public face, the event queue, and the
  check that each event moved the session only as ``transitions`` allows;
- ``dispatch``: the state x command table, handled by ``moves`` (pause, go,
  next, back, repeat, harder, easier), ``stopping`` (stop, and yes or no to
  ending), ``sides`` (left, right), ``rating`` ("it hurts", a pain rating),
  ``not_now`` (a command not for this moment), ``replies`` (status, help,
  the week, what is needed, the levels), ``past`` (the last session, the
  pain trend, the levels) and ``voice_settings`` (speed, loudness, the
  voice by name, verbosity, tones);
- ``flow``: what happens by itself (the next line, a re-prompt, a count's
  beats and end), on top of ``rating`` (what a pain rating leads to),
  ``exercises`` (sets, rests, the next exercise), ``opening`` (resume offer,
  side, plan), ``closing`` (the summary), ``interrupt`` (freeze and thaw)
  and ``prompts`` (each question, asked one way);
- ``context``: the session's parts (``coach.core.parts``) and the ways to
  act (say, ask, log, count, move to a state);
- data below them all: ``states``, ``events``, ``actions``, ``records``,
  ``count_plan``, ``pain``, ``progress``; every word the coach says
  comes in as ``lines`` when the session is made (read from ``lines.yaml``
  by ``coach.spoken_text``, outside the core: the core reads no file).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping, Sequence
from functools import lru_cache

from coach.core import closing, dispatch, flow, not_understood, routines, transitions
from coach.core.actions import Action, Listen
from coach.core.context import Context
from coach.core.events import Event, Heard, NotUnderstood, SpeechDone, SpeechStarted, Tick
from coach.core.expect import listening
from coach.core.parts.routine import Routine
from coach.core.parts.side_choice import SideChoice
from coach.core.progress import Progress
from coach.core.records import SessionStarted, SessionSummary
from coach.core.resume_point import ResumePoint
from coach.spoken_text import Lines
from coach.core.states import State
from coach.program.model import Exercise, Program, Side
from coach.settings import Settings

__all__ = ["ResumePoint", "Session", "State"]



# Asked after every event; a session has a few dozen moments.
_listen_for = lru_cache(maxsize=256)(listening)


class Session:
    """One session of a program, from the welcome to the summary.

    ``levels`` (exercise id -> ladder index) and ``familiar`` (exercise ids
    done before) come from past sessions; ``last_side``, the knee trained
    last time, is used when ``side`` is not given, said in the opening, and
    may be changed by saying left or right before the first set; ``resume``
    offers to carry on an interrupted one; ``notes`` are spoken after the
    safety lines; ``week`` is the history's sentence about the past week,
    said when asked ("this week"), as are ``last_session`` ("last session")
    and ``pain_trend`` ("my pain trend"); ``lines`` is the spoken copy (read by
    whoever makes the session: ``coach.spoken_text.load_lines``); ``choices``: the whole routines
    that may be chosen by voice before the first set (``coach.core.routines``;
    by default the program itself); ``routine_remembered``: the program is
    the routine chosen by voice last time, which the opening says.
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
        last_session: str | None = None,
        pain_trend: str | None = None,
        lines: Lines,
        choices: Sequence[Program] = (),
        routine_remembered: bool = False,
    ) -> None:
        self._ctx = Context(
            program,
            settings=settings,
            lines=lines,
            side_choice=SideChoice(side, last_side),
            routine=Routine(program, levels),
            familiar=familiar,
            resume=resume,
            notes=notes,
            week=week,
            last_session=last_session,
            pain_trend=pain_trend,
            choices=choices,
            past_levels=levels,
        )
        self._routine_remembered = routine_remembered
        self._queue: deque[Event] = deque()
        self._handling = False
        self._listening: Listen | None = None  # the last Listen emitted

    # ----------------------------------------------------------------- public

    @property
    def program(self) -> Program:
        return self._ctx.program

    @property
    def settings(self) -> Settings:
        """The settings as the person has changed them by voice so far."""
        return self._ctx.settings

    @property
    def state(self) -> State:
        """Where the session is (see ``coach.core.states`` for the diagram)."""
        return self._ctx.state

    @property
    def side(self) -> Side | None:
        """The knee the session is for; None until it is known."""
        return self._ctx.side

    @property
    def side_open(self) -> bool:
        """Whether saying left or right may still choose the knee (until the first set)."""
        return self._ctx.side_choice.open

    @property
    def exercise(self) -> Exercise | None:
        """The exercise under way or coming next; None once all are done."""
        return self._ctx.exercise

    @property
    def exercise_index(self) -> int:
        """The position of ``exercise`` in the program (its length once all are done)."""
        return self._ctx.routine.index

    @property
    def levels(self) -> Mapping[str, int]:
        """Each exercise's level (index into its ladder), as changed so far."""
        return self._ctx.routine.levels

    @property
    def progress(self) -> Progress:
        return self._ctx.progress

    @property
    def lines(self) -> Lines:
        return self._ctx.lines

    @property
    def notes(self) -> tuple[str, ...]:
        return self._ctx.notes

    @property
    def week(self) -> str | None:
        return self._ctx.week

    def summary(self) -> SessionSummary:
        """What was done so far (at the end, the same value SessionEnded carries)."""
        if self._ctx.final_summary is not None:
            return self._ctx.final_summary
        return closing.summary_now(self._ctx)

    def resume_point(self) -> ResumePoint | None:
        """Where a new session should offer to carry on, if this one stopped now."""
        ex = self.exercise
        if ex is None or self.state is State.ENDED and self.summary().completed:
            return None
        return ResumePoint(ex.id, self._ctx.routine.set_number, self.side)

    def start(self, at: float) -> list[Action]:
        """Begin at ``at`` (s on the run's clock): log the start, speak the opening."""
        ctx = self._ctx
        ctx.now = at
        ctx.progress.start(at)
        ctx.take_actions()
        ctx.log(
            SessionStarted(
                at,
                program=ctx.program.id,
                side=ctx.side,
                exercises=tuple(ex.id for ex in ctx.program.exercises),
                planned_sets={ex.id: ctx.dose(ex).sets for ex in ctx.program.exercises},
                levels=dict(ctx.routine.levels),
            )
        )
        opening = [ctx.lines.get("welcome"), *ctx.program.safety_lines, *ctx.notes]
        if self._routine_remembered and (said := routines.today(ctx)) is not None:
            opening.append(ctx.lines.get("routine_as_last_time", routine=said))
        if ctx.side is not None and ctx.side_choice.open:
            # Kept a template: the leg named is the one known when it is said.
            opening.append(ctx.lines.get("side_as_last_time", side="{side}"))
        ctx.narrate(opening)
        self._listen()
        return ctx.take_actions()

    def handle(self, event: Event) -> list[Action]:
        """Handle one event and everything it causes; return the actions."""
        self._queue.append(event)
        if self._handling:
            return []  # the outer call picks it up from the queue
        self._handling = True
        out: list[Action] = []
        try:
            while self._queue:
                self._dispatch(self._queue.popleft())
                self._listen()
                out.extend(self._ctx.take_actions())
        finally:
            self._handling = False
        return out

    def listening(self) -> Listen:
        """What fits this moment: the commands worth listening for, and the open question."""
        ctx = self._ctx
        correcting = ctx.rating_check.open_at(ctx.now) is not None
        return _listen_for(ctx.state, ctx.side_choice.open, correcting, ctx.question.text)

    # ------------------------------------------------------------- dispatch

    def _listen(self) -> None:
        """Tell the outside what to listen for, when that changed (the one place it is said)."""
        now = self.listening()
        if now is not self._listening and now != self._listening:
            self._listening = now
            self._ctx.listen(now)

    def _dispatch(self, event: Event) -> None:
        ctx = self._ctx
        ctx.now = max(ctx.now, event.at)
        before = ctx.state
        entry = None
        if before is State.ENDED:
            return
        if isinstance(event, Tick):
            overdue = ctx.pacing.overdue(event.at)
            if overdue is not None:
                # The voice never reported the end of this line: carry on anyway,
                # then look at this same moment again.
                self._queue.append(SpeechDone(overdue, event.at))
                self._queue.append(Tick(event.at))
                return
            flow.tick(ctx, event.at)
        elif isinstance(event, SpeechStarted):
            ctx.unsaid.begun(event.utterance_id)
        elif isinstance(event, SpeechDone):
            ctx.unsaid.begun(event.utterance_id)
            flow.speech_done(ctx, event)
        elif isinstance(event, Heard):
            entry = dispatch.on_heard(ctx, event)
        elif isinstance(event, NotUnderstood):
            not_understood.on_not_understood(ctx, event)
        transitions.check_move(before, ctx.state, event, entry)
