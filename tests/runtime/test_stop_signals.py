"""SIGTERM and SIGHUP in every mode: the same honest line as Ctrl-C, and 143 / 129 (130).

Real signals to real processes: keys mode, the live coach (no sound device:
its words are printed), the demo and a replay. Each is signalled once it has
printed its first line, while it still has a long way to go.
"""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from coach.runtime.messages import runtime_line

REPO = Path(__file__).resolve().parents[2]
A_DAY = """\
program: medial-knee
side: left
steps:
  - wait_for: "Say go when you are ready"
  - advance: 86400
"""
NOT_KEPT = runtime_line("interrupted_not_kept")
NOTHING_DONE = runtime_line("interrupted_nothing_done")
DEMO_KEPT = runtime_line("interrupted_demo")


def modes(tmp: Path) -> dict[str, tuple[list[str], str]]:
    """Each mode's arguments, and the line it must end with."""
    script = tmp / "a-day.yaml"
    script.write_text(A_DAY)
    return {
        "keys": (["start", "--keys", "--side", "left"], NOTHING_DONE),
        "live": (["start", "--no-listen", "--side", "left", "--no-history",
                  "--output-device", "no such speaker"], NOT_KEPT),
        "demo": (["demo", "--typed"], DEMO_KEPT),
        "replay": (["replay", str(script)], NOT_KEPT),
    }


@pytest.mark.parametrize("mode", ["keys", "live", "demo", "replay"])
@pytest.mark.parametrize(("name", "code"), [("SIGTERM", 143), ("SIGHUP", 129), ("SIGINT", 130)])
def test_a_signal_ends_every_mode_with_the_honest_line(
        mode: str, name: str, code: int, tmp_path: Path) -> None:
    argv, last_line = modes(tmp_path)[mode]
    proc = subprocess.Popen([sys.executable, "-m", "coach", *argv], cwd=REPO,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, bufsize=1, env=dict(os.environ))
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    seen: list[str] = []
    try:
        while not any("Hello." in line for line in seen):
            line = lines.get(timeout=120)  # a liveness bound, not a timing assert
            assert line is not None, f"ended before its first line: {seen}"
            seen.append(line)
        proc.send_signal(getattr(signal, name))
        returncode = proc.wait(timeout=60)
    finally:
        proc.kill()
    while (rest := lines.get(timeout=10)) is not None:
        seen.append(rest)
    assert proc.stderr is not None
    err = proc.stderr.read()
    assert returncode == code, (seen[-3:], err)
    assert seen[-1] == last_line, seen[-3:]
    assert "Traceback" not in err, err


@pytest.mark.parametrize("mode", ["keys", "live"])
def test_closing_the_terminal_ends_the_coach_with_129_and_no_traceback(
        mode: str, tmp_path: Path) -> None:
    """The terminal itself goes away: the kernel sends SIGHUP, and writing to it fails."""
    import pty
    import time

    argv = [sys.executable, "-m", "coach", *modes(tmp_path)[mode][0]]
    errors = tmp_path / "stderr.txt"
    pid, terminal = pty.fork()  # the child's controlling terminal is this pseudo-terminal
    if pid == 0:  # the child: its errors to a file, then the coach
        try:
            fd = os.open(errors, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
            os.dup2(fd, 2)
            os.chdir(REPO)
            os.execv(argv[0], argv)
        finally:
            os._exit(127)  # never back into the tests
    shown = b""
    try:
        while b"Hello." not in shown:
            shown += os.read(terminal, 4096)
    finally:
        os.close(terminal)  # the terminal is closed: SIGHUP, then writes fail
    deadline = time.monotonic() + 60  # a liveness bound
    while (ended := os.waitpid(pid, os.WNOHANG))[0] == 0:
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            raise AssertionError("the coach did not end when its terminal closed")
        time.sleep(0.05)
    assert os.waitstatus_to_exitcode(ended[1]) == 129, errors.read_text()
    assert "Traceback" not in errors.read_text()


IN_THE_CLOCKS_WAIT = """\
import os, signal, sys, threading
from coach.runtime.clock import WallClock
from coach.runtime.loop import Ending, SessionLoop
from coach.runtime.stop_signals import StopOnSignal


class Forever:
    ended = False

    def start(self, now): pass

    def feed(self, event): pass


wake = threading.Event()  # what a microphone block or a typed line sets
loop = SessionLoop(Forever(), WallClock(0.01, wake))
with StopOnSignal() as stop:
    stop.attach(loop)
    loop.start()
    with wake._cond:  # the main thread inside the clock's wait or clear, holding its lock
        os.kill(os.getpid(), signal.SIGHUP)
        for _ in range(1000):  # the handler runs here, on this thread
            pass
    ending = loop.run()
print(ending is Ending.STOPPED, stop.exit_code, flush=True)
sys.exit(stop.exit_code)
"""


def test_a_signal_in_the_middle_of_the_clocks_wait_still_ends_the_run() -> None:
    """Python runs a handler on the main thread between two of its instructions,
    wherever it is: inside the clock's ``wait``, with the wake event's lock
    held. A handler that set that event waited for that lock for ever (the
    live coach, once in a few hundred SIGHUPs, never exited)."""
    proc = subprocess.run([sys.executable, "-c", IN_THE_CLOCKS_WAIT], cwd=REPO,
                          capture_output=True, text=True, timeout=60)  # a liveness bound
    assert (proc.returncode, proc.stdout.strip()) == (129, "True 129"), proc.stderr
