"""A history on a disk that is full, made so for real: a small tmpfs, filled to the last block.

A full disk must not hide the past: the history is read as usual (levels,
the resume offer, ``coach history``), coach says once that the disk is full
and nothing new will be kept, and nothing is left beside the file (SQLite
would want a -shm file it cannot make). Mounting needs root; where it is not
allowed, the tests skip and say why.
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from full_disk import fill, mount_small_disk
from history_helpers import DAY, T0, Scribe, WallClock, killed_in_a_set

from coach.history import HistorySink, HistoryStore, default_path
from coach.history.phrases import phrase

REPO = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).resolve().parent / "writer.py"
TIMEOUT_SECONDS = 120.0  # a safety net against a hung child, not a measurement
DISK_BYTES = 512 * 1024  # B: the whole tmpfs
RAISE = "straight-leg-raise"
SQUAT = "wall-squat"


def _history_with_a_session_cut_off() -> None:
    """Sessions over two weeks, a level down yesterday, and a session cut off today."""
    store = HistoryStore.open()
    try:
        wall = WallClock()
        scribe = Scribe(HistorySink(store, wall_clock=wall), wall)
        today = (time.time() - T0) / DAY
        for day in range(14, 1, -1):
            scribe.whole_session(today - day, pain=2)
        scribe.start(today - 1, {RAISE: 3, SQUAT: 2}, levels={RAISE: 1})
        scribe.level(RAISE, 1, 0, "one-second-hold")
        scribe.exercise(RAISE, level=0)
        scribe.exercise(SQUAT)
        scribe.pain(SQUAT, 2)
        scribe.end()
        scribe.start(today - 0.01, {RAISE: 3, SQUAT: 2}, levels={RAISE: 0})
        scribe.sets(RAISE, 1, 2, level=0)
    finally:
        store.close()


@contextlib.contextmanager
def _moved_to_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The history folder, as it is, copied onto a small disk that is then filled.

    Yields the history's path there; the disk is unmounted at the end.
    """
    made = default_path()
    disk = tmp_path / "disk"
    mount_small_disk(disk, DISK_BYTES)
    try:
        data = disk / "data"
        shutil.copytree(made.parent, data / made.parent.name)
        monkeypatch.setenv("XDG_DATA_HOME", str(data))
        path = default_path()
        assert path.is_file()
        fill(disk)
        yield path
    finally:
        subprocess.run(["umount", "-l", str(disk)], check=False)


@pytest.fixture
def full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The history (about 50 KB) on a full disk; yields the history's path there."""
    _history_with_a_session_cut_off()
    assert 40_000 < default_path().stat().st_size < 200_000
    with _moved_to_a_full_disk(tmp_path, monkeypatch) as path:
        yield path


def _state(folder: Path) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(folder.iterdir())]


def _coach(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "coach", *args], input=stdin, capture_output=True, text=True,
        cwd=REPO, timeout=TIMEOUT_SECONDS, check=False,
    )


def test_history_lists_the_sessions_and_says_the_disk_is_full(full_disk: Path) -> None:
    before = _state(full_disk.parent)
    done = _coach("history", "--json")
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"coach: {phrase('disk_full_note', path=full_disk)}\n"
    assert "the disk is full" in done.stderr and "nothing new will be kept" in done.stderr
    sessions = json.loads(done.stdout)["sessions"]
    assert len(sessions) == 15
    assert _state(full_disk.parent) == before  # no -shm or -wal left beside it


PREPARE = """
import argparse, json, time
from coach.cli.start import session_for
from coach.program.loader import find_program
from coach.runtime.assembly import carried_from_history
args = argparse.Namespace(program="medial-knee", condition=[], side="left", no_history=False)
now = time.time()
prepared = session_for(args, now=now)
session = prepared.session
carried = carried_from_history(prepared.store, find_program("medial-knee"), now)
point = carried.resume
print(json.dumps({"levels": session.levels, "notes": list(session.notes),
                  "resume": None if point is None else [point.exercise_id, point.set_number]}))
prepared.close()
"""


def test_start_keeps_levels_and_the_resume_offer_and_says_once_nothing_is_kept(
    full_disk: Path,
) -> None:
    before = _state(full_disk.parent)
    done = subprocess.run([sys.executable, "-c", PREPARE], capture_output=True, text=True,
                          cwd=REPO, timeout=TIMEOUT_SECONDS, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no "Carrying on without history"
    found = json.loads(done.stdout)
    assert found["levels"][RAISE] == 0  # yesterday's easier level, not the default (1)
    assert found["resume"] == [RAISE, 3]  # today's session was cut off before its third set
    assert found["notes"][0] == phrase("disk_full_session")
    assert [n for n in found["notes"] if "disk" in n] == [phrase("disk_full_session")]
    done = _coach("start", "--keys", "--side", "left", "--no-times")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert _state(full_disk.parent) == before


def test_check_says_the_disk_is_full_and_what_to_do(full_disk: Path) -> None:
    done = _coach("check", "--output-device", "none such", "--input-device", "none such")
    line = next(x for x in done.stdout.splitlines() if "history file" in x)
    assert line.startswith(f"FAILED: history file: {phrase('disk_full_note', path=full_disk)}"
                           .rstrip("."))
    assert "free some space" in line


def test_a_session_cut_off_before_the_disk_filled_is_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Its last records are still in the -wal file beside it: read, not folded in."""
    killed_in_a_set()
    assert Path(f"{default_path()}-wal").stat().st_size > 0
    with _moved_to_a_full_disk(tmp_path, monkeypatch) as path:
        before = _state(path.parent)
        done = _coach("history", "--json")
        assert done.returncode == 0, done.stderr
        assert done.stderr == f"coach: {phrase('disk_full_note', path=path)}\n"
        (session,) = json.loads(done.stdout)["sessions"]
        assert (session["sets_done"], session["finished"]) == (4, "cut off")
        assert [name for name, _ in _state(path.parent)] == [name for name, _ in before]
