"""Shared set-up for the history tests: a store in the private test home and a scribe."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for history_helpers

from history_helpers import Scribe, WallClock

from coach.history import HistorySink, HistoryStore


@pytest.fixture
def store(private_home: Path) -> Iterator[HistoryStore]:
    opened = HistoryStore.open()
    yield opened
    opened.close()


@pytest.fixture
def scribe(store: HistoryStore) -> Scribe:
    wall = WallClock()
    return Scribe(HistorySink(store, wall_clock=wall), wall)


@pytest.fixture
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC here, so the dates printed and said are known."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()
