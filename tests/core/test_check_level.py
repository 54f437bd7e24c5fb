"""coach check judges the microphone's loudest sound: too quiet, clipping, or fine."""

from __future__ import annotations

from coach.cli.check import level_problem


def test_a_clipping_microphone_is_not_called_ok() -> None:
    problem = level_problem(32767.0)
    assert problem is not None and "clipping" in problem[0]


def test_a_quiet_microphone_is_a_problem_and_a_voice_is_fine() -> None:
    assert level_problem(50.0) is not None
    assert level_problem(8000.0) is None
