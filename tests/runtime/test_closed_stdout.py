"""A reader that stops reading (``coach voices | head -1``) ends coach quietly."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

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
