"""The runner, the text sink, the clocks and the typed-line reader."""

from __future__ import annotations

import io
import threading
from typing import Any

import pytest

from coach.core.actions import Action, Log, Say, SayKind, StopSpeaking
from coach.core.events import Event, SpeechDone, SpeechStarted, Tick
from coach.core.session import Session
from coach.errors import CoachError
from coach.program.loader import load_bundled
from coach.program.model import Side
from coach.runtime.clock import SteppedClock, WallClock
from coach.runtime.text_voice import TextVoice
from coach.runtime.runner import Runner
from coach.runtime.typed_input import EOF, LineReader
from coach.settings import Settings
from coach.spoken_text import load_lines


def session() -> Session:
    return Session(load_bundled("medial-knee"), settings=Settings(rate_wpm=120), side=Side.LEFT, lines=load_lines())


def test_a_stepped_clock_moves_only_forward_by_whole_steps() -> None:
    clock = SteppedClock(0.05)
    assert clock.now() == 0.0
    for _ in range(3):
        clock.next_step()
    assert clock.now() == 3 * 0.05 and clock.tick_at() == clock.now()
    with pytest.raises(ValueError):
        SteppedClock(0.0)


def test_the_wall_clock_starts_near_zero_never_goes_back_and_wakes_at_once() -> None:
    wake = threading.Event()
    clock = WallClock(30.0, wake)
    first = clock.now()
    assert 0.0 <= first
    assert clock.now() >= first
    wake.set()  # a typed line came in: the step does not wait its 30 s
    clock.next_step()
    assert not wake.is_set() and clock.now() < 30.0


def test_text_sink_reports_speech_from_the_word_count() -> None:
    printed: list[str] = []
    sink = TextVoice(rate_wpm=120, write=printed.append)
    events = sink(Say("one two three four", 7), 10.0)
    assert events == [SpeechStarted(7, 10.0), SpeechDone(7, 12.0)]  # 4 words at 2 words/s
    events = sink(Say("next", 8), 10.5)  # queued behind the first line
    assert events == [SpeechStarted(8, 12.0), SpeechDone(8, 12.5)]
    assert printed == ["   10.00  coach: one two three four", "   10.50  coach: next"]
    sink(StopSpeaking(), 11.0)
    assert sink(Say("stop", 9), 11.0) == [SpeechStarted(9, 11.0), SpeechDone(9, 11.5)]
    beat = sink(Say("3", 10, at=20.0, kind=SayKind.COUNT), 20.04)
    assert beat[0] == SpeechStarted(10, 20.0)


def test_future_speech_done_waits_for_the_clock() -> None:
    said: list[Say] = []

    def record(action: Action, now: float) -> list[Event]:
        if isinstance(action, Say):
            said.append(action)
        return []

    runner = Runner(session(), [record, TextVoice(rate_wpm=120)])
    runner.start(0.0)
    first_line = said[-1].id  # the opening's first line, whose end paces the next
    runner.feed(Tick(0.5))
    assert said[-1].id == first_line  # "Hello..." takes longer than 0.5 s
    runner.feed(Tick(10.0))
    assert said[-1].id != first_line


class Recorder:
    def __init__(self) -> None:
        self.got: list[Action] = []

    def __call__(self, action: Action, now: float) -> list[Event]:
        self.got.append(action)
        return []


class Failing:
    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, action: Action, now: float) -> list[Event]:
        self.calls += 1
        if isinstance(action, Log) and self.calls == 1:
            raise CoachError("history: the disk is full.")
        return []


def test_a_failing_sink_does_not_cost_the_others_any_action() -> None:
    failing, recorder = Failing(), Recorder()
    runner = Runner(session(), [failing, recorder])
    with pytest.raises(CoachError, match="disk is full"):
        runner.start(0.0)
    assert isinstance(recorder.got[0], Log)
    assert any(isinstance(a, Say) for a in recorder.got)
    runner.feed(Tick(0.1))  # carries on


def test_events_raised_while_handling_are_queued_not_nested() -> None:
    depth = {"now": 0, "max": 0}

    class Reentrant:
        def __init__(self, runner_box: list[Any]) -> None:
            self.box = runner_box

        def __call__(self, action: Action, now: float) -> list[Event]:
            depth["now"] += 1
            depth["max"] = max(depth["max"], depth["now"])
            if isinstance(action, Say):
                self.box[0].feed(SpeechDone(action.id, now))  # feeding from inside a sink
            depth["now"] -= 1
            return []

    box: list[Any] = []
    runner = Runner(session(), [])
    box.append(runner)
    runner.sinks.append(Reentrant(box))
    runner.start(0.0)
    for i in range(1, 200):
        runner.feed(Tick(i * 0.05))
    assert depth["max"] == 1


def test_line_reader_gives_lines_then_eof() -> None:
    reader = LineReader(io.StringIO("go\r\nhow many left\n")).start()
    got = [reader.get(1.0), reader.get(1.0), reader.get(1.0)]
    assert got == ["go", "how many left", EOF]
    assert reader.wake.is_set()
