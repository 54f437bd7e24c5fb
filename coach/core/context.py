"""What the session's moves work with: its parts, and the few ways to act.

A move (a command's handler, the forward path, a detour) gets a ``Context``:
it says, asks, logs and moves to a state through the methods here, and reads
or changes the parts (``narration``, ``question``, ``counting``, ``detour``,
``pain``, ``routine``, ``side_choice``, ``progress``) through their own
methods; the actions it queues are reached only through its methods
(``mark``, ``said_since``). The session that owns the context feeds it
events and hands its actions out (``take_actions``).
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from coach.core.actions import (
    Action,
    ChangeVoice,
    Cue,
    CueKind,
    DropLines,
    Listen,
    Log,
    Priority,
    Say,
    SayKind,
    SessionEnded,
    StopSpeaking,
)
from coach.core.count_plan import CountPlan
from coach.core.outbox import Outbox
from coach.core.parts.counting import Counting
from coach.core.parts.detour import Detour
from coach.core.parts.misheard import Misheard
from coach.core.parts.narration import Narration
from coach.core.parts.pacing import LinePacing
from coach.core.parts.pain_check import PainCheck
from coach.core.parts.question import OpenQuestion
from coach.core.parts.rating_check import RatingCheck
from coach.core.parts.routine import Routine
from coach.core.parts.side_choice import SideChoice
from coach.core.parts.unsaid import UnsaidReplies
from coach.core.progress import Progress
from coach.core.records import Record, SessionSummary
from coach.core.resume_point import ResumePoint
from coach.spoken_text import Lines
from coach.core.states import State
from coach.program.model import Dose, Exercise, Program, Side, fill_side
from coach.settings import Settings


class Context:
    """One session's state and its outbox (see the module docstring)."""

    def __init__(
        self,
        program: Program,
        *,
        settings: Settings,
        lines: Lines,
        side_choice: SideChoice,
        routine: Routine,
        familiar: frozenset[str],
        resume: ResumePoint | None,
        notes: Sequence[str],
        week: str | None,
        last_session: str | None = None,
        pain_trend: str | None = None,
        choices: Sequence[Program] = (),
        past_levels: Mapping[str, int] | None = None,
    ) -> None:
        self.program = program
        self.settings = settings
        self.lines = lines
        self.familiar = familiar  # exercise ids done in earlier sessions
        self._resume = resume  # where an interrupted session stopped, to offer carrying on
        self.notes = tuple(notes)  # the history's lines for the opening
        self.week = week  # the history's sentence about the past week
        self.last_session = last_session  # the history's sentence about the last session
        self.pain_trend = pain_trend  # the history's sentence about pain over the weeks
        self.side_choice = side_choice
        self.routine = routine
        self.progress = Progress(program)
        self.narration = Narration()
        self.pacing = LinePacing()
        self.question = OpenQuestion()
        self.counting = Counting()
        self.detour = Detour()
        self.pain = PainCheck()
        self.rating_check = RatingCheck()
        self.misheard = Misheard()  # speech not understood, and the coach's recent words
        self.unsaid = UnsaidReplies()  # replies not begun, which a newer command makes stale
        self._outbox = Outbox()
        # Every action since the last take, in order (the session hands them
        # out after each event: the outbox's own method, no call in between).
        self.take_actions: Callable[[], list[Action]] = self._outbox.take
        self.now = 0.0  # s: the latest time an event carried
        self._first_set_started = False  # from then on, today's routine is settled
        self.choices = tuple(choices) or (program,)  # routines to choose by voice, before a set
        # Levels from past sessions (and this one's, once left), for a routine chosen.
        self._past_levels = dict(past_levels if past_levels is not None else routine.levels)
        self._final_summary: SessionSummary | None = None  # once the summary is said
        self._state = State.OPENING

    # -- where the session is -------------------------------------------------

    @property
    def state(self) -> State:
        return self._state

    def go(self, state: State) -> None:
        """Move to ``state``. Which moves are allowed is checked per event (``transitions``)."""
        self._state = state

    @property
    def side(self) -> Side | None:
        return self.side_choice.side

    # The parts that say where the session is; a snapshot of them is the
    # session as it was (voice settings, the outbox and the clock are not).
    _WHERE = ("_state", "narration", "pacing", "question", "counting", "detour", "pain",
              "routine", "side_choice", "progress", "_final_summary", "_first_set_started")

    def snapshot(self) -> dict[str, Any]:
        """Where the session is now, copied, for ``restore``."""
        memo: dict[int, Any] = {id(self.program): self.program}
        return copy.deepcopy({name: getattr(self, name) for name in self._WHERE}, memo)

    def restore(self, snapshot: dict[str, Any]) -> None:
        """Put the session back where ``snapshot`` found it."""
        memo: dict[int, Any] = {id(self.program): self.program}
        for name, value in copy.deepcopy(snapshot, memo).items():
            setattr(self, name, value)

    @property
    def final_summary(self) -> SessionSummary | None:
        """The summary being said (then, dated, the one the session ended with)."""
        return self._final_summary

    def keep_summary(self, summary: SessionSummary) -> None:
        self._final_summary = summary

    @property
    def first_set_started(self) -> bool:
        """From the first set on, today's knee and routine are settled."""
        return self._first_set_started

    def first_set(self) -> None:
        """A set starts: the knee and the routine are the session's from now on."""
        self.side_choice.settle()
        self._first_set_started = True

    @property
    def resume(self) -> ResumePoint | None:
        return self._resume

    def resume_from_first_set(self, side: Side) -> None:
        """Carrying on means the exercise again from its first set, on ``side``."""
        if self._resume is not None:
            self._resume = replace(self._resume, set_number=1, side=side)

    def choose_routine(self, program: Program) -> None:
        """Today's routine is ``program`` (chosen by voice before the first set): its
        exercises at the levels last known, nothing done yet, no resume offered
        (what was stopped last time belongs to the routine it was in)."""
        self._past_levels.update(self.routine.levels)
        self.program = program
        self.routine = Routine(program, self._past_levels)
        self.progress = Progress(program, started_at=self.progress.started_at)
        self._resume = None

    @property
    def exercise(self) -> Exercise | None:
        return self.routine.exercise

    def dose(self, ex: Exercise) -> Dose:
        return self.routine.dose(ex)

    # -- acting -----------------------------------------------------------------

    def say(
        self,
        text: str,
        *,
        priority: Priority = Priority.NORMAL,
        at: float | None = None,
        kind: SayKind = SayKind.LINE,
    ) -> int:
        """Queue a line; returns its id.

        Program templates are filled in here, with the side known at the
        moment of speaking, so no path (repeat, back, a re-read step, a
        level cue) can speak a raw ``{side}``.
        """
        line_id = self._outbox.new_line_id()
        spoken = fill_side(text, self.side)
        self._outbox.add(Say(spoken, line_id, priority, at, kind))
        self.misheard.coach_said(self.now if at is None else at, spoken)
        return line_id

    def say_awaited(self, text: str, *, priority: Priority = Priority.NORMAL) -> None:
        """Say a line whose end paces what comes next (a step, a question)."""
        line_id = self.say(text, priority=priority)
        self.pacing.wait_for(line_id, text, self.now, self.settings.rate_wpm)

    def ask(self, state: State, text: str, *, priority: Priority = Priority.NORMAL,
            question: str | None = None) -> None:
        """Move to ``state`` and say ``text``, which then waits for an answer.

        ``question``: the part of ``text`` that is the question, when more comes
        before it (a rating said back): that part alone is asked again.
        """
        self.go(state)
        self.question.ask(question if question is not None else text)
        self.narration.hold()
        self.say_awaited(text, priority=priority)

    def narrate(self, lines: Sequence[str], index: int = 0) -> None:
        """Read ``lines`` out from ``index`` (the next one after each has ended).

        ``lines`` is never empty: what follows the last line is up to the
        flow (``flow.next_line``), which this does not call.
        """
        self.question.close()
        self.narration.start(lines, index)
        line = self.narration.current
        assert line is not None, "a narration needs a line to say"
        self.say_awaited(line)

    def count(self, plan: CountPlan, start: float, next_index: int = 0) -> None:
        """Count ``plan`` from ``start`` (s): its beats are said on their deadlines."""
        self.question.close()
        self.pacing.forget()
        self.counting.run(plan, start, next_index)
        self.say_due_beats(self.now)

    def say_due_beats(self, at: float) -> None:
        for beat, deadline in self.counting.due(at):
            if beat.tone is not None:
                self._outbox.add(Cue(beat.tone, at=deadline))
            elif beat.text:  # a silent beat only counts (a rep the pause ended)
                self.say(beat.text, priority=beat.priority, at=deadline, kind=beat.kind)

    def abandon_activity(self) -> None:
        """Whatever was being counted or held will not be carried on."""
        self.counting.stop()
        self.detour.drop()

    def stop_speaking(self, at_once: bool = False) -> None:
        """``at_once`` for stop, pause and pain: the voice is cut at the next sample."""
        self._outbox.add(StopSpeaking(at_once))

    def answered(self, mark: int, *, reply: bool) -> None:
        """The person was answered from ``mark`` in the outbox on.

        Replies from before that have not begun are stale: dropped ahead of
        this answer, so it is said next. ``reply``: the answer only replies
        (it leaves the session where it was), so a newer command may drop it
        in turn. Counts, cue words and the lines that pace the session are
        never replies.
        """
        stale = self.unsaid.take()
        if stale:
            self._outbox.insert(mark, DropLines(stale))
        if reply:
            paced = None if self.detour.reply_hold else self.pacing.line_id
            self.unsaid.add([a.id for a in self._outbox.since(mark)
                             if isinstance(a, Say) and a.at is None and a.id != paced])

    def mark(self) -> int:
        """Where the actions stand now: ``said_since`` and ``answered`` take it."""
        return len(self._outbox)

    def said_since(self, mark: int) -> list[Say]:
        """The lines said from ``mark`` on to be spoken at once (replies; not a count's beats)."""
        return [a for a in self._outbox.since(mark) if isinstance(a, Say) and a.at is None]

    def listen(self, listen: Listen) -> None:
        """Tell the outside what to listen for now."""
        self._outbox.add(listen)

    def end_session(self, summary: SessionSummary) -> None:
        """The session is over, with ``summary``: the last action."""
        self._outbox.add(SessionEnded(summary))

    def cue(self, kind: CueKind, at: float) -> None:
        self._outbox.add(Cue(kind, at=at))

    def log(self, record: Record) -> None:
        self._outbox.add(Log(record))

    def change_voice(self, rate_wpm: int, volume: float, voice: str | None = None) -> None:
        """The voice's speed and loudness (and, given, the voice itself) from now on."""
        self.settings = replace(self.settings, rate_wpm=rate_wpm, volume=volume,
                                voice=voice if voice is not None else self.settings.voice)
        self._outbox.add(ChangeVoice(rate_wpm, volume, voice))

    def change_settings(self, settings: Settings) -> None:
        """Settings that change what is said (verbosity) or how a count sounds
        (tones): the session reads them from here on, so they need no action."""
        self.settings = settings
