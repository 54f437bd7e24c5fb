"""``coach hear``, the tests and the benchmark hear with the live coach's numerics.

The live coach keeps OpenBLAS on one thread (its echo canceller's small
solves). The thread count also changes the last bit of a few of Whisper's
log-mel features, and that was enough to write one recorded "up" as "Right,
right, right," at "Which knee?" in one case and "up" in the other. Every
listener is made with OpenBLAS on one thread, whoever asks for it; each
check runs in a fresh process, where OpenBLAS still has its own threads.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

def threads_after(code: str) -> tuple[list[int], list[int]]:
    """OpenBLAS's thread counts in a fresh process before and after ``code``."""
    script = textwrap.dedent(f"""
        import json
        from coach.blas_threads import blas_threads
        before = blas_threads()
        {code}
        print(json.dumps([before, blas_threads()]))
    """)
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "2", "OMP_NUM_THREADS": "2"}
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          env=env, check=False, timeout=120)
    assert done.returncode == 0, done.stderr
    before, after = json.loads(done.stdout.strip().splitlines()[-1])
    return before, after


@pytest.mark.parametrize("code", [
    "from coach.speech_in.command_listener import make_listener; make_listener('sphinx')",
    "from coach.speech_in.command_listener import open_listener; open_listener('sphinx')",
], ids=["make_listener (coach hear, the benchmark)", "open_listener (the live coach)"])
def test_every_listener_is_made_with_openblas_on_one_thread(code: str) -> None:
    before, after = threads_after(code)
    if not before:
        pytest.skip("numpy here does not use OpenBLAS")
    if min(before) < 2:
        pytest.skip("OpenBLAS has one thread here whatever is asked (one processor)")
    assert after == [1] * len(after)
