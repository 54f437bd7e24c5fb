"""Small programs built in code and a driver that runs a session on a manual clock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from coach.commands.parser import load_vocabulary, parse
from coach.core.actions import Action, Cue, Listen, Log, Say, StopSpeaking
from coach.core.events import Heard, Tick
from coach.core.session import Session
from coach.program.model import (
    Dose,
    DoseChange,
    Exercise,
    Level,
    Pattern,
    Phase,
    Program,
    SafetyNote,
    Step,
)
from coach.runtime.runner import Runner, TextSink
from coach.settings import Settings

TICK = 0.05
R = TypeVar("R")
VOCAB = load_vocabulary()


def exercise(
    ex_id: str = "raise",
    *,
    sets: int = 2,
    reps: int = 3,
    rest: float = 20.0,
    phases: tuple[Phase, ...] = (
        Phase("Lift.", 2.0),
        Phase("Hold.", 2.0, True),
        Phase("Lower.", 2.0),
    ),
    pattern: Pattern = Pattern.ONE_SIDE,
    levels: int = 3,
    default_level: int = 1,
    short_cue: str = "Lift your {side} leg.",
) -> Exercise:
    ladder = tuple(
        Level(f"l{i}", f"level {i}", f"Now level {i}.", DoseChange(hold_seconds=None))
        for i in range(levels)
    )
    return Exercise(
        id=ex_id,
        name=f"{ex_id} exercise",
        why=f"The {ex_id} helps your knee.",
        targets="thigh",
        helps=("oa",),
        equipment=(),
        steps=(
            Step(f"{ex_id} step one, {{side}} leg."),
            Step(f"{ex_id} step two."),
            Step(f"{ex_id} step three."),
        ),
        dose=Dose(sets=sets, reps=reps, rest_seconds=rest, phases=phases, pattern=pattern),
        levels=ladder,
        default_level=default_level,
        short_cue=short_cue,
    )


def program(*exercises: Exercise) -> Program:
    return Program(
        id="test",
        title="Test routine",
        summary="A test.",
        conditions=(),
        safety=(SafetyNote("Stop if it hurts sharply."),),
        exercises=exercises or (exercise(),),
        credit="tests",
        sources=(),
    )


class Drive:
    """A session, a runner with a text sink (speech 'ends' after an estimate) and a recorder."""

    def __init__(self, prog: Program | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("settings", Settings())
        self.session = Session(prog if prog is not None else program(), **kwargs)
        self.actions: list[tuple[float, Action]] = []
        self.text = TextSink(rate_wpm=self.session.settings.rate_wpm)
        self.runner = Runner(self.session, [self._record, self.text])
        self.ticks = 0

    def _record(self, action: Action, now: float) -> list[Any]:
        self.actions.append((now, action))
        return []

    @property
    def now(self) -> float:
        return self.ticks * TICK

    @property
    def state(self) -> Any:
        return self.session.state

    def start(self) -> Drive:
        self.runner.start(0.0)
        return self

    def tick(self) -> None:
        self.ticks += 1
        self.runner.feed(Tick(self.now))

    def advance(self, seconds: float) -> None:
        for _ in range(round(seconds / TICK)):
            if self.runner.ended:
                return
            self.tick()

    def until(self, done: Callable[[], bool], limit: float = 600.0) -> None:
        for _ in range(round(limit / TICK)):
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

    def until_state(self, state: Any, limit: float = 600.0) -> None:
        self.until(lambda: self.state is state, limit)

    def hear(self, text: str) -> list[Action]:
        command = parse(text, VOCAB)
        assert command is not None, f"{text!r} is not a command"
        mark = len(self.actions)
        self.runner.feed(Heard(command.intent, text, 1.0, self.now, command.number))
        return [a for _, a in self.actions[mark:]]

    def pause_for(self, seconds: float) -> int:
        """Say "pause", let ``seconds`` pass, say "go": the index in ``actions`` of what "go" did."""
        self.hear("pause")
        self.advance(seconds)
        mark = len(self.actions)
        self.hear("go")
        return mark

    def says(self, since: int = 0) -> list[Say]:
        return [a for _, a in self.actions[since:] if isinstance(a, Say)]

    def said(self, since: int = 0) -> list[str]:
        return [s.text for s in self.says(since)]

    def logs(self, kind: type[R]) -> list[R]:
        """The records of type ``kind`` logged so far, in order."""
        return [a.record for _, a in self.actions if isinstance(a, Log) and isinstance(a.record, kind)]

    def listens(self) -> list[Listen]:
        """Every Listen the session emitted so far, in order."""
        return [a for _, a in self.actions if isinstance(a, Listen)]

    def cues(self) -> list[Cue]:
        return [a for _, a in self.actions if isinstance(a, Cue)]

    def stops(self, since: int = 0) -> int:
        return sum(1 for _, a in self.actions[since:] if isinstance(a, StopSpeaking))

    def to_ready(self) -> None:
        """Through the opening to the first exercise's start prompt."""
        if self.session.side is None:
            self.until_state(self.session.state.__class__.ASK_SIDE)
            self.hear("left")
        self.until_state(self.session.state.__class__.READY)
