"""coach hear: plain lines and JSON, for WAV files at any rate."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from coach.audio.resample import resample
from coach.audio.wavfile import Pcm, write_wav
from coach.cli import main
from coach.speech_in.scripted import synthesize


@pytest.fixture(scope="module")
def pause_wav_22k(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hear") / "pause-22k.wav"
    write_wav(path, Pcm(resample(synthesize("pause", "en-us", 150), 16000, 22050), 22050))
    return path


def test_json_gives_intent_text_confidence_and_latency(
    pause_wav_22k: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    silence = tmp_path / "silence.wav"
    write_wav(silence, Pcm(np.zeros(16000, np.int16), 16000))
    assert main(["hear", "--engine", "sphinx", "--json", str(pause_wav_22k), str(silence)]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["intent"] for r in rows] == ["pause", None]
    assert rows[0]["text"] == "pause" and 0 <= rows[0]["confidence"] <= 1
    assert 0 < rows[0]["latency_ms"] <= 400
    assert rows[1]["reason"] == "no-speech"


def test_plain_output_is_one_line_per_file(pause_wav_22k: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hear", "--engine", "sphinx", str(pause_wav_22k)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("Engine: sphinx")
    assert out[1].startswith(f"{pause_wav_22k}: pause;")


def test_a_missing_file_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hear", "--engine", "sphinx", str(tmp_path / "nope.wav")]) == 1
    assert "no such audio file" in capsys.readouterr().err


def _one_hertz(path: Path) -> Path:
    """A WAV whose header claims 1 Hz: upsampling it would ask for gigabytes."""
    write_wav(path, Pcm(np.zeros(16000, np.int16), 16000))
    data = bytearray(path.read_bytes())
    data[24:28] = (1).to_bytes(4, "little")
    data[28:32] = (2).to_bytes(4, "little")
    path.write_bytes(bytes(data))
    return path


def test_files_that_cannot_be_read_are_reported_and_the_others_still_heard(
    pause_wav_22k: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing, folder = tmp_path / "missing.wav", tmp_path / "takes"
    folder.mkdir()
    odd = _one_hertz(tmp_path / "odd.wav")
    files = [str(pause_wav_22k), str(missing), str(folder), str(odd), str(pause_wav_22k)]
    assert main(["hear", "--engine", "sphinx", *files]) == 1
    out, err = capsys.readouterr()
    assert [line.split(":")[0] for line in out.splitlines()[1:]] == [str(pause_wav_22k)] * 2
    assert err.splitlines() == [
        f"coach: {missing}: no such audio file. Check the path.",
        f"coach: {folder}: is a folder, not an audio file. Give the path of a recording.",
        (
            f"coach: {odd}: its sample rate is 1 Hz; coach reads recordings from 8000 to "
            "192000 Hz. The file may be damaged, or record or convert it at a usual rate such "
            "as 16000 or 44100 Hz."
        ),
    ]
    assert main(["hear", "--engine", "sphinx", "--json", *files]) == 1
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["file"] for r in rows] == files
    assert [r.get("intent") for r in rows] == ["pause", None, None, None, "pause"]
    assert rows[1] == {
        "file": str(missing),
        "error": f"{missing}: no such audio file. Check the path.",
    }
    assert rows[3]["error"].startswith(f"{odd}: its sample rate is 1 Hz")


def test_asking_for_vosk_without_a_model_says_how_to_get_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COACH_VOSK_MODEL", str(tmp_path / "no-model"))
    assert main(["hear", "--engine", "vosk", str(tmp_path / "x.wav")]) == 1
    assert "fetch_voice_model" in capsys.readouterr().err


def test_moment_listens_as_the_coach_does_then(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from coach.runtime.person_voice import PersonVoice

    three = PersonVoice().to_file("three", tmp_path / "three.wav")
    assert main(["hear", "--engine", "sphinx", "--json", "--moment", "ask-pain", str(three)]) == 0
    asked = json.loads(capsys.readouterr().out)
    assert (asked["intent"], asked["number"]) == ("number", 3)
    assert main(["hear", "--engine", "sphinx", "--json", "--moment", "working", str(three)]) == 0
    between = json.loads(capsys.readouterr().out)
    assert between["intent"] is None  # a number means nothing between questions


def test_a_wav_cut_at_an_odd_byte_is_reported_and_the_next_file_heard(
    pause_wav_22k: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cut = tmp_path / "cut.wav"
    cut.write_bytes(pause_wav_22k.read_bytes()[:-1])
    assert main(["hear", "--engine", "sphinx", str(cut), str(pause_wav_22k)]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"coach: {cut}: the file is cut short (it holds 1 byte less than its header says); "
        "it may be damaged or still being written. Record or copy it again."
    ]
    assert out.splitlines()[1].startswith(f"{pause_wav_22k}: pause;")


@pytest.mark.skipif(shutil.which("sox") is None, reason="sox is not installed")
def test_a_file_named_like_an_option_is_read_as_a_file(
    pause_wav_22k: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """'-n.flac' reached sox as its -n option (the null file), not as a file name."""
    monkeypatch.chdir(tmp_path)
    subprocess.run(["sox", str(pause_wav_22k), "--", "-n.flac"], check=True)
    assert main(["hear", "--engine", "sphinx", "--", "-n.flac"]) == 0
    out, err = capsys.readouterr()
    assert err == "" and out.splitlines()[1].startswith("-n.flac: pause;")
