"""Speech-out fixtures: one real espeak-ng renderer for the whole run.

espeak-ng can be set up only once per process, and pyttsx3 keeps one engine
per process, so the renderer (and its thread) is shared by every test here.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.speech_out.cache import PhraseCache
from coach.speech_out.playout import Playout
from coach.speech_out.pyttsx3_renderer import Pyttsx3Renderer

sys.path.insert(0, str(Path(__file__).parent))  # for speech_out_checks


@pytest.fixture(scope="session")
def renderer() -> Iterator[Pyttsx3Renderer]:
    r = Pyttsx3Renderer()
    yield r
    r.close()


@pytest.fixture
def cache(renderer: Pyttsx3Renderer, tmp_path: Path) -> PhraseCache:
    return PhraseCache(renderer, tmp_path / "phrases")


@pytest.fixture
def playout(cache: PhraseCache) -> Playout:
    return Playout(cache)
