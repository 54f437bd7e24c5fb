"""A reader that stops reading (``coach voices | head -1``) ends coach quietly;
output that cannot be written (``coach programs > /dev/full``) is one line, not a traceback."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest


def _run_into_a_closed_pipe(*args: str) -> subprocess.CompletedProcess[bytes]:
    """Run coach with stdout a pipe whose reader has already gone, as after `head -1`."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run(
            [sys.executable, "-m", "coach", *args],
            stdin=subprocess.DEVNULL,
            stdout=write_end,
            stderr=subprocess.PIPE,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write_end)


@pytest.mark.parametrize(
    "args",
    [("voices",), ("demo", "--typed", "--no-history"), ("programs",)],
    ids=["voices", "demo", "programs"],
)
def test_a_closed_stdout_ends_quietly_with_the_status_of_a_closed_pipe(
    args: tuple[str, ...],
) -> None:
    done = _run_into_a_closed_pipe(*args)
    assert done.stderr == b""  # no BrokenPipeError traceback, no "Exception ignored"
    assert done.returncode == 128 + signal.SIGPIPE


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="this system has no /dev/full")
@pytest.mark.parametrize(
    "args", [("programs",), ("voices",), ("show", "medial-knee")], ids=["programs", "voices", "show"]
)
def test_output_to_a_full_disk_is_one_line_and_a_failure(args: tuple[str, ...]) -> None:
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [sys.executable, "-m", "coach", *args],
            stdin=subprocess.DEVNULL, stdout=full, stderr=subprocess.PIPE, timeout=120,
            check=False,
        )
    err = done.stderr.decode()
    assert done.returncode == 1, err
    assert err.count("\n") == 1, err  # no traceback, no "Exception ignored"
    assert err.startswith("coach: ") and "No space left on device" in err
