"""Engines are loaded once per test module: they take up to seconds to start."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from coach.commands.parser import load_vocabulary
from coach.speech_in.listener import Listener
from coach.speech_in.sphinx import SphinxEngine

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for whisper_copies


@pytest.fixture(scope="module")
def sphinx_listener() -> Listener:
    vocab = load_vocabulary()
    return Listener(SphinxEngine(vocab), vocab)


@pytest.fixture(scope="session", autouse=True)
def _espeak() -> None:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed")
