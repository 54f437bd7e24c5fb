"""scripts/faults.py: the fault-injection run against this coach.

The script runs the real coach in throwaway homes; these tests run the script
itself, as a person would, and read its table.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "faults.py"


def faults(*args: str, timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def totals(table: str) -> dict[str, int]:
    match = re.search(
        r"(\d+) attempts in [\d.]+ min: (\d+) held, (\d+) DEFECT, (\d+) skipped, (\d+) errors\.",
        table,
    )
    assert match, table[-2000:]
    names = ("attempts", "held", "DEFECT", "skipped", "errors")
    return dict(zip(names, map(int, match.groups())))


def test_attempts_are_grouped_with_a_fast_subset() -> None:
    every = faults("--list").stdout.splitlines()
    fast = faults("--list", "--fast").stdout.splitlines()
    count = int(every[-1].split()[0])
    assert count >= 90 and 40 <= int(fast[-1].split()[0]) < count
    groups = {line.split()[0] for line in every[:-1]}
    assert groups == {
        "program",
        "replay",
        "settings",
        "audio",
        "cache+out",
        "history",
        "signal",
        "model",
        "fetch",
        "misc",
    }
    # Every numbered defect of the fault report has an attempt that reproduces it.
    defects = {int(n) for n in re.findall(r"\(defect (\d+)\)", "\n".join(every))}
    assert defects == set(range(1, 15))


def test_a_coach_that_crashes_is_a_defect_and_a_non_zero_exit(tmp_path: Path) -> None:
    broken = tmp_path / "coach"
    broken.write_text(
        "#!/bin/sh\necho 'Traceback (most recent call last):' >&2\necho 'ValueError' >&2\nexit 1\n"
    )
    broken.chmod(0o755)
    done = faults("--coach", str(broken), "--only", "program_syntax_error", timeout=120)
    assert done.returncode == 1
    assert totals(done.stdout) == {"attempts": 1, "held": 0, "DEFECT": 1, "skipped": 0, "errors": 0}
    assert "exit 1; TRACEBACK" in done.stdout


@pytest.mark.slow
def test_crafted_archives_are_all_refused() -> None:
    done = faults("--only", "fetch", timeout=600)
    assert done.returncode == 0, done.stdout[-3000:]
    found = totals(done.stdout)
    assert found["held"] == found["attempts"] >= 14


@pytest.mark.slow
def test_the_fast_attempts_find_no_defect() -> None:
    done = faults("--fast")
    found = totals(done.stdout)
    assert found["DEFECT"] == 0 and found["errors"] == 0, done.stdout[-6000:]
    assert done.returncode == 0
