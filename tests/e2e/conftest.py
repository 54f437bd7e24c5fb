"""End-to-end tests through the private audio server that scripts/test starts."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for e2e_harness

from e2e_harness import CoachProcess, pactl

pytestmark = pytest.mark.audio


@pytest.fixture(autouse=True)
def audio_server() -> None:
    if not os.environ.get("COACH_AUDIO_SERVER"):
        pytest.skip("needs the test audio server: run scripts/test (it sets COACH_AUDIO_SERVER)")


@pytest.fixture
def quick_settings(private_home: Path) -> Path:
    """Short instructions and a brisk voice, so the tests reach the sets quickly."""
    path = private_home / "config" / "coach" / "settings.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("verbosity: short\nrate_wpm: 200\n", encoding="utf-8")
    return path


@pytest.fixture
def processes() -> Iterator[list[CoachProcess]]:
    """Every coach process a test starts is killed at the end, whatever happened."""
    started: list[CoachProcess] = []
    yield started
    for proc in started:
        proc.close()


def _echo_input() -> str:
    for line in pactl("list", "short", "sink-inputs").splitlines():
        fields = line.split("\t")
        if len(fields) > 3 and fields[3] == "module-loopback.c":
            return fields[0]
    raise AssertionError("the echo loopback of scripts/audio-server is missing")


@pytest.fixture
def no_echo() -> Iterator[None]:
    """The microphone without the coach's voice in it (the loopback muted)."""
    index = _echo_input()
    pactl("set-sink-input-mute", index, "1")
    yield
    pactl("set-sink-input-mute", index, "0")
