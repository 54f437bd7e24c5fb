"""The generic safe YAML reader: refusals, line numbers, collected problems, fuzzing."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from coach.errors import CoachError, ProgramError
from coach.program.loader import load_program
from coach.program.parse import build_program
from coach.yamldata import parse_yaml, read_yaml


class SettingsFileError(CoachError):
    """A sibling error class, as the settings file would use."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("\n".join(problems))


def read_person(text: str) -> dict[str, object]:
    """A small schema read the way the settings file or vocabulary would be."""
    root = parse_yaml(text, "person.yaml", error=SettingsFileError)
    f = root.fields(required=("name", "age"), optional=("rate", "loud", "words"))
    rate, loud, words = f.get("rate"), f.get("loud"), f.get("words")
    result = {
        "name": f["name"].text(),
        "age": f["age"].integer(minimum=0, maximum=130),
        "rate": rate.number(positive=True) if rate else None,
        "loud": loud.boolean() if loud else None,
        "words": [w.text() for w in words.items()] if words else [],
    }
    root.problems.raise_if_any(SettingsFileError)
    return result


def test_a_good_file_reads_with_types() -> None:
    assert read_person("name: Ana\nage: 0x20\nrate: 1.5\nloud: yes\nwords: [stop, go]\n") == {
        "name": "Ana",
        "age": 32,
        "rate": 1.5,
        "loud": True,
        "words": ["stop", "go"],
    }


def test_problems_are_collected_with_line_and_field_path() -> None:
    text = (
        "name: 12\nage: -1\nrate: .nan\nloud: maybe\nwords:\n  - stop\n  - [x]\nnmae: x\nname: y\n"
    )
    with pytest.raises(SettingsFileError) as caught:
        read_person(text)
    assert caught.value.problems == [
        "person.yaml:1: name: expected text (got 12); put it in quotes if it is meant as text",
        "person.yaml:2: age: expected a whole number from 0 to 130 (got -1)",
        "person.yaml:3: rate: expected a number > 0 (got .nan)",
        "person.yaml:4: loud: expected true or false (got 'maybe')",
        "person.yaml:7: words[1]: expected text (got a list)",
        "person.yaml:8: nmae: unknown field (did you mean 'name'?)",
        "person.yaml:9: name: appears twice (first on line 1)",
    ]


def test_missing_fields_are_reported_once_at_the_mapping() -> None:
    with pytest.raises(SettingsFileError) as caught:
        read_person("\n\nrate: 2\n")
    assert caught.value.problems == [
        "person.yaml:3: name: required field is missing",
        "person.yaml:3: age: required field is missing",
    ]


@pytest.mark.parametrize(
    ("text", "line", "start"),
    [
        ("a: b: c\n", 1, "YAML syntax: mapping values are not allowed here"),
        ("a: 1\n  b: 2\n", 2, "YAML syntax:"),
        ("a: 'open\n", 2, "YAML syntax:"),
        ("a: 1\n---\na: 2\n", 2, "YAML syntax:"),
        ("a: !!binary aGk=\n", 1, "the tag !!binary is not allowed"),
        ("a: !local x\n", 1, "the tag !local is not allowed"),
        ("a: !!set {x: null}\n", 1, "the tag !!set is not allowed"),
        ("a: 1\nb: \x07\n", 2, "the file holds a character YAML does not allow (got #x0007)"),
        ("[" * 5000 + "]" * 5000, 1, "the file nests lists or mappings too deeply"),
    ],
)
def test_refusals_name_the_line(text: str, line: int, start: str) -> None:
    with pytest.raises(ProgramError) as caught:
        parse_yaml(text, "x.yaml")
    (problem,) = caught.value.problems
    assert problem.startswith(f"x.yaml:{line}: {start}"), problem


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("a: " + "x" * 2_000_000 + "\n")
    with pytest.raises(
        ProgramError, match=r"big.yaml: file is too large \(got 2.0 MB, at most 1 MB\)"
    ):
        read_yaml(path)
    with pytest.raises(ProgramError, match="is a folder"):
        read_yaml(tmp_path)


YAMLISH = st.text(
    alphabet=st.sampled_from(list("abcxyz019 -:[]{},'\"&*!#|>?%@`\n\t.") + ["\u00e9", "\x00"]),
    max_size=200,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(YAMLISH)
def test_random_text_only_ever_raises_program_error(text: str) -> None:
    try:
        build_program(parse_yaml(text, "fuzz.yaml"))
    except ProgramError as exc:
        assert exc.problems and all(p.startswith("fuzz.yaml") for p in exc.problems)


BUNDLED_LINES = (
    (Path(__file__).resolve().parents[2] / "coach" / "bundled_programs" / "medial-knee.yaml")
    .read_text(encoding="utf-8")
    .splitlines(keepends=True)
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.integers(0, len(BUNDLED_LINES) - 1), YAMLISH.filter(lambda t: "\n" not in t))
def test_a_damaged_routine_loads_whole_or_not_at_all(
    tmp_path_factory: pytest.TempPathFactory, index: int, junk: str
) -> None:
    lines = list(BUNDLED_LINES)
    lines[index] = junk + "\n"
    path = tmp_path_factory.mktemp("fuzz") / "damaged.yaml"
    path.write_text("".join(lines), encoding="utf-8")
    try:
        program = load_program(path)
    except ProgramError as exc:
        assert all(p.startswith(f"{path}") for p in exc.problems)
    else:
        assert len(program.exercises) >= 1 and program.id
