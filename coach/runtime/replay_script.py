"""Replay scripts: read and checked in one place, into frozen data the replay runs.

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
      - audio: go.wav           # a recording through a recogniser (needs a hook)
      - run_to_end: 3600        # advance until the session ends (limit in s)

``levels``, ``familiar``, ``resume``, ``notes``, ``week``, ``last_session``
and ``pain_trend`` stand in for what the history would carry over (the last
four are sentences, said as they are). The first three name the program's
exercises, so they are checked against it once it is loaded
(``coach.runtime.replay_checks``), with the line each came from kept in
``placed``.

A script is hand-written like a program file, so it is read the same way
(``coach.yamldata``): every mistake is reported together, as
``FILE:LINE: field: what is wrong``, and nothing runs until the whole script
is right. ``script_from`` is the one function that knows the format.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from coach.core.resume_point import ResumePoint
from coach.errors import CoachError
from coach.program.model import Side
from coach.settings import Settings, settings_from
from coach.yamldata import BOOL, Item, parse_yaml, read_yaml

STEP_KINDS = ("type", "advance", "wait_for", "expect", "audio", "run_to_end")
TEXT_STEPS = ("type", "wait_for", "expect", "audio")
DEFAULT_WAIT_LIMIT_SECONDS = 600.0  # s: how long wait_for waits unless told
RUN_TO_END_SECONDS = 6000.0  # s: the limit of "run_to_end: true"
# The longest a step may advance the clock (s): a day of session time, far
# beyond any routine, yet a slip such as "advance: 1e12" cannot hang a replay.
MAX_STEP_SECONDS = 86_400.0
TICK_MIN_SECONDS, TICK_MAX_SECONDS = 0.001, 1.0
SIDES = tuple(s.value for s in Side)
OPTIONS = (
    "program",
    "condition",
    "side",
    "settings",
    "levels",
    "familiar",
    "notes",
    "week",
    "last_session",
    "pain_trend",
    "resume",
    "vocabulary",
    "tick_seconds",
)


class ScriptError(CoachError):
    """A replay script is not valid. ``problems`` holds every FILE:LINE message."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class ReplayStep:
    kind: str  # one of STEP_KINDS
    value: Any  # text, or seconds for advance
    number: int  # 1-based position in the script, for messages
    within_seconds: float = DEFAULT_WAIT_LIMIT_SECONDS  # wait_for / run_to_end limit
    line: int = 0  # where the step is in the script, for messages


class Placed(NamedTuple):
    """A value that names the program's exercises, and where it is in the script."""

    path: str  # "levels.wall-squat", "familiar[1]", "resume.set"
    value: Any  # an exercise id, or a number
    line: int


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
    week: str | None = None  # the history's sentences, said when asked ("this week",
    last_session: str | None = None  # "last session", "my pain trend")
    pain_trend: str | None = None
    resume: ResumePoint | None = None
    vocabulary: str | None = None
    tick_seconds: float = 0.05  # s
    placed: tuple[Placed, ...] = ()  # levels, familiar and resume, to check against the program

    @property
    def folder(self) -> Path:
        return Path(self.source).parent


def load_script(path: Path | str) -> ReplayScript:
    """Read and check a script file; raises ``ScriptError`` with every problem."""
    return script_from(read_yaml(path, error=ScriptError))


def parse_script(text: str, *, source: str = "<script>") -> ReplayScript:
    """Check script text; ``source`` names it in messages and anchors relative paths."""
    return script_from(parse_yaml(text, source, error=ScriptError))


def script_from(root: Item) -> ReplayScript:
    """Build the script from its YAML, or raise ``ScriptError`` listing every problem."""
    if root.node.tag.endswith(":seq"):  # a bare list of steps
        steps_item, f = Item(root.node, "steps", root.problems), None
    else:
        f = root.fields(required=("steps",), optional=OPTIONS)
        steps_item = f["steps"]
    steps = tuple(_step(item, n) for n, item in enumerate(steps_item.items(), start=1))
    script = ReplayScript(source=root.problems.file, steps=steps)
    if f is not None:
        placed: list[Placed] = []
        script = ReplayScript(
            source=script.source,
            steps=steps,
            program=_optional(f.get("program"), Item.text, script.program),
            conditions=_conditions(f.get("condition")),
            side=_side(f.get("side")),
            settings=settings_from(s) if (s := f.get("settings")) else Settings(),
            levels=_levels(f.get("levels"), placed),
            familiar=frozenset(_familiar(f.get("familiar"), placed)),
            notes=_texts(f.get("notes")),
            week=_optional(f.get("week"), Item.text, None),
            last_session=_optional(f.get("last_session"), Item.text, None),
            pain_trend=_optional(f.get("pain_trend"), Item.text, None),
            resume=_resume(f.get("resume"), placed),
            vocabulary=_optional(f.get("vocabulary"), Item.text, None),
            tick_seconds=_optional(f.get("tick_seconds"), _tick, script.tick_seconds),
            placed=tuple(placed),
        )
    root.problems.raise_if_any(ScriptError)
    return script


def _optional(item: Item | None, read: Any, default: Any) -> Any:
    return read(item) if item is not None else default


def _tick(item: Item) -> float:
    return item.number(minimum=TICK_MIN_SECONDS, maximum=TICK_MAX_SECONDS)


def _texts(item: Item | None) -> tuple[str, ...]:
    return item.texts() if item is not None else ()


def _conditions(item: Item | None) -> tuple[str, ...]:
    """One condition as text, or a list of them."""
    if item is None:
        return ()
    if item.node.tag.endswith(":seq"):
        return item.texts(min_items=1)
    return (item.text(),)


def _side(item: Item | None) -> Side | None:
    if item is None:
        return None
    chosen = item.choice(SIDES)
    return Side(chosen) if chosen else None


def _levels(item: Item | None, placed: list[Placed]) -> dict[str, int]:
    """Exercise id -> level index (0 is the easiest), as the history would give."""
    if item is None:
        return {}
    entries = item.entries()
    placed.extend(Placed(level.path, exercise, level.line) for exercise, level in entries)
    return {exercise: level.integer(minimum=0) for exercise, level in entries}


def _familiar(item: Item | None, placed: list[Placed]) -> tuple[str, ...]:
    if item is None:
        return ()
    found = item.texts()
    placed.extend(Placed(e.path, found[i], e.line) for i, e in enumerate(item.items()))
    return found


def _resume(item: Item | None, placed: list[Placed]) -> ResumePoint | None:
    if item is None:
        return None
    f = item.fields(required=("exercise",), optional=("set", "side"))
    exercise, number = f["exercise"], f.get("set")
    point = ResumePoint(
        exercise.text(),
        number.integer(minimum=1) if number is not None else 1,
        _side(f.get("side")),
    )
    placed.append(Placed(exercise.path, point.exercise_id, exercise.line))
    placed.append(Placed(number.path if number else f"{item.path}.set", point.set_number,
                         number.line if number else item.line))
    return point


def _step(item: Item, number: int) -> ReplayStep:
    f = item.fields(required=(), optional=(*STEP_KINDS, "within"))
    kinds = [kind for kind in STEP_KINDS if kind in f]
    if f.valid and len(kinds) != 1:
        got = ", ".join(kinds) if kinds else "none"
        item.problem(f"expected exactly one of {', '.join(STEP_KINDS)} (got {got})")
    kind = kinds[0] if kinds else "advance"
    value_item = f[kind]
    within = DEFAULT_WAIT_LIMIT_SECONDS
    if (limit := f.get("within")) is not None:
        within = limit.number(positive=True, maximum=MAX_STEP_SECONDS)
        if kind != "wait_for":
            limit.problem("goes with wait_for only: how long to wait for the line")
    value: Any = None
    if kind in TEXT_STEPS:
        value = value_item.text()
    elif kind == "advance":
        value = value_item.number(minimum=0.0, maximum=MAX_STEP_SECONDS)
    elif value_item.node.tag == BOOL:  # run_to_end: true
        if not value_item.boolean():
            value_item.problem("expected seconds, or true for the usual limit (got false)")
        within = RUN_TO_END_SECONDS
    else:
        within = value_item.number(positive=True, maximum=MAX_STEP_SECONDS)
    return ReplayStep(kind, value, number, within, item.line)
