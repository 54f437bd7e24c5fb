"""Shared test set-up: every test gets its own private per-user folders."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for full_disk

REPO = Path(__file__).resolve().parent.parent
sys.path.append(str(REPO / "scripts"))  # for recordings, where the benchmarks look too
# The real recordings: ../shared/audio, or the folder named in COACH_SHARED_AUDIO.
from recordings import SHARED_AUDIO


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point config, data, cache and state dirs at a fresh folder."""
    home = tmp_path / "home"
    for var, sub in (
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_DATA_HOME", "data"),
        ("XDG_CACHE_HOME", "cache"),
        ("XDG_STATE_HOME", "state"),
    ):
        (home / sub).mkdir(parents=True)
        monkeypatch.setenv(var, str(home / sub))
    return home


@pytest.fixture(scope="session")
def shared_audio() -> Path:
    """The folder of real human recordings; tests that need it skip without it."""
    if not (SHARED_AUDIO / "manifest.csv").exists():
        pytest.skip(f"real recordings not found at {SHARED_AUDIO}")
    return SHARED_AUDIO
