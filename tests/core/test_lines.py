"""The spoken copy file: complete, well-formed, and checked when it is read."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from coach.spoken_text import SESSION_LINES as BUNDLED
from coach.spoken_text import load_lines
from coach.errors import CoachError


def test_bundled_lines_load_and_fill_in() -> None:
    lines = load_lines()
    assert lines.get("set_of", set=2, sets=3) == "Set 2 of 3."
    assert lines.count("n_reps", 1) == "1 rep"
    assert lines.count("n_reps", 4) == "4 reps"


def test_every_line_is_short() -> None:
    for key, text in load_lines().templates.items():
        assert len(text.split()) <= 24, key


def test_a_translated_file_with_a_missing_line_is_refused(tmp_path: Path) -> None:
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    del data["ask_pain"]
    path = tmp_path / "lines.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(CoachError, match="missing lines: ask_pain"):
        load_lines(path)


def test_a_wrong_placeholder_names_the_line(tmp_path: Path) -> None:
    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    data["set_of"] = "Set {number} of {sets}."
    path = tmp_path / "lines.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    lines = load_lines(path)
    with pytest.raises(CoachError, match="set_of"):
        lines.get("set_of", set=1, sets=2)


def test_a_custom_copy_changes_what_the_session_says(tmp_path: Path) -> None:
    from core_harness import program

    from coach.core.session import Session
    from coach.program.model import Side
    from coach.settings import Settings

    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    data["welcome"] = "Good morning."
    path = tmp_path / "lines.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    session = Session(program(), settings=Settings(), side=Side.LEFT, lines=load_lines(path))
    said = [getattr(a, "text", None) for a in session.start(0.0)]
    assert "Good morning." in said


def test_a_list_is_said_by_filling_the_list_lines() -> None:
    lines = load_lines()
    assert [lines.listing(items) for items in ([], ["a"], ["a", "b"], ["a", "b", "c"])] == [
        "", "a", "a and b", "a, b and c"]
    other = load_lines()
    other = type(other)({**other.templates, "list_more": "{first}; {rest}"}, "copy")
    assert other.listing(["a", "b", "c", "d"]) == "a; b; c and d"


def test_the_bundled_copy_without_a_list_line_is_refused(tmp_path: Path) -> None:
    from coach.spoken_text import LISTING, read_lines

    data = yaml.safe_load(BUNDLED.read_text(encoding="utf-8"))
    del data["list_pair"]
    path = tmp_path / "lines.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(CoachError, match=rf"{path}: missing lines: list_pair\."):
        read_lines(path, required=LISTING)
