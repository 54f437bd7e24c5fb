"""Speech-out fixtures: one real espeak-ng renderer and one neural voice for the whole run.

espeak-ng can be set up only once per process, and pyttsx3 keeps one engine
per process, so the renderer (and its thread) is shared by every test here;
the neural voice takes seconds to load, so it is loaded once too.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from coach.speech_out.cache import PhraseCache
from coach.speech_out.playout import Playout
from coach.speech_out.pyttsx3_renderer import Pyttsx3Renderer
from coach.speech_out.voices import Voices

sys.path.insert(0, str(Path(__file__).parent))  # for speech_out_checks


@pytest.fixture(scope="session")
def espeak() -> Iterator[Pyttsx3Renderer]:
    r = Pyttsx3Renderer()
    yield r
    r.close()


@pytest.fixture(scope="session")
def renderer(espeak: Pyttsx3Renderer) -> Voices:
    """Both engines, as the coach has them: the neural voice by default, espeak-ng by name."""
    return Voices(espeak=espeak)


@pytest.fixture
def cache(renderer: Voices, tmp_path: Path) -> PhraseCache:
    return PhraseCache(renderer, tmp_path / "phrases")


@pytest.fixture
def playout(cache: PhraseCache) -> Playout:
    return Playout(cache)
