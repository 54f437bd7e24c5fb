"""Real processes: a writer killed mid-set, a reader beside a writer, a full disk,
a read-only home."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from writer import Writer

from coach.core.resume_point import ResumePoint
from coach.history import HistoryStore, default_path
from coach.program.loader import load_bundled
from coach.program.model import Side

WRITER = Path(__file__).resolve().parent / "writer.py"
REPO = Path(__file__).resolve().parents[2]
LINE_TIMEOUT_SECONDS = 60.0  # a safety net against a hung child, not a measurement


def _start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, str(WRITER), *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )


def _read_line(proc: subprocess.Popen[str]) -> str:
    assert proc.stdout is not None
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ)
        if not sel.select(LINE_TIMEOUT_SECONDS):
            proc.kill()
            pytest.fail(f"the writer printed nothing; stderr: {proc.communicate()[1]}")
    return proc.stdout.readline().strip()


def _run_writer(*args: str, **kwargs: object) -> str:
    done = subprocess.run(
        [sys.executable, str(WRITER), *args],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
        **kwargs,  # type: ignore[call-overload]
    )
    assert done.returncode == 0, done.stderr
    return str(done.stdout).strip()


def test_a_writer_killed_mid_set_resumes_at_that_set() -> None:
    proc = _start("crash")
    try:
        assert _read_line(proc) == "in-set"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait()
        for stream in (proc.stdin, proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert proc.returncode == -signal.SIGKILL
    store = HistoryStore.open()
    try:
        # Balance set 1 was logged, set 2 was under way: carry on at set 2.
        assert store.interrupted("medial-knee") == ResumePoint("single-leg-balance", 2, Side.LEFT)
        found = store.interruption("medial-knee", program=load_bundled("medial-knee"))
        assert found is not None
        assert found.where == "the single-leg balance, set 2 of 2"
        assert found.where in found.offer
        (session,) = store.sessions()
        assert session.completed is None
        assert session.sets_done == 4
        assert [p.rating for p in session.pain] == [3]
    finally:
        store.close()


def test_coach_history_reads_while_a_session_writes() -> None:
    proc = _start("stream")
    seen: list[int] = []
    try:
        assert _read_line(proc) == "writing"
        for _ in range(2):
            reader = subprocess.run(
                [sys.executable, "-m", "coach", "history", "--json", "--limit", "0"],
                capture_output=True,
                text=True,
                cwd=REPO,
                timeout=120,
                check=False,
            )
            assert reader.returncode == 0, reader.stderr
            (session,) = json.loads(reader.stdout)["sessions"]
            assert session["finished"] == "cut off"  # still running, no end yet
            seen.append(session["sets_done"])
        assert proc.stdin is not None
        proc.stdin.close()
        last = _read_line(proc)
    finally:
        proc.wait()
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()
    assert proc.returncode == 0
    assert last.startswith("wrote ")
    written = int(last.split()[1])
    # Each reader saw a consistent snapshot part-way through the writing.
    assert 1 <= seen[0] <= seen[1] < written
    store = HistoryStore.open()
    try:
        (session,) = store.sessions()
        assert session.sets_done == written
        assert session.completed is False
    finally:
        store.close()


def test_a_full_disk_raises_once_and_keeps_what_was_written() -> None:
    HistoryStore.open().close()
    size = default_path().stat().st_size
    result = json.loads(_run_writer("fill", str(size + 256 * 1024)))
    assert result["written"] >= 1
    assert "Could not save to the history file" in result["error"]
    assert "The disk may be full or read-only." in result["error"]
    store = HistoryStore.open()  # still a healthy file: every finished record is there
    try:
        (session,) = store.sessions()
        assert session.sets_done == result["written"]
    finally:
        store.close()


def test_a_full_disk_when_creating_leaves_no_file() -> None:
    out = _run_writer("open", "0")
    assert out.startswith("unavailable: Cannot create the history file")
    assert not default_path().exists()
    assert list(default_path().parent.iterdir()) == []


def _as_plain_user() -> list[str]:
    """Root ignores file modes: drop that power for the child, as a normal user has none."""
    if os.geteuid() != 0:
        return []
    return ["setpriv", "--bounding-set", "-dac_override,-dac_read_search,-fowner"]


def test_a_read_only_home_is_reported_not_crashed(private_home: Path) -> None:
    data_home = private_home / "data"
    os.chmod(data_home, 0o500)
    try:
        done = subprocess.run(
            [*_as_plain_user(), sys.executable, str(WRITER), "open"],
            capture_output=True,
            text=True,
            cwd=REPO,
            timeout=120,
            check=False,
        )
    finally:
        os.chmod(data_home, 0o700)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("unavailable: Cannot use the history folder")
    assert "writable" in done.stdout


def _read_only_mount(folder: Path) -> list[str]:
    """Run the child in its own mount namespace with ``folder`` remounted read-only."""
    remount = (
        f"mount --bind '{folder}' '{folder}' && mount -o remount,bind,ro '{folder}' '{folder}'"
    )
    probe = subprocess.run(
        ["unshare", "--mount", "sh", "-c", remount], capture_output=True, text=True, check=False
    )
    if probe.returncode != 0:
        pytest.skip(f"cannot make a read-only mount here: {probe.stderr.strip()}")
    return ["unshare", "--mount", "sh", "-c", remount + ' && exec "$0" "$@"']


def test_a_history_on_a_read_only_file_system_is_read_and_the_file_kept(
    private_home: Path,
) -> None:
    store = HistoryStore.open()
    Writer(store).start({"wall-squat": 3})
    store.close()
    path = default_path()
    before = sorted((p.name, p.read_bytes()) for p in path.parent.iterdir())
    done = subprocess.run(
        [*_read_only_mount(private_home), sys.executable, str(WRITER), "open"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == "opened read-only, sessions: 1\n"
    assert sorted((p.name, p.read_bytes()) for p in path.parent.iterdir()) == before
