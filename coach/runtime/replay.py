"""Replays: a session driven by a script, on a manual clock.

A script is YAML: options at the top, then ``steps``, a list of one-key
mappings run in order (a bare list of steps is accepted too)::

    program: medial-knee        # a bundled id or a path (relative to the script)
    condition: osteoarthritis   # optional: only the exercises that help it
    side: left                  # optional: otherwise the coach asks
    settings: {rate_wpm: 150, verbosity: full, count_with: voice}
    steps:
      - wait_for: "Which knee"  # advance until a coach line contains this
      - type: "left"            # typed text, at the current time
      - advance: 12.5           # seconds
      - expect: "Set 1 of 3"    # a coach line since the last match contains this
      - audio: go.wav           # a recording through the recogniser (hook)
      - run_to_end: 3600        # advance until the session ends (limit in s)

The clock ticks every ``tick_seconds`` (0.05). Speech is not played: the text
sink reports each line done after an estimate from its word count, so a
replay gives the same transcript every run.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from coach.commands.parser import Vocabulary, load_vocabulary, parse
from coach.core.events import Heard, Tick
from coach.core.resume_point import ResumePoint
from coach.core.session import Session
from coach.errors import CoachError
from coach.program.model import Program, Side
from coach.runtime.runner import Runner, TextSink, TranscriptLine, format_line
from coach.settings import CountWith, Settings, Verbosity

STEP_KINDS = ("type", "advance", "wait_for", "expect", "audio", "run_to_end")
DEFAULT_WAIT_LIMIT_SECONDS = 600.0

# Turns a recording into what the recogniser heard, dated on the replay clock.
AudioHook = Callable[[Path, float], Sequence[Heard]]


@dataclass(frozen=True)
class ReplayStep:
    kind: str  # one of STEP_KINDS
    value: Any
    number: int  # 1-based position in the script, for messages
    within_seconds: float = DEFAULT_WAIT_LIMIT_SECONDS  # wait_for / run_to_end limit


@dataclass(frozen=True)
class ReplayScript:
    source: str
    steps: tuple[ReplayStep, ...]
    program: str = "medial-knee"
    conditions: tuple[str, ...] = ()
    side: Side | None = None
    settings: Settings = field(default_factory=Settings)
    levels: dict[str, int] = field(default_factory=dict)
    familiar: frozenset[str] = frozenset()
    notes: tuple[str, ...] = ()
    resume: ResumePoint | None = None
    vocabulary: str | None = None
    tick_seconds: float = 0.05

    @property
    def folder(self) -> Path:
        return Path(self.source).parent


@dataclass
class ReplayResult:
    transcript: list[TranscriptLine]
    failures: list[str]
    summary: dict[str, Any] | None
    ended_at: float  # s on the replay clock

    @property
    def ok(self) -> bool:
        return not self.failures


def load_script(path: Path | str) -> ReplayScript:
    file = Path(path)
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CoachError(f"{file}: cannot read the replay script ({exc.strerror}).") from exc
    except yaml.YAMLError as exc:
        raise CoachError(f"{file}: not valid YAML: {exc}") from exc
    return parse_script(raw, source=str(file))


def parse_script(raw: Any, *, source: str = "<script>") -> ReplayScript:
    if isinstance(raw, list):
        raw = {"steps": raw}
    if not isinstance(raw, dict) or not isinstance(raw.get("steps"), list):
        raise CoachError(f"{source}: expected 'steps:', a list of steps such as '- type: go'.")
    known = {
        "steps",
        "program",
        "condition",
        "side",
        "settings",
        "levels",
        "familiar",
        "notes",
        "resume",
        "vocabulary",
        "tick_seconds",
    }
    unknown = sorted(set(raw) - known)
    if unknown:
        raise CoachError(
            f"{source}: unknown option {', '.join(unknown)}; known: {', '.join(sorted(known))}."
        )
    steps = tuple(_step(item, i + 1, source) for i, item in enumerate(raw["steps"]))
    cond = raw.get("condition") or ()
    tick = float(raw.get("tick_seconds", 0.05))
    if not 0.001 <= tick <= 1.0:
        raise CoachError(f"{source}: tick_seconds: expected 0.001 to 1, got {tick}.")
    return ReplayScript(
        source=source,
        steps=steps,
        program=str(raw.get("program", "medial-knee")),
        conditions=(cond,) if isinstance(cond, str) else tuple(str(c) for c in cond),
        side=_side(raw.get("side"), source, "side"),
        settings=_settings(raw.get("settings") or {}, source),
        levels={str(k): int(v) for k, v in (raw.get("levels") or {}).items()},
        familiar=frozenset(str(x) for x in raw.get("familiar") or ()),
        notes=tuple(str(x) for x in raw.get("notes") or ()),
        resume=_resume(raw.get("resume"), source),
        vocabulary=raw.get("vocabulary"),
        tick_seconds=tick,
    )


def _step(item: Any, number: int, source: str) -> ReplayStep:
    where = f"{source}: steps[{number}]"
    if not isinstance(item, dict) or not item:
        raise CoachError(f"{where}: expected a mapping such as 'type: go', got {item!r}.")
    within = float(item.get("within", DEFAULT_WAIT_LIMIT_SECONDS))
    kinds = [k for k in item if k != "within"]
    if len(kinds) != 1 or kinds[0] not in STEP_KINDS:
        raise CoachError(f"{where}: expected one of {', '.join(STEP_KINDS)}, got {sorted(item)}.")
    kind = kinds[0]
    value = item[kind]
    if kind == "advance":
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise CoachError(f"{where}: advance: expected seconds >= 0, got {value!r}.")
        value = float(value)
    elif kind == "run_to_end":
        within = float(value) if not isinstance(value, bool) else DEFAULT_WAIT_LIMIT_SECONDS * 10
    elif not isinstance(value, str) or not value.strip():
        raise CoachError(f"{where}: {kind}: expected text, got {value!r}.")
    return ReplayStep(kind, value, number, within)


def _side(value: Any, source: str, name: str) -> Side | None:
    if value is None:
        return None
    try:
        return Side(str(value).lower())
    except ValueError:
        raise CoachError(f"{source}: {name}: expected left or right, got {value!r}.") from None


def _settings(raw: Any, source: str) -> Settings:
    if not isinstance(raw, dict):
        raise CoachError(f"{source}: settings: expected a mapping.")
    names = {f.name for f in fields(Settings)}
    unknown = sorted(set(raw) - names)
    if unknown:
        raise CoachError(
            f"{source}: settings: unknown {', '.join(unknown)}; known: {', '.join(sorted(names))}."
        )
    values = dict(raw)
    try:
        if "verbosity" in values:
            values["verbosity"] = Verbosity(values["verbosity"])
        if "count_with" in values:
            values["count_with"] = CountWith(values["count_with"])
    except ValueError as exc:
        raise CoachError(f"{source}: settings: {exc}.") from None
    return Settings(**values)


def _resume(raw: Any, source: str) -> ResumePoint | None:
    if raw is None:
        return None
    if not isinstance(raw, dict) or "exercise" not in raw:
        raise CoachError(f"{source}: resume: expected {{exercise: ID, set: N, side: left}}.")
    return ResumePoint(
        str(raw["exercise"]), int(raw.get("set", 1)), _side(raw.get("side"), source, "resume.side")
    )


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
        self.session = Session(
            self.program,
            settings=script.settings,
            side=script.side,
            levels=script.levels,
            familiar=script.familiar,
            resume=script.resume,
            notes=script.notes,
        )
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
                failures.append(
                    f"{self.script.source}: step {step.number} ({step.kind}): {problem}"
                )
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
