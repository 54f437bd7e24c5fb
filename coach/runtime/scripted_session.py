"""A session driven by scripted events: the one loop, stepped, everything recorded.

The tests drive sessions with it, ``coach replay`` runs its scripts on it,
and the soak runs its hour on it: the same loop the live coach goes round
(``coach.runtime.loop``), on a simulated clock, so a run gives the same result
every time and 30 minutes take well under a second::

    run = SessionHarness(Session(program, settings=Settings(), side=Side.LEFT,
                                 lines=load_lines())).start()
    run.until_said("Say go when you are ready")
    run.hear("go")
    run.advance(12.0)
    assert "Set 1 of 3." in run.said()

By default the voice is the text voice (``TextVoice``): a line "ends" after an
estimate from its words. Pass ``voice`` for another (a playout, a WAV file),
``clock`` for another clock (the soak plays real audio blocks) and ``inputs``
for events that come in by themselves. Every action, with the time it was
handed out, is kept in ``actions``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

from coach.core.actions import Action, Cue, Listen, Log, Say, StopSpeaking
from coach.core.events import Event, Heard
from coach.core.session import Session
from coach.core.states import State
from coach.runtime.clock import Clock, SteppedClock
from coach.runtime.loop import Ending, Input, SessionLoop
from coach.runtime.text_voice import TextVoice
from coach.runtime.runner import Runner, Sink
from coach.speech_in.typed import TypedText

TICK_SECONDS = 0.05  # the simulated clock's step
R = TypeVar("R")


class SessionHarness:
    """One session on the loop, on a simulated clock; see the module docstring."""

    def __init__(self, session: Session, *, tick_seconds: float = TICK_SECONDS,
                 voice: Sink | None = None, sinks: Sequence[Sink] = (),
                 clock: Clock | None = None, inputs: Sequence[Input] = (),
                 typed: TypedText | None = None, write: Callable[[str], None] | None = None,
                 timestamps: bool = True, record: bool = True) -> None:
        self.session = session
        self.actions: list[tuple[float, Action]] = []
        self.text = TextVoice(rate_wpm=session.settings.rate_wpm, write=write,
                             timestamps=timestamps)
        self.voice = voice if voice is not None else self.text
        recorder: list[Sink] = [self._record] if record else []
        self.runner = Runner(session, [*recorder, self.voice, *sinks])
        self.clock = clock if clock is not None else SteppedClock(tick_seconds)
        self.tick_seconds = tick_seconds
        self.loop = SessionLoop(self.runner, self.clock, inputs)
        self.typed = typed if typed is not None else TypedText()

    def _record(self, action: Action, now: float) -> list[Event]:
        self.actions.append((now, action))
        return []

    # -- time ---------------------------------------------------------------------
    @property
    def now(self) -> float:
        return self.clock.now()

    @property
    def state(self) -> State:
        return self.session.state

    @property
    def ended(self) -> bool:
        return self.runner.ended

    def start(self) -> SessionHarness:
        self.loop.start()
        return self

    def tick(self) -> None:
        """Move the clock one step, then hand the session that step's inputs and Tick."""
        self.clock.next_step()
        self.loop.step()

    def advance(self, seconds: float) -> None:
        """Let ``seconds`` of session time pass (less if the session ends or is stopped)."""
        for _ in range(round(seconds / self.tick_seconds)):
            if self.runner.ended or self.loop.stopped:
                return
            self.tick()

    def until(self, done: Callable[[], bool], limit: float = 600.0) -> None:
        """Tick until ``done()``; AssertionError when it is not within ``limit`` seconds."""
        for _ in range(round(limit / self.tick_seconds)):
            if done():
                return
            self.tick()
        raise AssertionError(
            f"not reached within {limit} s; state {self.state}, said {self.said()[-5:]}"
        )

    def until_said(self, text: str, limit: float = 600.0) -> int:
        """Advance until a Say containing ``text`` appears; its index in ``actions``."""
        start = len(self.actions)

        def found() -> bool:
            return any(isinstance(a, Say) and text in a.text for _, a in self.actions[start:])

        self.until(found, limit)
        for i in range(start, len(self.actions)):
            action = self.actions[i][1]
            if isinstance(action, Say) and text in action.text:
                return i
        raise AssertionError(text)

    def until_state(self, state: State, limit: float = 600.0) -> None:
        self.until(lambda: self.state is state, limit)

    def run(self, *, limit_seconds: float | None = None) -> Ending:
        """Go round the loop until the session ends (or the limit), as a whole run does."""
        return self.loop.run(limit_seconds=limit_seconds)

    # -- what the person does ---------------------------------------------------------
    def feed(self, event: Event) -> None:
        self.loop.feed(event)

    def type_line(self, text: str) -> Heard | None:
        """``text`` typed now: the command it is, handed to the session (None: not a command)."""
        heard = self.typed.heard(text, self.now)
        if heard is not None:
            self.feed(heard)
        return heard

    def hear(self, text: str) -> list[Action]:
        """The command ``text``, now; the actions it led to."""
        mark = len(self.actions)
        assert self.type_line(text) is not None, f"{text!r} is not a command"
        return [a for _, a in self.actions[mark:]]

    def pause_for(self, seconds: float) -> int:
        """Say "pause", let ``seconds`` pass, say "go": the index in ``actions`` of what "go" did."""
        self.hear("pause")
        self.advance(seconds)
        mark = len(self.actions)
        self.hear("go")
        return mark

    def to_ready(self) -> None:
        """Through the opening to the first exercise's start prompt."""
        if self.session.side is None:
            self.until_state(State.ASK_SIDE)
            self.hear("left")
        self.until_state(State.READY)

    # -- what the session did ---------------------------------------------------------
    def says(self, since: int = 0) -> list[Say]:
        return [a for _, a in self.actions[since:] if isinstance(a, Say)]

    def said(self, since: int = 0) -> list[str]:
        return [s.text for s in self.says(since)]

    def logs(self, kind: type[R]) -> list[R]:
        """The records of type ``kind`` logged so far, in order."""
        return [a.record for _, a in self.actions
                if isinstance(a, Log) and isinstance(a.record, kind)]

    def listens(self) -> list[Listen]:
        """Every Listen the session emitted so far, in order."""
        return [a for _, a in self.actions if isinstance(a, Listen)]

    def cues(self) -> list[Cue]:
        return [a for _, a in self.actions if isinstance(a, Cue)]

    def stops(self, since: int = 0) -> int:
        return sum(1 for _, a in self.actions[since:] if isinstance(a, StopSpeaking))
