"""A history that fails mid-session is said once, and the session carries on."""

from __future__ import annotations

import io

import pytest

from coach.cli import main
from coach.history import HistoryStore, HistoryUnavailable
from coach.runtime.messages import runtime_line

FULL = "The disk is full."


def fail_after_the_first_record(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Every record after the session's start fails to be written, as on a full disk."""
    tries: list[int] = []

    def add(self: HistoryStore, *args: object, **kwargs: object) -> None:
        tries.append(1)
        raise HistoryUnavailable(FULL)

    monkeypatch.setattr(HistoryStore, "add", add)
    return tries


def test_keys_mode_says_it_once_on_stderr_and_goes_on(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tries = fail_after_the_first_record(monkeypatch)
    monkeypatch.setattr("sys.stdin", io.StringIO("slower\nfaster\nhelp\n"))
    assert main(["start", "--keys", "--side", "left", "--no-times"]) == 0
    out, err = capsys.readouterr()
    assert err.splitlines() == [f"coach: {FULL} Carrying on without history."]
    assert len(tries) == 1  # nothing more is tried once it failed
    assert "coach: Speaking at 130 words a minute." in out.splitlines()  # the session went on
    assert out.splitlines()[-1] == "End of input. Goodbye."


def test_voice_mode_says_it_once_in_the_transcript(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    fail_after_the_first_record(monkeypatch)
    monkeypatch.setattr("sys.stdin", io.StringIO("slower\nfaster\nhelp\n"))
    argv = ["start", "--no-listen", "--side", "left", "--no-times",
            "--output-device", "no such speaker"]
    assert main(argv) == 0
    out, err = capsys.readouterr()
    notes = [line for line in out.splitlines() if "history" in line]
    # Said once (aloud too, when there is a speaker), with what went wrong.
    assert notes == [f"note: {runtime_line('history_unavailable')} ({FULL})"] and err == ""
    assert "coach: Speaking at 130 words a minute." in out.splitlines()
