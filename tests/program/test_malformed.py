"""Broken program files each give the right FILE:LINE message, all at once, never a traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.errors import ProgramError
from coach.program.loader import bundled_program_paths, load_program

BUNDLED = bundled_program_paths()["medial-knee"].read_text(encoding="utf-8")


def broken(tmp_path: Path, old: str, new: str, count: int = 1) -> Path:
    """The bundled routine with one edit, written to a real file."""
    assert old in BUNDLED, old
    path = tmp_path / "broken.yaml"
    path.write_text(BUNDLED.replace(old, new, count), encoding="utf-8")
    return path


def line_of(path: Path, text: str, nth: int = 1) -> int:
    """The 1-based line of the ``nth`` line containing ``text``."""
    hits = [i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line]
    return hits[nth - 1]


def problems(path: Path) -> list[str]:
    with pytest.raises(ProgramError) as caught:
        load_program(path)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return caught.value.problems


def test_wrong_type(tmp_path: Path) -> None:
    path = broken(tmp_path, "      sets: 3\n", "      sets: three\n")
    assert problems(path) == [
        (
            f"{path}:{line_of(path, 'sets: three')}: exercises[0].dose.sets: "
            "expected a whole number from 1 to 20 (got 'three')"
        )
    ]


def test_zero_sets_and_negative_seconds(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        "      sets: 3\n      reps: 10\n      rest_seconds: 45\n",
        "      sets: 0\n      reps: 10\n      rest_seconds: -5\n",
    )
    assert problems(path) == [
        (
            f"{path}:{line_of(path, 'sets: 0')}: exercises[0].dose.sets: "
            "expected a whole number from 1 to 20 (got 0)"
        ),
        (
            f"{path}:{line_of(path, 'rest_seconds: -5')}: exercises[0].dose.rest_seconds: "
            "expected a number > 0 and <= 600 (got -5)"
        ),
    ]


def test_doses_beyond_the_limits(tmp_path: Path) -> None:
    """Sets, reps, phase seconds and rests are finite: a slip of the keyboard cannot
    plan a set that lasts for years."""
    path = broken(
        tmp_path,
        "      sets: 3\n      reps: 10\n      rest_seconds: 45\n",
        "      sets: 21\n      reps: 100000000000000000000\n      rest_seconds: 3600\n",
    )
    path.write_text(
        path.read_text().replace("{cue: Lower., seconds: 2}", "{cue: Lower., seconds: 86400}", 1)
    )
    dose = "exercises[0].dose"
    assert problems(path) == [
        (
            f"{path}:{line_of(path, 'sets: 21')}: {dose}.sets: "
            "expected a whole number from 1 to 20 (got 21)"
        ),
        (
            f"{path}:{line_of(path, 'reps: 1000')}: {dose}.reps: "
            "expected a whole number from 1 to 100 (got 100000000000000000000)"
        ),
        (
            f"{path}:{line_of(path, 'rest_seconds: 3600')}: {dose}.rest_seconds: "
            "expected a number > 0 and <= 600 (got 3600)"
        ),
        (
            f"{path}:{line_of(path, 'seconds: 86400')}: {dose}.phases[2].seconds: "
            "expected a number > 0 and <= 600 (got 86400)"
        ),
    ]


def test_a_level_change_obeys_the_same_limits(tmp_path: Path) -> None:
    path = broken(tmp_path, "change: {hold_seconds: 10}", "change: {hold_seconds: 601, reps: 101}")
    path.write_text(
        path.read_text().replace("reps_span: {from: 5, to: 10}", "reps_span: {from: 5, to: 500}")
    )
    line = line_of(path, "hold_seconds: 601")
    assert problems(path) == [
        (
            f"{path}:{line_of(path, 'to: 500')}: exercises[1].dose.reps_span.to: "
            "expected a number > 0 and <= 100 (got 500)"
        ),
        (
            f"{path}:{line}: exercises[5].levels[2].change.reps: "
            "expected a whole number from 1 to 100 (got 101)"
        ),
        (
            f"{path}:{line}: exercises[5].levels[2].change.hold_seconds: "
            "expected a number > 0 and <= 600 (got 601)"
        ),
    ]


def test_missing_field_names_the_exercise_line(tmp_path: Path) -> None:
    why = "    why: It trains the muscles that keep your knee steady when you stand on one leg.\n"
    path = broken(tmp_path, why, "")
    assert problems(path) == [
        (
            f"{path}:{line_of(path, '- id: single-leg-balance')}: exercises[1].why: "
            "required field is missing"
        )
    ]


def test_unknown_key_suggests_the_right_one(tmp_path: Path) -> None:
    path = broken(tmp_path, "    short_cue: Lie down", "    shortcue: Lie down")
    found = problems(path)
    assert (
        f"{path}:{line_of(path, 'shortcue:')}: exercises[0].shortcue: unknown field "
        "(did you mean 'short_cue'?)" in found
    )
    assert (
        f"{path}:{line_of(path, '- id: straight-leg-raise')}: exercises[0].short_cue: "
        "required field is missing" in found
    )


def test_every_problem_is_reported_together_in_file_order(tmp_path: Path) -> None:
    path = broken(tmp_path, "title: Medial knee pain routine", "title: 12")
    path.write_text(
        path.read_text()
        .replace("      reps: 10\n", "      reps: ten\n")
        .replace("pattern: each-direction", "pattern: each-way")
    )
    found = problems(path)
    assert len(found) == 8  # the title, the reps of all six exercises, one pattern
    assert (
        found[0] == f"{path}:{line_of(path, 'title: 12')}: title: expected text "
        "(got 12); put it in quotes if it is meant as text"
    )
    for nth in range(1, 7):
        assert (
            f"{path}:{line_of(path, 'reps: ten', nth)}: exercises[{nth - 1}].dose.reps: "
            "expected a whole number from 1 to 100 (got 'ten')" in found
        )
    assert sum("(got 'each-way')" in p for p in found) == 1
    assert sorted(found, key=lambda p: int(p.split(":")[1])) == found


def test_wrong_pattern_value(tmp_path: Path) -> None:
    path = broken(tmp_path, "pattern: each-direction", "pattern: each-directon")
    assert problems(path) == [
        (
            f"{path}:{line_of(path, 'pattern: each-directon')}: exercises[3].dose.pattern: expected "
            "one of one-side, per-side, alternating, each-direction, both (got 'each-directon'); "
            "did you mean 'each-direction'?"
        )
    ]


def test_wrong_condition_id(tmp_path: Path) -> None:
    path = broken(
        tmp_path,
        "helps: [osteoarthritis, meniscus, mcl-sprain, pes-anserine]",
        "helps: [osteoarthritis, meniscus, mcl-strain, pes-anserine]",
    )
    assert problems(path) == [
        (
            f"{path}:{line_of(path, 'mcl-strain')}: exercises[2].helps[2]: unknown condition id "
            "'mcl-strain'; expected one of: osteoarthritis, meniscus, mcl-sprain, "
            "patellar-subluxation, pes-anserine"
        )
    ]


def test_duplicate_ids_and_aliases(tmp_path: Path) -> None:
    path = broken(tmp_path, "  - id: wall-squat", "  - id: step-up")
    path.write_text(
        path.read_text().replace("pes anserinus bursitis]", "pes anserinus bursitis, oa]")
    )
    found = problems(path)
    assert (
        f"{path}:{line_of(path, '- id: step-up', 2)}: exercises[5]: duplicate exercise id "
        f"'step-up' (first on line {line_of(path, '- id: step-up')})" in found
    )
    assert (
        f"{path}:{line_of(path, '- id: pes-anserine')}: conditions[4]: the name 'oa' "
        "already means condition 'osteoarthritis'" in found
    )


def test_bad_yaml_syntax(tmp_path: Path) -> None:
    path = broken(tmp_path, "  - id: wall-squat\n", "  - id: wall-squat\n   name: x: y\n")
    (found,) = problems(path)
    assert found.startswith(f"{path}:{line_of(path, 'name: x: y')}: YAML syntax: ")


def test_placeholder_and_span_problems(tmp_path: Path) -> None:
    path = broken(tmp_path, "Hold your leg at the top for a moment.", "Hold {leg} at the top.")
    path.write_text(
        path.read_text()
        .replace("hold_span: {up_to: 30}", "hold_span: {up_to: 20}")
        .replace("{cue: Hold., seconds: 5, counted: true}", "{cue: Hold., seconds: 5}")
    )
    assert problems(path) == [
        (
            f"{path}:{line_of(path, '{leg}')}: exercises[0].steps[5]: unknown placeholder {{leg}}; "
            "only {side} and {other_side} may appear in braces"
        ),
        (
            f"{path}:{line_of(path, 'up_to: 20')}: exercises[1].dose.hold_span: must contain the "
            "counted phase's seconds (got 30, outside up to 20)"
        ),
        (
            f"{path}:{line_of(path, '- id: longer-hold')}: exercises[5].levels[2]: changes "
            "hold_seconds, but the dose has no counted phase to hold"
        ),
    ]


def test_easier_level_outside_the_source_range(tmp_path: Path) -> None:
    path = broken(tmp_path, "change: {sets: 2}", "change: {sets: 1}")
    assert problems(path) == [
        (
            f"{path}:{line_of(path, '- id: two-sets')}: exercises[5].levels[0]: an easier level's "
            "sets must lie within the source's range (got 1, outside 2 to 3)"
        )
    ]


def test_default_level_out_of_range(tmp_path: Path) -> None:
    path = broken(tmp_path, "default_level: halfway", "default_level: 7")
    assert problems(path) == [
        (
            f"{path}:{line_of(path, 'default_level: 7')}: exercises[5].default_level: "
            "expected a whole number from 0 to 4 (got 7)"
        )
    ]


def test_two_counted_phases(tmp_path: Path) -> None:
    path = broken(
        tmp_path, "{cue: Slide up., seconds: 3}", "{cue: Slide up., seconds: 3, counted: true}"
    )
    assert problems(path) == [
        (
            f"{path}:{line_of(path, 'phases:', 6)}: exercises[5].dose.phases: expected at most one "
            "counted phase, the hold (got 2)"
        )
    ]


def test_empty_strings_and_lists(tmp_path: Path) -> None:
    path = broken(tmp_path, "    short_cue: Foot on the step", "    short_cue: ' '\n    x: Foot")
    path.write_text(
        path.read_text().replace(
            "    helps: [osteoarthritis, mcl-sprain, meniscus, patellar-subluxation]",
            "    helps: []",
        )
    )
    found = problems(path)
    assert (
        f"{path}:{line_of(path, 'helps: []')}: exercises[4].helps: expected at least 1 item "
        "(got 0)" in found
    )
    blank = line_of(path, "short_cue: ' '")
    assert f"{path}:{blank}: exercises[4].short_cue: must not be empty" in found
    assert (
        f"{path}:{line_of(path, '    x: Foot')}: exercises[4].x: unknown field (expected one "
        "of: id, name, why, targets, helps, equipment, steps, dose, levels, default_level, "
        "short_cue, safety)" in found
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "1: the file is empty"),
        ("# only a comment\n", "1: the file is empty"),
        ("- a\n- b\n", "1: expected a mapping of fields (got a list)"),
        (
            "id: !!python/object/apply:os.system ['true']\n",
            (
                "1: the tag !!python/object/apply:os.system is not allowed; use plain text, numbers, "
                "lists and mappings"
            ),
        ),
        (
            "a: &x [1, 2]\nb: *x\n",
            "1: anchors (&name) are not allowed; write the value out in full",
        ),
        ("a: [1, 2]\nb: *x\n", "2: aliases (*name) are not allowed; write the value out in full"),
    ],
)
def test_whole_file_problems(tmp_path: Path, text: str, expected: str) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    assert problems(path) == [f"{path}:{expected}"]


def test_alias_bomb_is_refused_before_it_expands(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert problems(path) == [
        (f"{path}:1: anchors (&name) are not allowed; write the value out in full")
    ]


def test_ten_megabyte_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as f:
        f.truncate(10_000_000)
    assert problems(path) == [f"{path}: file is too large (got 10.0 MB, at most 1 MB)"]


def test_not_utf8_and_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("id: x\ntitle: caf\xe9\n".encode("latin-1"))
    assert problems(path) == [f"{path}:2: the file is not UTF-8 text; save it as UTF-8"]
    missing = tmp_path / "nowhere.yaml"
    assert problems(missing) == [f"{missing}: no such file; check the name and the folder"]


def test_a_spoken_name_must_be_a_few_plain_words(tmp_path: Path) -> None:
    path = broken(tmp_path, "spoken_name: medial knee routine\n",
                  "spoken_name: knee routine number 2 of the week today\n")
    assert problems(path) == [
        f"{path}:{line_of(path, 'spoken_name:')}: spoken_name: expected up to 6 plain words "
        "to say, such as 'medial knee routine' (got 'knee routine number 2 of the week today')"
    ]
