"""The one loop: inputs, then the Tick, each step; why a run ended; typed lines as an input."""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.commands.intents import Intent
from coach.core.actions import Action
from coach.core.events import Event, Heard, Tick
from coach.program.loader import load_bundled
from coach.program.model import Side
from coach.runtime.assembly import build_session
from coach.runtime.clock import SteppedClock
from coach.runtime.loop import Ending, SessionLoop
from coach.runtime.text_voice import TextVoice
from coach.runtime.runner import Runner
from coach.runtime.typed_input import EOF, TypedLines
from coach.settings import Settings
from coach.speech_in.typed import TypedText


@dataclass
class Lines:
    """Stands in for the line reader: the typed lines, then end of input."""

    lines: list[str]

    def get(self, timeout_seconds: float = 0.0) -> object:
        return self.lines.pop(0) if self.lines else EOF


@dataclass
class Seen:
    """A sink and an input at once: records every event the session is handed, in order."""

    at_steps: list[float] = field(default_factory=list)

    def events(self, now: float) -> list[Event]:
        self.at_steps.append(now)
        return [Heard(Intent.STATUS, "status", 1.0, now)] if len(self.at_steps) == 3 else []


def loop_of(*inputs: object, step: float = 0.05) -> tuple[SessionLoop, list[Event]]:
    session = build_session(load_bundled("medial-knee"), Settings(), side=Side.LEFT)
    fed: list[Event] = []
    runner = Runner(session, [TextVoice()])
    handle = session.handle

    def recording(event: Event) -> list[Action]:
        fed.append(event)
        return handle(event)

    session.handle = recording  # type: ignore[method-assign]
    return SessionLoop(runner, SteppedClock(step), list(inputs)), fed  # type: ignore[arg-type]


def test_each_step_hands_over_the_inputs_events_then_its_tick() -> None:
    seen = Seen()
    loop, fed = loop_of(seen, step=0.25)
    loop.start()
    assert loop.run(limit_seconds=1.0) is Ending.TIME_LIMIT
    assert seen.at_steps == [0.0, 0.25, 0.5, 0.75, 1.0]  # the last step is looked at, not ticked
    ticks_and_heard = [(type(e).__name__, e.at) for e in fed if isinstance(e, (Tick, Heard))]
    assert ticks_and_heard == [("Tick", 0.0), ("Tick", 0.25), ("Heard", 0.5), ("Tick", 0.5),
                               ("Tick", 0.75)]


def test_typed_lines_become_commands_one_a_step_and_end_of_input_ends_the_run() -> None:
    shown: list[tuple[str, Intent | None]] = []
    typed = TypedLines(Lines(["how many left", "", "the weather is nice"]),  # type: ignore[arg-type]
                       TypedText(), lambda line, heard, at: shown.append(
                           (line, heard.intent if heard is not None else None)))
    loop, fed = loop_of(typed)
    loop.start()
    assert loop.run(nobody_left=lambda: typed.ended) is Ending.NOBODY_LEFT
    assert shown == [("how many left", Intent.STATUS), ("the weather is nice", None)]
    assert [e.text for e in fed if isinstance(e, Heard)] == ["how many left"]
    assert loop.clock.steps == 3  # type: ignore[attr-defined]  # three lines (one blank), then EOF


def test_a_stopped_loop_ends_at_its_next_step_and_nothing_is_fed_after_the_end() -> None:
    loop, fed = loop_of()
    loop.start()
    loop.stop()
    assert loop.run() is Ending.STOPPED
    loop.runner.summary = loop.runner.session.summary()  # as if the session had ended
    count = len(fed)
    loop.feed(Heard(Intent.GO, "go", 1.0, 1.0))
    loop.step()
    assert len(fed) == count
    assert loop.run() is Ending.SESSION_ENDED
