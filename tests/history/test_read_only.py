"""A history that is read-only, made so for real: its file, its folder, or the whole disk.

It is read as usual; coach says once that nothing new will be kept; it never
writes a byte, never changes a mode, and never suggests deleting it.

Root ignores file modes, so as root the commands run with the power to
override them dropped (as a normal user has none); the disk case remounts
the test's home read-only in a mount namespace of its own. Where neither can
be done, the tests skip and say why.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from history_helpers import DAY, T0, Scribe, WallClock, killed_in_a_set

from coach.history import HistorySink, HistoryStore, default_path
from coach.history.phrases import phrase

REPO = Path(__file__).resolve().parents[2]
WRITER = Path(__file__).resolve().parent / "writer.py"
TIMEOUT_SECONDS = 120.0  # a safety net against a hung child, not a measurement
RAISE = "straight-leg-raise"
SQUAT = "wall-squat"


def _as_plain_user() -> list[str]:
    """Root ignores file modes: drop that power for the child, as a normal user has none."""
    if os.geteuid() != 0:
        return []
    if shutil.which("setpriv") is None:
        pytest.skip("root ignores file modes, and setpriv is not here to drop that power")
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]


def _read_only_mount(folder: Path) -> list[str]:
    """Run the child in its own mount namespace with ``folder`` remounted read-only."""
    if shutil.which("unshare") is None:
        pytest.skip("cannot make a read-only mount here: unshare is not installed")
    remount = (
        f"mount --bind '{folder}' '{folder}' && mount -o remount,bind,ro '{folder}' '{folder}'"
    )
    probe = subprocess.run(
        ["unshare", "--mount", "sh", "-c", remount], capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        pytest.skip(f"cannot make a read-only mount here: {probe.stderr.strip()}")
    return ["unshare", "--mount", "sh", "-c", remount + ' && exec "$0" "$@"']


@dataclass
class ReadOnly:
    """A history made read-only one way, and how to run a program under it."""

    path: Path
    prefix: list[str]

    def run(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*self.prefix, *args],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )

    def coach(self, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return self.run(sys.executable, "-m", "coach", *args, stdin=stdin)

    def state(self) -> list[tuple[str, int, bytes]]:
        """Every file beside the history, with its mode and bytes: nothing may change.

        Except what is in SQLite's shared-memory index (-shm), which exists only
        beside a -wal file and which every reader of it updates: it holds no
        history, only where things are in the -wal.
        """
        folder = self.path.parent
        files = [
            (p.name, p.stat().st_mode, b"" if p.name.endswith("-shm") else p.read_bytes())
            for p in sorted(folder.iterdir())
        ]
        return [(".", folder.stat().st_mode, b""), *files]


def _yesterday_and_the_day_before() -> None:
    """Two whole sessions; yesterday the straight leg raise went down a level."""
    store = HistoryStore.open()
    try:
        wall = WallClock()
        scribe = Scribe(HistorySink(store, wall_clock=wall), wall)
        today = (time.time() - T0) / DAY
        scribe.whole_session(today - 2, pain=2)
        scribe.start(today - 1, {RAISE: 3, SQUAT: 2}, levels={RAISE: 1})
        scribe.level(RAISE, 1, 0, "one-second-hold")
        scribe.exercise(RAISE, level=0)
        scribe.exercise(SQUAT)
        scribe.pain(SQUAT, 2)
        scribe.end()
    finally:
        store.close()


def _made_read_only(way: str, private_home: Path) -> Iterator[ReadOnly]:
    path = default_path()
    if way == "disk":
        yield ReadOnly(path, _read_only_mount(private_home))
        return
    target = path if way == "file" else path.parent
    mode = target.stat().st_mode
    os.chmod(target, 0o400 if way == "file" else 0o500)
    try:
        made = ReadOnly(path, _as_plain_user())
        probe = made.run(sys.executable, "-c", f"import os; print(os.access({str(target)!r}, 2))")
        if probe.returncode != 0 or probe.stdout.strip() != "False":
            pytest.skip(f"cannot make the {way} read-only here: {probe.stderr.strip()}")
        yield made
    finally:
        os.chmod(target, mode)


@pytest.fixture(params=["file", "folder", "disk"])
def read_only(request: pytest.FixtureRequest, private_home: Path) -> Iterator[ReadOnly]:
    _yesterday_and_the_day_before()
    yield from _made_read_only(request.param, private_home)


def test_history_lists_the_sessions_and_says_once_that_nothing_new_is_kept(
    read_only: ReadOnly,
) -> None:
    before = read_only.state()
    done = read_only.coach("history")
    assert done.returncode == 0, done.stderr
    assert done.stderr == f"coach: {phrase('read_only_note', path=read_only.path)}\n"
    assert len(done.stdout.splitlines()) == 3  # the heading and two sessions
    done = read_only.coach("history", "--summary")
    week = "This week: 2 sessions, 10 of 10 planned sets, pain steady at 2.\n"
    assert (done.returncode, done.stdout) == (0, week)
    assert read_only.state() == before


def test_forget_refuses_without_calling_it_damaged_or_suggesting_deleting_it(
    read_only: ReadOnly,
) -> None:
    before = read_only.state()
    done = read_only.coach("history", "--forget", "--yes")
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr == f"coach: {phrase('forget_read_only', path=read_only.path)}\n"
    assert "by hand" not in done.stderr and "damaged" not in done.stderr
    assert read_only.state() == before


PREPARE = """
import argparse, json, time
from coach.core.actions import Log
from coach.core.records import SessionStarted
from coach.cli.start import session_for
args = argparse.Namespace(program="medial-knee", condition=[], side="left", no_history=False)
prepared = session_for(args, now=time.time())
session = prepared.session
for sink in prepared.sinks:  # what a session logs first: nothing may be written
    sink(Log(SessionStarted(at=0.0, program="medial-knee", side=None, exercises=())), 0.0)
print(json.dumps({"levels": session.levels, "notes": list(session.notes)}))
prepared.close()
"""


def test_start_keeps_the_saved_levels_and_says_the_session_will_not_be_kept(
    read_only: ReadOnly,
) -> None:
    before = read_only.state()
    done = read_only.run(sys.executable, "-c", PREPARE)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""  # no "Carrying on without history"
    found = json.loads(done.stdout)
    assert found["levels"][RAISE] == 0  # yesterday's easier level, not the default (1)
    assert found["notes"][0] == phrase("read_only_session")
    assert "Last time you moved the straight leg raise down to one second hold." in found["notes"]
    done = read_only.coach("start", "--keys", "--side", "left", "--no-times")
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert done.stdout.endswith("End of input. Goodbye.\n")
    assert read_only.state() == before


def test_check_says_what_is_wrong_and_what_to_do(read_only: ReadOnly) -> None:
    done = read_only.coach("check", "--output-device", "none such", "--input-device", "none such")
    line = next(x for x in done.stdout.splitlines() if "history file" in x)
    path = read_only.path
    assert line == (
        f"FAILED: history file: {phrase('read_only_note', path=path).rstrip('.')}. What to do: "
        f"to keep new sessions, make the file and its folder writable again "
        f"(chmod u+w {path} {path.parent})."
    )


def test_a_session_cut_off_before_the_folder_became_read_only_is_read_whole(
    private_home: Path,
) -> None:
    """Its last records are still in the -wal file beside it, not yet folded in."""
    killed_in_a_set()
    wal = Path(f"{default_path()}-wal")
    assert wal.stat().st_size > 0
    for made in _made_read_only("folder", private_home):
        before = made.state()
        done = made.coach("history", "--json")
        assert done.returncode == 0, done.stderr
        (session,) = json.loads(done.stdout)["sessions"]
        assert (session["sets_done"], session["finished"]) == (4, "cut off")
        assert made.state() == before
