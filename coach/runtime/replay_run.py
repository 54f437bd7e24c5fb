"""Replays: a session driven by a script, on a manual clock.

The script's format, and the checks on it, are in
``coach.runtime.replay_script``; this module runs a checked script on the
package's harness (``coach.runtime.scripted_session``): the one loop, on a simulated clock that
ticks every ``tick_seconds`` (0.05). Speech is not played: the text voice
reports each line done after an estimate from its word count, so a replay
gives the same transcript every run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

from coach.commands.parser import load_vocabulary
from coach.core.events import Heard
from coach.core.records import SessionSummary
from coach.program.model import Program
from coach.runtime import replay_checks
from coach.runtime.assembly import CarriedOver, build_session
from coach.runtime.text_voice import TranscriptLine, format_line
from coach.runtime.replay_script import (
    ReplayScript,
    ReplayStep,
    ScriptError,
    load_script,
    parse_script,
)
from coach.speech_in.typed import TypedText

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
    summary: SessionSummary | None
    ended_at: float  # s on the replay clock

    @property
    def ok(self) -> bool:
        return not self.failures


class Replay:
    """Runs one script on the package's harness. ``write`` gets each transcript line as it happens."""

    def __init__(
        self,
        script: ReplayScript,
        *,
        program: Program | None = None,
        write: Callable[[str], None] | None = None,
        hear_audio: AudioHook | None = None,
        timestamps: bool = True,
    ) -> None:
        from coach.runtime.scripted_session import SessionHarness

        self.script = script
        self.program = program if program is not None else _load_program(script)
        vocabulary = load_vocabulary(
            None if script.vocabulary is None else script.folder / script.vocabulary
        )
        self.hear_audio = hear_audio
        found = replay_checks.problems(script, self.program, can_hear=hear_audio is not None)
        if found:
            raise ScriptError(found)
        carried = CarriedOver(levels=script.levels, familiar=script.familiar,
                              notes=script.notes, resume=script.resume, week=script.week,
                              last_session=script.last_session, pain_trend=script.pain_trend)
        self.session = build_session(self.program, script.settings, side=script.side,
                                     carried=carried)
        self.harness = SessionHarness(self.session, tick_seconds=script.tick_seconds,
                                      typed=TypedText(vocabulary), write=write,
                                      timestamps=timestamps, record=False)
        self.sink = self.harness.text
        self.runner = self.harness.runner
        self._cursor = 0  # transcript index after the last wait_for/expect match

    @property
    def now(self) -> float:
        return self.harness.now

    def run(self) -> ReplayResult:
        self.harness.start()
        failures: list[str] = []
        for step in self.script.steps:
            if self.harness.loop.stopped:  # a signal: the mode says so
                break
            problem = self._run_step(step)
            if problem:
                where = f"{self.script.source}:{step.line}: steps[{step.number - 1}].{step.kind}"
                failures.append(f"{where}: {problem}")
                break
        return ReplayResult(self.sink.transcript, failures, self.runner.summary, self.now)

    def _ticks_within(self, seconds: float) -> int:
        return round(seconds / self.script.tick_seconds)

    def _find(self, text: str) -> int | None:
        wanted = text.casefold()
        lines = self.sink.transcript
        for i in range(self._cursor, len(lines)):
            if lines[i].who == "coach" and wanted in lines[i].text.casefold():
                return i
        return None

    def _run_step(self, step: ReplayStep) -> str:
        run = self.harness
        if step.kind == "advance":
            run.advance(step.value)
        elif step.kind == "type":
            self._type(step.value)
        elif step.kind in ("wait_for", "expect"):
            ticks = self._ticks_within(step.within_seconds)
            found = self._find(step.value)
            while step.kind == "wait_for" and found is None and ticks > 0:
                if run.ended or run.loop.stopped:
                    break
                run.tick()
                ticks -= 1
                found = self._find(step.value)
            if found is None:
                if step.kind == "wait_for":
                    return (
                        f"no coach line contained {step.value!r} within {step.within_seconds:g} s"
                    )
                return f"no coach line since the last match contained {step.value!r}"
            self._cursor = found + 1
        elif step.kind == "run_to_end":
            ticks = self._ticks_within(step.within_seconds)
            while not run.ended and not run.loop.stopped and ticks > 0:
                run.tick()
                ticks -= 1
            if not run.ended:
                return f"the session had not ended after {step.within_seconds:g} s"
        elif step.kind == "audio":
            self._audio(self.script.folder / step.value)
        return ""

    def _type(self, text: str) -> None:
        heard = self.harness.typed.heard(text, self.now)
        note = "" if heard is not None else " (not a command)"
        self.sink.emit(TranscriptLine(self.now, "you", f"{text}{note}"))
        if heard is not None:
            self.harness.feed(heard)

    def _audio(self, path: Path) -> None:
        assert self.hear_audio is not None  # a script with audio steps needs it to start
        for heard in sorted(self.hear_audio(path, self.now), key=lambda h: h.at):
            self.harness.advance(max(0.0, heard.at - self.now))
            self.sink.emit(TranscriptLine(heard.at, "you", f"{heard.text} [{path.name}]"))
            self.harness.feed(heard)


def _load_program(script: ReplayScript) -> Program:
    from coach.program.loader import find_program
    from coach.program.select import select_routine

    name = script.program
    candidate = script.folder / name
    program = find_program(str(candidate) if candidate.suffix in (".yaml", ".yml") else name)
    return select_routine(program, script.conditions)


def transcript_text(lines: Sequence[TranscriptLine], *, timestamps: bool = True) -> str:
    return "\n".join(format_line(line, timestamps=timestamps) for line in lines)
