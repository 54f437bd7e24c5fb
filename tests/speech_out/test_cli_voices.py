"""``coach voices`` and the missing-engine message, as a person meets them."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
from full_disk import fill, small_disk

from coach.cli import main
from coach.settings import Settings, load_settings, save_settings, settings_path
from coach.speech_out.pyttsx3_renderer import SpeechEngineError, _EngineThread


def test_lists_installed_voices_and_marks_the_current_one(capsys: pytest.CaptureFixture[str]) -> None:
    save_settings(Settings(voice="en-gb"))
    assert main(["voices", "--language", "en"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{len(out) - 1} voices. The current voice is en-gb")
    assert any(re.fullmatch(r"en-us: English \(America\), language en-us, espeak-ng, [\d.]+ MB shared",
                            line) for line in out)
    assert [re.sub(r"[\d.]+ MB", "N MB", line) for line in out if line.endswith(", current")] == [
        "en: English (Great Britain), language en-gb, espeak-ng, N MB shared, current"]
    assert all("\x1b" not in line for line in out)  # plain text: no colour codes


def test_set_saves_an_installed_voice_and_refuses_others(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["voices", "--set", "en-us+f3"]) == 0
    assert load_settings().voice == "en-us+f3"
    assert main(["voices", "--set", "no-such-voice"]) == 1
    assert "no installed voice called 'no-such-voice'" in capsys.readouterr().out
    assert load_settings().voice == "en-us+f3"


def test_a_missing_engine_is_one_message_with_the_install_command(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyttsx3", None)  # as if pyttsx3 were not installed
    engine = _EngineThread()
    with pytest.raises(SpeechEngineError, match="sudo apt-get install espeak-ng"):
        engine.render_later("Hello.", "en-us", 150).result(timeout=60)


def test_one_voice_is_said_in_the_singular(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["voices", "--language", "kok"]) == 0  # Konkani: one voice in espeak-ng
    out = capsys.readouterr().out.splitlines()
    assert len(out) == 2 and out[0].startswith("1 voice. The current voice is ")


def test_set_on_a_full_disk_is_one_line_and_keeps_the_old_settings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with small_disk(tmp_path / "disk", 64 * 1024) as disk:
        monkeypatch.setenv("XDG_CONFIG_HOME", str(disk))
        save_settings(Settings(voice="en-gb"))
        path = settings_path()
        before = path.read_bytes()
        fill(disk)
        assert main(["voices", "--set", "en-us"]) == 1
        out, err = capsys.readouterr()
        assert out == ""
        assert err.count("\n") == 1 and err.startswith("coach: ")
        assert str(path) in err and "No space left on device" in err and "free" in err.lower()
        assert path.read_bytes() == before
        assert sorted(p.name for p in path.parent.iterdir()) == ["settings.yaml"]


def test_the_neural_voice_is_listed_first_and_current_by_default(
        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["voices", "--language", "en"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith(f"{len(out) - 1} voices. The current voice is heart;")
    assert out[1] == ("heart: Heart, neural, American English, female, language en-us, hibari, "
                      "13.6 MB, current")
    assert main(["voices", "--set", "hibari"]) == 0
    assert load_settings().voice == "hibari"
    assert main(["voices", "--set", "en-us"]) == 0 and load_settings().voice == "en-us"
