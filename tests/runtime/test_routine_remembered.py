"""A routine chosen by voice is kept for next time: saved in the settings file,
used by the next ``coach start`` that names no program or condition, and said
in its opening with how to change it."""

from __future__ import annotations

import io

import pytest

from coach.cli import main
from coach.settings import load_settings


def start_keys(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
               typed: str, *extra: str) -> list[str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(typed))
    assert main(["start", "--keys", "--side", "left", "--no-times", "--no-history", *extra]) == 0
    return capsys.readouterr().out.splitlines()


def test_a_chosen_routine_is_kept_and_said_next_time(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    out = start_keys(monkeypatch, capsys, "bursitis\n")
    assert "coach: The exercises for pes anserine bursitis." in out
    assert load_settings().routine == "medial-knee:pes-anserine"
    out = start_keys(monkeypatch, capsys, "next\n" * 4)  # through the opening's lines
    assert ("coach: Today: the exercises for pes anserine bursitis, as last time. "
            "To change it, say what can I choose.") in out
    assert "coach: Today there are 4 exercises, about 28 minutes in all." in out
    # Naming a program or a condition on the command line wins over it.
    out = start_keys(monkeypatch, capsys, "next\n" * 4, "--condition", "oa")
    assert not any("as last time" in line for line in out)
    # The whole routine chosen again is kept too.
    start_keys(monkeypatch, capsys, "the medial knee routine\n")
    assert load_settings().routine == "medial-knee"
