"""Ctrl-C: the coach says only what is true about what was kept, and exits 130.
``--plain`` keys mode prints plain lines for a screen reader."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from coach.core.session import Session
from coach.core.states import State
from coach.history import HistorySink, HistoryStore
from coach.program.loader import load_bundled
from coach.program.model import Side
from coach.runtime.messages import interrupted_line, runtime_line
from coach.settings import Settings
from coach.runtime.scripted_session import SessionHarness
from coach.spoken_text import load_lines

REPO = Path(__file__).resolve().parents[2]


def test_what_an_interruption_says_depends_on_what_was_kept(tmp_path: Path) -> None:
    session = Session(load_bundled("medial-knee"), settings=Settings(), side=Side.LEFT, lines=load_lines())
    d = SessionHarness(session).start()
    assert interrupted_line(d.session, None) == runtime_line("interrupted_not_kept")
    store = HistoryStore.open(tmp_path / "history.sqlite3")
    try:
        sink = HistorySink(store)
        assert interrupted_line(d.session, sink) == runtime_line("interrupted_nothing_done")
        d.to_ready()
        d.hear("go")
        d.until_state(State.RESTING)  # a set is done: the next start offers to carry on
        assert interrupted_line(d.session, sink) == runtime_line("interrupted")
        assert "next time I will offer to carry on" in runtime_line("interrupted")
    finally:
        store.close()


def keys(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "coach", "start", "--keys", "--side", "left", *args],
        cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, bufsize=1, env=dict(os.environ))


def read_until(proc: subprocess.Popen[str], wanted: str, seen: list[str]) -> None:
    assert proc.stdout is not None
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        seen.append(line.rstrip("\n"))
        if wanted in line:
            return
    raise AssertionError(f"never printed {wanted!r}: {seen}")


def test_ctrl_c_without_history_says_nothing_was_kept_and_exits_130() -> None:
    proc = keys("--no-history")
    seen: list[str] = []
    try:
        read_until(proc, "Hello.", seen)
        proc.send_signal(signal.SIGINT)
        out, _ = proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert proc.returncode == 130
    last = out.strip().splitlines()[-1]
    assert last == runtime_line("interrupted_not_kept")
    assert "next time I will offer" not in out


def test_plain_lines_have_no_times_and_no_tones(private_home: Path) -> None:
    (private_home / "config" / "coach").mkdir(parents=True, exist_ok=True)
    (private_home / "config" / "coach" / "settings.yaml").write_text("verbosity: short\n")
    proc = keys("--no-history", "--plain")
    seen: list[str] = []
    try:
        read_until(proc, "Say go when you are ready.", seen)
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
        read_until(proc, "Lift.", seen)  # the start tone has sounded by now
        proc.send_signal(signal.SIGINT)
        proc.communicate(timeout=30)
    finally:
        proc.kill()
    assert seen[0] == "Hello. Let's do your knee exercises together."  # only the coach's words
    assert not any(line.startswith("coach:") for line in seen), seen
    assert "3" in seen and not any("tone" in line for line in seen)
