"""``coach demo``: a whole session with a virtual user, no sound card needed.

The same pieces as the live coach, on the same loop, on a clock that runs as
fast as the computer can (``PlayoutClock``: each step plays one 10 ms
block): the session and the Runner, the Playout mixing the coach's real
espeak-ng speech, and the real Listener hearing a simulated microphone
(coach.runtime.simulated_room). That microphone carries the virtual user's
commands (Flite, another synthesiser: see coach.runtime.person_voice), the
coach's own voice leaking in (echo) and a little room noise, so the demo
shows the echo gate at work as well as the recogniser. Each step: the
microphone block of the block just played is recognised, the voice's events
come in, the virtual user may speak, the session is ticked to the end of the
next block, and that block is played.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np

from coach.audio.format import RATE_HZ
from coach.core.actions import Action, Log
from coach.core.events import Event, Heard
from coach.core.records import (
    LevelChanged,
    PainRated,
    Paused,
    Record,
    Resumed,
    RoutineChosen,
    SessionFinished,
    SessionStarted,
    SessionSummary,
)
from coach.errors import CoachError
from coach.history.read import DEMO_SUFFIX  # history keeps demo sessions under "<program>-demo"
from coach.program.model import Program, Side
from coach.runtime.demo_routine import shortened
from coach.runtime.assembly import build_session
from coach.runtime.clock import PlayoutClock
from coach.runtime.loop import Ending, SessionLoop
from coach.runtime.messages import runtime_line
from coach.runtime.person_voice import PersonVoice
from coach.runtime.text_voice import TranscriptLine, TranscriptPrinter, heard_text
from coach.runtime.listen_for import ListenFor
from coach.speech_in.command_listener import open_listener
from coach.runtime.runner import Runner, Sink
from coach.runtime.simulated_room import SimulatedMicrophone
from coach.runtime.stop_signals import StopOnSignal
from coach.runtime.virtual_user import VirtualUser
from coach.runtime.voice_events import VoiceEvents
from coach.settings import Settings

LIMIT_SECONDS = 1500.0  # session time; a demo that has not ended by then has failed
TAIL_SECONDS = 0.5


@dataclass
class DemoResult:
    transcript: list[TranscriptLine]
    summary: SessionSummary | None
    checks: dict[str, bool]
    said: list[tuple[float, str]]  # what the virtual user said, (s, phrase)
    heard: list[Heard]  # what the coach recognised
    false_accepts: list[Heard]  # recognised commands nobody had just said
    not_understood: list[str]  # phrases the user gave up repeating
    session_seconds: float
    wall_seconds: float
    recogniser: str
    recorded: str  # where the session was recorded, or why not
    failures: list[str] = field(default_factory=list)
    interrupted: str | None = None  # a signal ended it: what to say about what was kept

    @property
    def ok(self) -> bool:
        return not self.failures

    def as_json(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "failures": self.failures,
            "checks": self.checks,
            "summary": self.summary.as_json() if self.summary is not None else None,
            "transcript": [{"at": round(x.at, 3), "who": x.who, "text": x.text}
                           for x in self.transcript],
            "said": [{"at": round(at, 3), "text": p} for at, p in self.said],
            "heard": [{"at": round(h.at, 3), "intent": h.intent.value, "text": h.text,
                       "confidence": round(h.confidence, 3), "number": h.number}
                      for h in self.heard],
            "false_accepts": len(self.false_accepts),
            "false_accepted": [{"at": round(h.at, 3), "intent": h.intent.value, "text": h.text}
                               for h in self.false_accepts],
            "not_understood": self.not_understood,
            "session_seconds": round(self.session_seconds, 2),
            "wall_seconds": round(self.wall_seconds, 2),
            "speed": round(self.session_seconds / max(self.wall_seconds, 1e-6), 1),
            "recogniser": self.recogniser,
            "history": self.recorded,
        }


class _Logs:
    """A sink that keeps every Log record, for the demo's own checks."""

    def __init__(self) -> None:
        self.records: list[Record] = []

    def __call__(self, action: Action, now: float) -> list[Event]:
        if isinstance(action, Log):
            self.records.append(action.record)
        return []


class Demo:
    """The demo's pieces on the one loop; ``run`` plays the whole session out."""

    def __init__(self, program: Program, *, side: Side | None = Side.LEFT,
                 settings: Settings | None = None, speak_to: Path | None = None,
                 history: Any = None, typed: bool = False, engine: str | None = None,
                 model: str | None = None, write: Callable[[str], None] | None = None,
                 timestamps: bool = True) -> None:
        from coach.speech_out.cache import PhraseCache
        from coach.speech_out.playout import Playout
        from coach.speech_out.voices import Voices

        self.settings = settings or Settings()
        # The real routine, cut to a few reps a set: a whole session in minutes.
        self.session = build_session(shortened(program), self.settings, side=side)
        self.phrases = PhraseCache(Voices())
        self.playout = Playout(self.phrases, self.settings)
        self.printer = TranscriptPrinter(write or (lambda _: None), timestamps)
        self.logs = _Logs()
        self.ears = ListenFor()  # the session's Listen actions, for the recogniser
        sinks: list[Sink] = [self.printer, self.playout.submit, self.logs, self.ears]
        if history is not None:
            sinks.append(history)
        self.runner = Runner(self.session, sinks)
        # The virtual user speaks with another synthesiser than the coach (see
        # coach.runtime.person_voice), a different voice on each try, as a
        # person who was not understood says it again a little differently.
        self.person = PersonVoice()
        self.user = VirtualUser(self.person)
        self.typed = typed
        self.listener = None if typed else open_listener(engine, model)
        if self.listener is not None and self.listener.fallback:  # said once, as the live coach does
            self.printer.emit(TranscriptLine(0.0, "note", f"{runtime_line('engine_fallback')} "
                                             f"({self.listener.fallback})"))
        self.ears.attach(self.listener)
        self.speak_to = speak_to
        self.heard: list[Heard] = []
        self.microphone = SimulatedMicrophone(self.user.room, self.listener,
                                              spoken=self.user.spoken, heard=self._heard)
        self.clock = PlayoutClock(self.playout, [self._played, self.microphone.played])
        self.loop = SessionLoop(self.runner, self.clock,
                                [self.microphone, VoiceEvents(self.playout), _Watching(self)])
        self._wav: Any = None

    def run(self, limit_seconds: float = LIMIT_SECONDS) -> None:
        from coach.audio.wavfile import WavWriter

        self._wav = WavWriter(self.speak_to, RATE_HZ) if self.speak_to is not None else None
        try:
            self.loop.start()
            if self.loop.run(limit_seconds=limit_seconds) is Ending.STOPPED:
                return  # a signal: what was said so far is all there is
            end = self.playout.sample_of(self.playout.planned_until() + TAIL_SECONDS)
            last = min(end, int(limit_seconds * RATE_HZ) + RATE_HZ)
            self.loop.play_out(lambda: self.playout.frames_pulled < last)
        finally:
            if self._wav is not None:
                self._wav.close()
            self.phrases.renderer.close()  # type: ignore[attr-defined]

    def _played(self, block: np.ndarray, at: float) -> None:
        if self._wav is not None:
            self._wav.write(block)

    def _heard(self, heard: Heard) -> None:
        self.heard.append(heard)
        self.printer.emit(TranscriptLine(heard.at, "you", heard_text(heard)))
        self.user.heard(heard)


class _Watching:
    """An input: the virtual user listens to the session and may start to speak (no events)."""

    def __init__(self, demo: Demo) -> None:
        self.demo = demo

    def events(self, now: float) -> list[Event]:
        demo = self.demo
        if demo.runner.ended:
            return []
        before = len(demo.user.spoken)
        demo.user.watch(demo.session, now, now - demo.microphone.last_sound)
        for u in demo.user.spoken[before:]:
            demo.printer.emit(TranscriptLine(now, "user", f"(says) {u.phrase}"))
        return []


def check(demo: Demo) -> tuple[dict[str, bool], list[str]]:
    """What the transcript must show, and what is missing from it."""
    coach = [x.text for x in demo.printer.transcript if x.who == "coach"]
    kinds = {type(record) for record in demo.logs.records}
    names = [ex.name for ex in demo.session.program.exercises]
    reached = {n: any(n.casefold() in line.casefold() for line in coach) for n in names}
    checks = {
        "every exercise reached": all(reached.values()),
        "counts": sum(bool(re.fullmatch(r"\d+\.?", line.strip())) for line in coach) >= 3,
        "a hold": any("hold" in line.casefold() for line in coach),
        "a level change": LevelChanged in kinds,
        "a pain rating": PainRated in kinds,
        "a pause and resume": Paused in kinds and Resumed in kinds,
        "the summary": demo.runner.summary is not None and SessionFinished in kinds,
    }
    failures = [f"the transcript does not show {what}" for what, ok in checks.items() if not ok]
    missing = [n for n, ok in reached.items() if not ok]
    if missing:
        failures.append(f"exercises never reached: {', '.join(missing)}")
    return checks, failures


def false_accepts(said: list[tuple[float, str]], heard: list[Heard],
                  window_seconds: float = 4.0) -> list[Heard]:
    """Recognised commands with no user utterance in the seconds before them."""
    return [h for h in heard
            if not any(0.0 <= h.at - at <= window_seconds for at, _ in said)]


def run_demo(program: Program, *, history: bool = True, stop: StopOnSignal | None = None,
             **options: Any) -> DemoResult:
    """Run the demo end to end; the result says what happened and whether it passed.

    ``stop``: a signal ends the demo at its next step (``interrupted`` says so).
    """
    sink, store, recorded = _history(program, history)
    started = time.monotonic()
    interrupted = None
    try:
        demo = Demo(program, history=sink, **options)
        if stop is not None:
            stop.attach(demo.loop)
        demo.run()
        if stop is not None and stop.stopped:  # a demo is never offered to carry on
            kept = sink is not None and sink.sink.keeps
            interrupted = runtime_line("interrupted_demo" if kept else "interrupted_not_kept")
    finally:
        if store is not None:
            store.close()
    wall = time.monotonic() - started
    checks, failures = check(demo)
    return DemoResult(
        transcript=demo.printer.transcript,
        summary=demo.runner.summary,
        checks=checks,
        said=demo.user.said,
        heard=demo.heard,
        false_accepts=false_accepts(demo.user.said, demo.heard),
        not_understood=demo.user.gave_up,
        session_seconds=demo.playout.frames_pulled / RATE_HZ,
        wall_seconds=wall,
        recogniser="typed text" if demo.listener is None else demo.listener.description,
        recorded=recorded,
        failures=failures,
        interrupted=interrupted,
    )


class _DemoHistory:
    """The history sink, with the session filed under "<program>-demo".

    A demo's "harder" must not raise the person's real level, and its
    answers must not count as their pain ratings: so it is kept apart, and
    'coach history --demo' lists it.
    """

    def __init__(self, sink: Any) -> None:
        self.sink = sink

    def __call__(self, action: Action, now: float) -> list[Event]:
        if isinstance(action, Log) and isinstance(action.record, SessionStarted):
            program = f"{action.record.program}{DEMO_SUFFIX}"
            action = Log(replace(action.record, program=program, demo=True))
        elif isinstance(action, Log) and isinstance(action.record, RoutineChosen):
            program = f"{action.record.program}{DEMO_SUFFIX}"  # still apart from the person's
            action = Log(replace(action.record, program=program))
        return list(self.sink(action, now))


def _history(program: Program, wanted: bool) -> tuple[Any, Any, str]:
    if not wanted:
        return None, None, "not recorded (--no-history)"
    from coach.history import HistorySink, HistoryStore, HistoryUnavailable

    try:
        store = HistoryStore.open()
        if store.read_only:
            store.close()
            return None, None, f"not recorded: {store.read_only_note}"
        if store.interruption(program.id, program=program) is not None:
            store.close()
            return None, None, ("not recorded: a session of yours is waiting to be carried on, "
                                "and a demo must not replace it")
    except HistoryUnavailable as exc:
        return None, None, f"not recorded: {exc}"
    except CoachError as exc:
        return None, None, f"not recorded: {exc}"
    return _DemoHistory(HistorySink(store)), store, f"recorded as {program.id}{DEMO_SUFFIX}"
