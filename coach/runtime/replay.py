"""Replays: a session driven by a script, on a manual clock.

The script's format, and the checks on it, are in
``coach.runtime.replay_script``; this module runs a checked script. The clock
ticks every ``tick_seconds`` (0.05). Speech is not played: the text sink
reports each line done after an estimate from its word count, so a replay
gives the same transcript every run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from coach.commands.parser import Vocabulary, load_vocabulary, parse
from coach.core.events import Heard, Tick
from coach.errors import CoachError
from coach.program.model import Program
from coach.runtime.assembly import CarriedOver, build_session
from coach.runtime.replay_script import (
    ReplayScript,
    ReplayStep,
    ScriptError,
    load_script,
    parse_script,
)
from coach.runtime.runner import Runner, TextSink, TranscriptLine, format_line

__all__ = [
    "Replay",
    "ReplayResult",
    "ReplayScript",
    "ReplayStep",
    "ScriptError",
    "load_script",
    "parse_script",
    "transcript_text",
]

# Turns a recording into what the recogniser heard, dated on the replay clock.
AudioHook = Callable[[Path, float], Sequence[Heard]]


@dataclass
class ReplayResult:
    transcript: list[TranscriptLine]
    failures: list[str]
    summary: dict[str, Any] | None
    ended_at: float  # s on the replay clock

    @property
    def ok(self) -> bool:
        return not self.failures


class Replay:
    """Runs one script. ``write`` gets each transcript line as it happens."""

    def __init__(
        self,
        script: ReplayScript,
        *,
        program: Program | None = None,
        write: Callable[[str], None] | None = None,
        hear_audio: AudioHook | None = None,
        timestamps: bool = True,
    ) -> None:
        self.script = script
        self.program = program if program is not None else _load_program(script)
        self.vocab: Vocabulary = load_vocabulary(
            None if script.vocabulary is None else script.folder / script.vocabulary
        )
        self.hear_audio = hear_audio
        self.sink = TextSink(rate_wpm=script.settings.rate_wpm, write=write, timestamps=timestamps)
        carried = CarriedOver(levels=script.levels, familiar=script.familiar,
                              notes=script.notes, resume=script.resume)
        self.session = build_session(self.program, script.settings, side=script.side,
                                     carried=carried)
        self.runner = Runner(self.session, [self.sink])
        self._ticks = 0
        self._cursor = 0  # transcript index after the last wait_for/expect match

    @property
    def now(self) -> float:
        return self._ticks * self.script.tick_seconds

    def run(self) -> ReplayResult:
        self.runner.start(0.0)
        failures: list[str] = []
        for step in self.script.steps:
            problem = self._run_step(step)
            if problem:
                where = f"{self.script.source}:{step.line}: steps[{step.number - 1}].{step.kind}"
                failures.append(f"{where}: {problem}")
                break
        return ReplayResult(self.sink.transcript, failures, self.runner.summary, self.now)

    def _tick(self) -> None:
        self._ticks += 1
        self.runner.feed(Tick(self.now))

    def _advance(self, seconds: float) -> None:
        target = self._ticks + round(seconds / self.script.tick_seconds)
        while self._ticks < target and not self.runner.ended:
            self._tick()

    def _find(self, text: str) -> int | None:
        wanted = text.casefold()
        lines = self.sink.transcript
        for i in range(self._cursor, len(lines)):
            if lines[i].who == "coach" and wanted in lines[i].text.casefold():
                return i
        return None

    def _run_step(self, step: ReplayStep) -> str:
        if step.kind == "advance":
            self._advance(step.value)
        elif step.kind == "type":
            self._type(step.value)
        elif step.kind in ("wait_for", "expect"):
            limit = self._ticks + round(step.within_seconds / self.script.tick_seconds)
            found = self._find(step.value)
            while step.kind == "wait_for" and found is None and self._ticks < limit:
                if self.runner.ended:
                    break
                self._tick()
                found = self._find(step.value)
            if found is None:
                if step.kind == "wait_for":
                    return (
                        f"no coach line contained {step.value!r} within {step.within_seconds:g} s"
                    )
                return f"no coach line since the last match contained {step.value!r}"
            self._cursor = found + 1
        elif step.kind == "run_to_end":
            limit = self._ticks + round(step.within_seconds / self.script.tick_seconds)
            while not self.runner.ended and self._ticks < limit:
                self._tick()
            if not self.runner.ended:
                return f"the session had not ended after {step.within_seconds:g} s"
        elif step.kind == "audio":
            self._audio(self.script.folder / step.value)
        return ""

    def _type(self, text: str) -> None:
        command = parse(text, self.vocab)
        note = "" if command is not None else " (not a command)"
        self.sink.emit(TranscriptLine(self.now, "you", f"{text}{note}"))
        if command is not None:
            self.runner.feed(Heard(command.intent, text, 1.0, self.now, command.number))

    def _audio(self, path: Path) -> None:
        if self.hear_audio is None:
            raise CoachError(
                f"{self.script.source}: audio steps ({path.name}) need a speech recogniser, "
                "and none is connected to replays in this version. Use 'type:' steps instead."
            )
        for heard in sorted(self.hear_audio(path, self.now), key=lambda h: h.at):
            self._advance(max(0.0, heard.at - self.now))
            self.sink.emit(TranscriptLine(heard.at, "you", f"{heard.text} [{path.name}]"))
            self.runner.feed(heard)


def _load_program(script: ReplayScript) -> Program:
    from coach.program.loader import find_program
    from coach.program.select import select_routine

    name = script.program
    candidate = script.folder / name
    program = find_program(str(candidate) if candidate.suffix in (".yaml", ".yml") else name)
    return select_routine(program, script.conditions)


def transcript_text(lines: Sequence[TranscriptLine], *, timestamps: bool = True) -> str:
    return "\n".join(format_line(line, timestamps=timestamps) for line in lines)
