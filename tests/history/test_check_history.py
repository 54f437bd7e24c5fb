"""``coach check`` judges the history file as ``coach start`` and ``coach history`` do.

It said "ok: history file" for a file they refuse. The check runs here with no
sound devices (a name no device has), so only its history line is looked at.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from history_helpers import Scribe, WallClock

from coach.history import HistorySink, HistoryStore, default_path

REPO = Path(__file__).resolve().parents[2]


def _history_line() -> str:
    done = subprocess.run(
        [sys.executable, "-m", "coach", "check", "--output-device", "none such",
         "--input-device", "none such"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert done.returncode == 1  # no speaker or microphone here, whatever the history
    (line,) = [x for x in done.stdout.splitlines() if x.startswith(("ok: history", "FAILED: hist"))]
    return line


def test_a_missing_or_healthy_history_is_ok(private_home: Path) -> None:
    path = default_path()
    assert _history_line() == f"ok: history file: {path} (none yet: your first session makes it)"
    assert not path.exists()  # the check makes nothing
    store = HistoryStore.open()
    try:
        wall = WallClock()
        scribe = Scribe(HistorySink(store, wall_clock=wall), wall)
        scribe.whole_session(0, pain=2)
        scribe.whole_session(1, pain=2)
    finally:
        store.close()
    assert _history_line() == f"ok: history file: {path}, 2 sessions"


@pytest.mark.parametrize("kind", ["garbage", "damaged", "empty"])
def test_a_file_that_start_and_history_refuse_is_said_with_what_to_do(
    kind: str, scribe: Scribe, store: HistoryStore
) -> None:
    for day in range(3):
        scribe.whole_session(day, pain=3)
    store.close()
    path = default_path()
    data = bytearray(path.read_bytes())
    if kind == "garbage":
        data = bytearray(os.urandom(8192))
    elif kind == "damaged":
        page = int.from_bytes(data[16:18], "big")
        data[page : 3 * page] = b"\xa5" * (2 * page)  # coach's header, broken pages behind it
    else:
        data = bytearray()
    path.write_bytes(bytes(data))
    said = {
        "garbage": "is not an SQLite database (it may be damaged)",
        "damaged": "is damaged",
        "empty": "is empty",
    }[kind]
    assert _history_line() == (
        f"FAILED: history file: The history file {path} {said}. What to do: It was left as it "
        "is. Move it elsewhere to start a new history."
    )
    assert path.read_bytes() == bytes(data)
