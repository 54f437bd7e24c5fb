"""A file with tens of thousands of problems is checked in linear time, and shown in short.

A program of 60,000 unknown keys (under the 1 MB cap) took 52 s to validate:
the problem list scanned itself for duplicates at every new problem.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.errors import ProgramError
from coach.program.loader import load_program
from coach.yamldata import MAX_PROBLEMS_SHOWN, Problems


class CountedLine(int):
    """A line number that counts how often it is compared for equality."""

    comparisons = 0

    def __eq__(self, other: object) -> bool:
        CountedLine.comparisons += 1
        return int(self) == other

    __hash__ = int.__hash__


def test_sixty_thousand_unknown_keys_show_the_first_hundred_and_a_count(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("".join(f"k{i:06d}: 1\n" for i in range(60_000)), encoding="utf-8")
    assert path.stat().st_size < 1_000_000
    with pytest.raises(ProgramError) as caught:
        load_program(path)
    shown = caught.value.problems
    assert MAX_PROBLEMS_SHOWN == 100 and len(shown) == 101
    assert shown[0].startswith(f"{path}:1: k000000: unknown field (expected one of: id, title")
    assert shown[1] == f"{path}:1: id: required field is missing"  # not hidden by the rest
    assert shown[-2].startswith(f"{path}:92: k000091: unknown field")
    assert shown[-1] == (f"{path}: ... and 59,908 more problems; "
                         "fix these first, then check the file again")


@pytest.mark.parametrize("count", [1_000, 4_000])
def test_collecting_problems_compares_each_new_one_a_bounded_number_of_times(count: int) -> None:
    CountedLine.comparisons = 0
    problems = Problems("big.yaml")
    for i in range(count):
        problems.add(CountedLine(i + 1), f"k{i}", "unknown field")
        problems.add(CountedLine(i + 1), f"k{i}", "unknown field")  # a duplicate is kept once
    assert CountedLine.comparisons <= 4 * count
    assert len(problems.messages) == MAX_PROBLEMS_SHOWN + 1
    assert problems.messages[-1].startswith(f"big.yaml: ... and {count - 100:,} more problems")


def test_a_few_problems_are_all_shown() -> None:
    problems = Problems("f.yaml")
    for i in range(MAX_PROBLEMS_SHOWN):
        problems.add(i + 1, f"k{i}", "unknown field")
    assert len(problems.messages) == MAX_PROBLEMS_SHOWN
    assert "more problems" not in problems.messages[-1]
