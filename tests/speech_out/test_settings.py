"""The listener's settings file: round trip and FILE:LINE errors."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path

import pytest

from coach.cli import main
from coach.settings import (
    CountWith,
    Settings,
    SettingsError,
    Verbosity,
    load_settings,
    save_settings,
    settings_path,
)


def test_defaults_when_there_is_no_file() -> None:
    assert not settings_path().exists()
    assert load_settings() == Settings()


def test_round_trip_in_the_per_user_folder_owner_only() -> None:
    chosen = Settings(voice="en-gb-scotland+f2", rate_wpm=120, volume=0.45,
                      verbosity=Verbosity.SHORT, count_with=CountWith.TONES, side="right")
    path = save_settings(chosen)
    assert path == settings_path() and path.name == "settings.yaml"
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert load_settings() == chosen
    save_settings(Settings())
    assert load_settings() == Settings()  # side: null reads back as None


@pytest.mark.parametrize(
    "text", ["", "\n\n", "# my settings, all defaults for now\n", "---\n", "\ufeff"]
)
def test_an_empty_or_comment_only_file_means_the_defaults(text: str) -> None:
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text(text, encoding="utf-8")
    assert load_settings() == Settings()


def test_commands_that_can_repair_an_empty_file_still_run(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """An empty file stopped start, voices and the rest with 'the file is empty'."""
    settings_path().parent.mkdir(parents=True)
    settings_path().write_text("# nothing set yet\n")
    assert main(["voices", "--language", "en"]) == 0
    assert "The current voice is heart" in capsys.readouterr().out
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    assert main(["start", "--keys", "--no-history", "--side", "left", "--no-times"]) == 0
    assert capsys.readouterr().out.startswith("coach: Hello.")
    assert main(["voices", "--set", "en-gb"]) == 0
    assert load_settings() == Settings(voice="en-gb")


def test_a_partial_file_keeps_defaults_for_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text("rate_wpm: 120\n")
    assert load_settings(path) == Settings(rate_wpm=120)


def test_every_mistake_is_reported_with_file_and_line(tmp_path: Path) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(
        "# my settings\n"
        "voice: en us\n"
        "rate_wpm: 400\n"
        "volume: loud\n"
        "verbosity: chatty\n"
        "count_with: tone\n"
        "sde: left\n"
    )
    with pytest.raises(SettingsError) as caught:
        load_settings(path)
    problems = caught.value.problems
    assert problems == [
        (f"{path}:2: voice: expected a voice name such as en-us (got 'en us'); "
        "run 'coach voices' to list them"),
        f"{path}:3: rate_wpm: expected a whole number from 80 to 260 (got 400)",
        f"{path}:4: volume: expected a number from 0 to 1 (got 'loud')",
        f"{path}:5: verbosity: expected one of auto, full, short (got 'chatty')",
        f"{path}:6: count_with: expected one of voice, tones (got 'tone'); did you mean 'tones'?",
        f"{path}:7: sde: unknown field (did you mean 'side'?)",
    ]


@pytest.mark.parametrize(("text", "line", "words"), [
    ("voice: [en-us\n", 2, "YAML syntax"),
    ("- voice\n", 1, "expected a mapping"),
    ("rate_wpm: 150\nrate_wpm: 160\n", 2, "appears twice"),
    ("side: middle\n", 1, "expected one of left, right"),
    ("volume: 1.5\n", 1, "from 0 to 1"),
])
def test_broken_files_name_the_line(tmp_path: Path, text: str, line: int, words: str) -> None:
    path = tmp_path / "settings.yaml"
    path.write_text(text)
    with pytest.raises(SettingsError, match=words) as caught:
        load_settings(path)
    assert caught.value.problems[0].startswith(f"{path}:{line}:")
