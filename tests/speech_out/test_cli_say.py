"""``coach say``: any text in any voice, into a WAV file, as a person tries a voice."""

from __future__ import annotations

from pathlib import Path

import pytest

from coach.audio.format import RATE_HZ
from coach.audio.wavfile import read_wav
from coach.cli import main
from coach.settings import Settings, save_settings


def test_says_text_in_the_neural_voice_and_in_espeak(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["say", "Lift", "your", "leg.", "--to", str(tmp_path / "heart.wav")]) == 0
    assert main(["say", "Lift your leg.", "--voice", "en-us", "--to", str(tmp_path / "en.wav")]) == 0
    out = capsys.readouterr().out
    assert "heart.wav: " in out and "voice heart." in out and "voice en-us." in out
    neural, espeak = read_wav(tmp_path / "heart.wav"), read_wav(tmp_path / "en.wav")
    assert neural.sample_rate_hz == espeak.sample_rate_hz == RATE_HZ
    assert 0.4 < neural.seconds < 2.0 and 0.4 < espeak.seconds < 2.0
    assert len(neural.samples) != len(espeak.samples)  # two different voices


def test_uses_the_voice_and_rate_in_the_settings(tmp_path: Path) -> None:
    save_settings(Settings(voice="en-us", rate_wpm=100))
    assert main(["say", "Tighten your thigh slowly.", "--to", str(tmp_path / "slow.wav")]) == 0
    save_settings(Settings(voice="en-us", rate_wpm=220))
    assert main(["say", "Tighten your thigh slowly.", "--to", str(tmp_path / "fast.wav")]) == 0
    assert read_wav(tmp_path / "slow.wav").seconds > 1.5 * read_wav(tmp_path / "fast.wav").seconds


def test_an_unknown_voice_is_one_clear_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["say", "Hello.", "--voice", "no-such-voice", "--to", str(tmp_path / "x.wav")]) == 1
    assert capsys.readouterr().out == ("There is no installed voice called 'no-such-voice'. "
                                       "Run 'coach voices' to see the names.\n")
    assert not (tmp_path / "x.wav").exists()
