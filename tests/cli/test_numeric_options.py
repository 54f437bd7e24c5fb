"""Every numeric option of every command is bounded: a number out of range, too large
for anything below to hold, or not a plain number, is one argparse line, never a
traceback."""

from __future__ import annotations

import argparse
import math
import subprocess
import sys
from pathlib import Path

import pytest

from coach.cli import build_parser
from coach.history import HistoryStore

REPO = Path(__file__).resolve().parents[2]
ABSURD = ("99999999999999999999", "-1", "1e400", "nan", "inf", "-0x10", "²", "٣", " 1_0")
TEXT_TYPES = (None, str, Path)  # options of these types are not numbers


def _commands() -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def _numeric_options() -> list[tuple[str, argparse.ArgumentParser, argparse.Action]]:
    found = []
    for name, parser in _commands().items():
        for action in parser._actions:
            if action.option_strings and action.type not in TEXT_TYPES and action.nargs != 0:
                found.append((name, parser, action))
    return found


def test_the_numeric_options_are_found() -> None:
    """The walk below must see them, or the test that follows proves nothing."""
    names = {(command, action.option_strings[0]) for command, _, action in _numeric_options()}
    assert ("history", "--limit") in names


@pytest.mark.parametrize("value", ABSURD)
def test_every_numeric_option_refuses_or_bounds_an_absurd_value(
    value: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for command, parser, action in _numeric_options():
        option = action.option_strings[0]
        try:
            parsed = parser.parse_args([f"{option}={value}"])
        except SystemExit as exc:
            assert exc.code == 2
            err = capsys.readouterr().err.splitlines()[-1]
            assert err.startswith(f"coach {command}: error: argument {option}: expected "), err
            continue
        got = getattr(parsed, action.dest)
        assert isinstance(got, (int, float)) and math.isfinite(got), (command, option, got)
        assert 0 <= got <= 1_000_000, (command, option, value, got)


def test_history_limit_too_large_for_the_database_is_one_line() -> None:
    HistoryStore.open().close()  # a history to read, so the limit reaches the database
    done = subprocess.run(
        [sys.executable, "-m", "coach", "history", "--limit", "99999999999999999999"],
        capture_output=True, text=True, cwd=REPO, timeout=60, check=False,
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == (
        "coach history: error: argument --limit: expected a whole number from 0 to 1000000 "
        "(0 shows all), got '99999999999999999999'"
    )


def test_history_limit_at_its_bound_is_accepted() -> None:
    parsed = _commands()["history"].parse_args(["--limit", "1000000"])
    assert parsed.limit == 1_000_000
