"""Turn the nodes of a program file into a ``Program``, checking every field.

Each ``_read_*`` function reads one part of the file through
``coach.yamldata.Item``, which records problems instead of raising, so one run
reports everything wrong with a file. Checks that span several fields (ids
that must exist, spans that must hold the chosen value, the ladder) live in
``coach.program.checks``. ``build_program`` raises ``ProgramError`` with every
problem, or returns a program that is valid as a whole: never a partial one.
"""

from __future__ import annotations

import re

from coach.errors import ProgramError
from coach.program import checks
from coach.program.limits import MAX_PHASE_SECONDS, MAX_REPS, MAX_REST_SECONDS, MAX_SETS
from coach.program.model import (
    Condition,
    Dose,
    DoseChange,
    Exercise,
    Level,
    Pattern,
    Phase,
    Program,
    SafetyNote,
    Source,
    Span,
    Step,
)
from coach.yamldata import Item

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DOI_RE = re.compile(r"^10\.\d{4,9}/\S+$")
PATTERNS = tuple(p.value for p in Pattern)


def build_program(root: Item) -> Program:
    """Validate the whole file and build the program; raise ProgramError if anything is wrong."""
    f = root.fields(
        required=("id", "title", "summary", "credit", "sources", "conditions", "safety",
                  "exercises"),
        optional=("spoken_name",),
    )
    condition_items = f["conditions"].items(min_items=1)
    conditions = tuple(_read_condition(i) for i in condition_items)
    known = [c.id for c in conditions if c.id]
    exercise_items = f["exercises"].items(min_items=1)
    exercises = tuple(_read_exercise(i, known) for i in exercise_items)
    checks.check_unique(((c.id, i) for c, i in zip(conditions, condition_items)), "condition id")
    checks.check_unique(((e.id, i) for e, i in zip(exercises, exercise_items)), "exercise id")
    checks.check_condition_names(conditions, condition_items)
    program = Program(
        id=_read_id(f["id"]),
        title=_spoken(f["title"]),
        summary=_spoken(f["summary"]),
        conditions=conditions,
        safety=tuple(_read_safety(i, [e.id for e in exercises]) for i in f["safety"].items()),
        exercises=exercises,
        credit=_spoken(f["credit"]),
        sources=tuple(_read_source(i) for i in f["sources"].items()),
        spoken_name=_read_spoken_name(f.get("spoken_name")),
    )
    root.problems.raise_if_any(ProgramError)
    return program


SPOKEN_NAME_WORDS = 6  # said to choose the routine: a few plain words


def _read_spoken_name(item: Item | None) -> str:
    """What a person says to choose the routine ("medial knee routine"): plain words."""
    if item is None:
        return ""
    value = item.text().strip()
    words = value.split()
    if not words or len(words) > SPOKEN_NAME_WORDS or not all(
        w.replace("-", "").replace("'", "").isalpha() for w in words
    ):
        item.problem(f"expected up to {SPOKEN_NAME_WORDS} plain words to say, such as "
                     f"'medial knee routine' (got '{value}')")
        return ""
    return value


def _read_safety(item: Item, exercise_ids: list[str]) -> SafetyNote:
    """A line, or ``{text: ..., exercises: [ids]}`` for a line said only with those exercises."""
    if not item.is_mapping:
        return SafetyNote(_spoken(item))
    f = item.fields(required=("text", "exercises"))
    ids = f["exercises"].items(min_items=1)
    checks.check_known([(i.text(), i) for i in ids], exercise_ids, "exercise id")
    return SafetyNote(_spoken(f["text"]), tuple(i.text() for i in ids))


def _read_id(item: Item) -> str:
    value = item.text()
    if value and not ID_RE.match(value):
        item.problem(
            f"expected an id of lower-case letters, digits and single hyphens (got '{value}')"
        )
    return value


def _spoken(item: Item) -> str:
    """Text that may be spoken: only {side} and {other_side} may appear in braces."""
    value = item.text()
    checks.check_placeholders(value, item)
    return value


def _read_span(item: Item, maximum: float | None = None) -> Span:
    """``{from: 2, to: 3}`` ("2 to 3") or ``{up_to: 30}`` ("up to 30").

    ``maximum``: the largest value the dose itself may take (see ``limits``).
    """
    f = item.fields(required=(), optional=("from", "to", "up_to"))
    if "up_to" in f:
        if "from" in f or "to" in f:
            item.problem("give either from and to, or up_to alone")
        return Span(0.0, f["up_to"].number(positive=True, maximum=maximum))
    if "from" not in f or "to" not in f:
        if f.valid:
            item.problem("a span needs both from and to, or up_to alone")
        return Span(1.0, 1.0)
    low = f["from"].number(positive=True, maximum=maximum)
    high = f["to"].number(positive=True, maximum=maximum)
    if low > high:
        item.problem(f"from must not be above to (got from {low:g}, to {high:g})")
    return Span(low, high)


def _optional_span(item: Item | None, maximum: float | None = None) -> Span | None:
    return _read_span(item, maximum) if item is not None else None


def _read_phase(item: Item) -> Phase:
    f = item.fields(required=("cue", "seconds"), optional=("counted",))
    counted = f.get("counted")
    return Phase(
        cue=_spoken(f["cue"]),
        seconds=f["seconds"].number(positive=True, maximum=MAX_PHASE_SECONDS),
        counted=counted.boolean() if counted is not None else False,
    )


def _read_dose(item: Item) -> Dose:
    f = item.fields(
        required=("sets", "reps", "rest_seconds", "pattern", "phases"),
        optional=("sets_span", "reps_span", "hold_span", "lift_span"),
    )
    pattern = f["pattern"].choice(PATTERNS)
    dose = Dose(
        sets=f["sets"].integer(minimum=1, maximum=MAX_SETS),
        reps=f["reps"].integer(minimum=1, maximum=MAX_REPS),
        rest_seconds=f["rest_seconds"].number(positive=True, maximum=MAX_REST_SECONDS),
        phases=tuple(_read_phase(i) for i in f["phases"].items(min_items=1)),
        pattern=Pattern(pattern) if pattern else Pattern.ONE_SIDE,
        sets_span=_optional_span(f.get("sets_span"), MAX_SETS),
        reps_span=_optional_span(f.get("reps_span"), MAX_REPS),
        hold_span=_optional_span(f.get("hold_span"), MAX_PHASE_SECONDS),
        lift_span=_optional_span(f.get("lift_span")),
    )
    checks.check_dose(dose, f)
    return dose


def _read_change(item: Item | None) -> DoseChange:
    """What a level changes; within the same limits as the dose itself."""
    if item is None:
        return DoseChange()
    f = item.fields(required=(), optional=("sets", "reps", "hold_seconds", "rest_seconds"))
    sets, reps = f.get("sets"), f.get("reps")
    hold, rest = f.get("hold_seconds"), f.get("rest_seconds")
    return DoseChange(
        sets=sets.integer(minimum=1, maximum=MAX_SETS) if sets else None,
        reps=reps.integer(minimum=1, maximum=MAX_REPS) if reps else None,
        hold_seconds=hold.number(positive=True, maximum=MAX_PHASE_SECONDS) if hold else None,
        rest_seconds=rest.number(positive=True, maximum=MAX_REST_SECONDS) if rest else None,
    )


def _read_level(item: Item) -> Level:
    f = item.fields(required=("id", "name", "cue"), optional=("change", "equipment"))
    equipment = f.get("equipment")
    return Level(
        id=_read_id(f["id"]),
        name=_spoken(f["name"]),
        cue=_spoken(f["cue"]),
        change=_read_change(f.get("change")),
        equipment=tuple(_spoken(i) for i in equipment.items()) if equipment else (),
    )


def _read_default_level(item: Item, levels: tuple[Level, ...]) -> int | None:
    """A level id (``two-second-hold``) or an index into the list, easiest first.

    None when it is missing or wrong (already reported), so the ladder checks
    that depend on it are skipped rather than reporting knock-on problems.
    """
    if item.missing:
        return None
    if item.node.tag.endswith(":int"):
        index = item.integer(minimum=0, maximum=max(0, len(levels) - 1))
        return index if 0 <= index < len(levels) else None
    wanted = item.text()
    ids = [level.id for level in levels]
    if wanted and wanted not in ids:
        item.problem(
            f"expected one of this exercise's level ids: {', '.join(ids)} (got '{wanted}')"
        )
    return ids.index(wanted) if wanted in ids else None


def _read_exercise(item: Item, known_conditions: list[str]) -> Exercise:
    f = item.fields(
        required=(
            "id",
            "name",
            "why",
            "targets",
            "helps",
            "equipment",
            "steps",
            "dose",
            "levels",
            "default_level",
            "short_cue",
        ),
        optional=("safety",),
    )
    level_items = f["levels"].items(min_items=1)
    levels = tuple(_read_level(i) for i in level_items)
    help_items = f["helps"].items(min_items=1)
    safety = f.get("safety")
    default_level = _read_default_level(f["default_level"], levels)
    exercise = Exercise(
        id=_read_id(f["id"]),
        name=_spoken(f["name"]),
        why=_spoken(f["why"]),
        targets=_spoken(f["targets"]),
        helps=tuple(i.text() for i in help_items),
        equipment=tuple(_spoken(i) for i in f["equipment"].items()),
        steps=tuple(Step(_spoken(i)) for i in f["steps"].items(min_items=1)),
        dose=_read_dose(f["dose"]),
        levels=levels,
        default_level=default_level if default_level is not None else 0,
        safety=tuple(_spoken(i) for i in safety.items()) if safety else (),
        short_cue=_spoken(f["short_cue"]),
    )
    checks.check_known(
        [(c, i) for c, i in zip(exercise.helps, help_items)], known_conditions, "condition id"
    )
    checks.check_unique(zip(exercise.helps, help_items), "condition id")
    checks.check_unique(((lv.id, i) for lv, i in zip(levels, level_items)), "level id")
    if default_level is not None:
        checks.check_levels(levels, default_level, exercise.dose, level_items)
    return exercise


def _read_condition(item: Item) -> Condition:
    f = item.fields(required=("id", "name"), optional=("aliases",))
    aliases = f.get("aliases")
    return Condition(
        id=_read_id(f["id"]),
        name=_spoken(f["name"]),
        aliases=tuple(i.text() for i in aliases.items()) if aliases else (),
    )


def _read_source(item: Item) -> Source:
    f = item.fields(required=("text",), optional=("doi", "url"))
    doi_item, url_item = f.get("doi"), f.get("url")
    doi = doi_item.text() if doi_item else None
    if doi_item is not None and doi and not DOI_RE.match(doi):
        doi_item.problem(f"expected a DOI such as 10.1002/art.38317 (got '{doi}')")
    url = url_item.text() if url_item else None
    if url_item is not None and url and not url.startswith(("https://", "http://")):
        url_item.problem(f"expected a web address starting with https:// (got '{url}')")
    return Source(text=f["text"].text(), doi=doi, url=url)
