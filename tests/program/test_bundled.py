"""The bundled routine carries every fact of the source article.

Each test reads the routine through the real loader and checks it against the
source article (credited in README), fact by fact.
"""

from __future__ import annotations

import re

import pytest

from coach.program.loader import bundled_program_paths, load_bundled, load_program
from coach.program.model import Exercise, Pattern, Program, Side, Span, fill_side

ARTICLE_ORDER = [
    "straight-leg-raise",
    "single-leg-balance",
    "seated-knee-extension",
    "resisted-side-stepping",
    "step-up",
    "wall-squat",
]
ALL = {"osteoarthritis", "meniscus", "mcl-sprain", "patellar-subluxation", "pes-anserine"}
# What each exercise's paragraph in the article says it helps.
HELPS = {
    "straight-leg-raise": ALL,
    "single-leg-balance": ALL - {"pes-anserine"},
    "seated-knee-extension": ALL - {"patellar-subluxation"},
    "resisted-side-stepping": ALL,
    "step-up": ALL - {"pes-anserine"},
    "wall-squat": ALL,
}


@pytest.fixture(scope="module")
def program() -> Program:
    return load_bundled("medial-knee")


def ex(program: Program, exercise_id: str) -> Exercise:
    return program.exercise(exercise_id)


def all_text(exercise: Exercise) -> str:
    parts = [
        exercise.name,
        exercise.why,
        exercise.short_cue,
        exercise.targets,
        *(s.text for s in exercise.steps),
        *exercise.safety,
        *exercise.equipment,
    ]
    for level in exercise.levels:
        parts += [level.name, level.cue, *level.equipment]
    return " ".join(parts).lower()


def test_bundled_paths_name_the_file_by_its_id() -> None:
    paths = bundled_program_paths()
    assert "medial-knee" in paths
    for program_id, path in paths.items():
        assert load_program(path).id == program_id


def test_six_exercises_in_the_article_order(program: Program) -> None:
    assert [e.id for e in program.exercises] == ARTICLE_ORDER
    assert len({e.name for e in program.exercises}) == 6


def test_each_exercise_helps_what_the_article_lists(program: Program) -> None:
    assert {c.id for c in program.conditions} == ALL
    for exercise_id, expected in HELPS.items():
        assert set(ex(program, exercise_id).helps) == expected, exercise_id


def test_conditions_have_spoken_names_and_typed_aliases(program: Program) -> None:
    for alias, cond_id in {
        "oa": "osteoarthritis",
        "arthritis": "osteoarthritis",
        "meniscal tear": "meniscus",
        "MCL": "mcl-sprain",
        "kneecap": "patellar-subluxation",
        "bursitis": "pes-anserine",
        "pes anserine bursitis": "pes-anserine",
        "Pes-Anserine": "pes-anserine",
    }.items():
        found = program.condition(alias)
        assert found is not None and found.id == cond_id, alias
    assert all(c.name for c in program.conditions)


def test_doses_match_the_article(program: Program) -> None:
    slr = ex(program, "straight-leg-raise").dose
    assert (slr.sets, slr.reps, slr.hold_seconds) == (3, 10, 2)
    assert slr.hold_span == Span(1, 2) and slr.lift_span == Span(12, 16)
    assert [p.cue for p in slr.phases] == ["Lift.", "Hold.", "Lower."]
    assert [p.counted for p in slr.phases] == [False, True, False]

    balance = ex(program, "single-leg-balance").dose
    assert balance.hold_span == Span(0, 30) and balance.hold_span.describe("seconds") == (
        "up to 30 seconds"
    )
    assert balance.reps_span == Span(5, 10) and balance.reps in balance.reps_span
    assert balance.hold_seconds == 30
    assert sum(p.counted for p in balance.phases) == 1

    ext = ex(program, "seated-knee-extension").dose
    assert (ext.sets, ext.reps, ext.hold_seconds, ext.hold_span) == (3, 10, 2, Span(1, 2))

    side = ex(program, "resisted-side-stepping").dose
    assert (side.sets, side.reps, side.pattern) == (3, 10, Pattern.EACH_DIRECTION)
    assert side.hold_seconds is None and side.sides_per_set == 2

    step = ex(program, "step-up").dose
    assert (step.sets, step.reps, step.hold_seconds) == (3, 10, None)

    squat = ex(program, "wall-squat").dose
    assert squat.sets_span == Span(2, 3) and squat.sets in squat.sets_span
    assert (squat.reps, squat.hold_seconds) == (10, 5)
    assert [p.cue for p in squat.phases] == ["Slide down.", "Hold.", "Slide up."]


def test_rests_are_between_thirty_and_sixty_seconds(program: Program) -> None:
    for exercise in program.exercises:
        assert 30 <= exercise.dose.rest_seconds <= 60, exercise.id
    text = (bundled_program_paths()["medial-knee"]).read_text(encoding="utf-8")
    assert re.search(r"#.*rest.*not the article", text, re.IGNORECASE | re.DOTALL)


def test_ladders_hold_the_article_progressions(program: Program) -> None:
    balance = ex(program, "single-leg-balance")
    above = balance.levels[balance.default_level + 1 :]
    assert "eyes" in above[0].cue.lower() and "close" in above[0].cue.lower()
    assert "cushion" in above[1].cue.lower() and "towel" in above[1].cue.lower()
    assert any("cushion" in e for e in above[1].equipment)

    step = ex(program, "step-up")
    above = step.levels[step.default_level + 1 :]
    assert "higher step" in above[0].cue.lower()
    assert "dumbbell" in above[1].cue.lower()

    squat = ex(program, "wall-squat")
    above = squat.levels[squat.default_level + 1 :]
    assert squat.dose_at(squat.default_level + 1).hold_seconds == 10
    assert squat.dose.hold_seconds == 5
    assert "90 degrees" in above[1].cue
    assert "dumbbell" in above[2].cue.lower()


def test_easier_rungs_come_only_from_the_article_ranges(program: Program) -> None:
    for exercise in program.exercises:
        dose = exercise.dose
        for level in exercise.levels[: exercise.default_level]:
            change = level.change
            if change.hold_seconds is not None:
                assert dose.hold_span is not None and change.hold_seconds in dose.hold_span
            if change.reps is not None:
                assert dose.reps_span is not None and change.reps in dose.reps_span
            if change.sets is not None:
                assert dose.sets_span is not None and change.sets in dose.sets_span
            assert change.rest_seconds is None
    assert ex(program, "straight-leg-raise").dose_at(0).hold_seconds == 1
    assert ex(program, "wall-squat").dose_at(0).sets == 2
    assert ex(program, "single-leg-balance").dose_at(0).reps == 5


def test_every_level_has_a_spoken_cue_and_exercise_its_why(program: Program) -> None:
    for exercise in program.exercises:
        assert exercise.why.endswith(".") and exercise.why.count(". ") == 0
        assert exercise.short_cue
        assert all(level.cue.startswith("Now") for level in exercise.levels), exercise.id
        assert 0 <= exercise.default_level < len(exercise.levels)


def test_equipment_is_named(program: Program) -> None:
    assert "resistance band" in " ".join(ex(program, "resisted-side-stepping").equipment)
    knee = " ".join(ex(program, "seated-knee-extension").equipment)
    assert "resistance band" in knee and "weight" in knee and "chair" in knee
    assert "step" in " ".join(ex(program, "step-up").equipment)
    assert "wall" in " ".join(ex(program, "wall-squat").equipment)
    balance = " ".join(ex(program, "single-leg-balance").equipment)
    assert "counter" in balance and "chair" in balance


def test_safety_advice_from_the_article(program: Program) -> None:
    opening = " ".join(program.safety_lines).lower()
    assert "doctor" in opening and "shoes" in opening and "inner side of your knee" in opening
    assert "balance" in opening and "sturdy" in opening  # something to hold, said at the opening
    assert "counter" in " ".join(ex(program, "single-leg-balance").safety)
    assert "buckle inward" in all_text(ex(program, "step-up"))
    assert "in line over your foot" in all_text(ex(program, "step-up"))
    assert "past your toes" in all_text(ex(program, "wall-squat"))
    assert "lean" in " ".join(ex(program, "resisted-side-stepping").safety).lower()


def test_credit_and_sources(program: Program) -> None:
    for fact in ("Tim Petrie", "DPT, OCS", "Medial Knee Pain Exercises", "Verywell Health"):
        assert fact in program.credit
    assert len(program.sources) == 6
    assert [s.doi for s in program.sources] == [
        "10.1002/art.38317",
        None,
        "10.7326/0003-4819-157-9-201211060-00007",
        "10.1016/j.jsams.2016.04.003",
        "10.2519/jospt.2012.3624",
        "10.1007/s00167-014-3172-5",
    ]
    assert "pes anserine" in program.sources[1].text


def test_steps_speak_of_your_side_and_never_the_involved_leg(program: Program) -> None:
    for exercise in program.exercises:
        text = all_text(exercise)
        for word in ("involved", "injured", "affected"):
            assert word not in text, (exercise.id, word)
    raise_steps = " ".join(s.text for s in ex(program, "straight-leg-raise").steps)
    assert "{side} leg" in raise_steps and "{other_side} knee" in raise_steps
    assert "12 to 16 inches" in raise_steps
    left = fill_side(raise_steps, Side.LEFT)
    assert "left leg" in left and "right knee" in left and "{" not in left


def test_steps_are_short_spoken_sentences(program: Program) -> None:
    for exercise in program.exercises:
        for step in exercise.steps:
            assert step.text[-1] in ".?!" and len(step.text.split()) <= 20, step.text
