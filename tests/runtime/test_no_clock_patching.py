"""The clock comes in from outside: no test replaces ``time.time`` (or another clock) globally.

A test that patches the wall clock for the whole process also changes it for
everything else that runs meanwhile (the history's dates, the threads of the
live coach); ``coach.cli.start.session_for`` takes ``now`` and ``run`` takes a
``wall_clock`` instead.
"""

from __future__ import annotations

import re
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
PATCHING = re.compile(r"""setattr\(\s*(?:["']time\.\w+["']|time\s*,\s*["']\w+["'])""")


def patches(root: Path) -> list[str]:
    return [f"{path.relative_to(root)}:{number}"
            for path in sorted(root.rglob("*.py"))
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
            if PATCHING.search(line) and path != Path(__file__).resolve()]


def test_no_test_patches_the_clock() -> None:
    found = patches(TESTS)
    assert not found, "pass the time in instead of patching the clock: " + ", ".join(found)


def test_the_scan_sees_both_ways_of_patching(tmp_path: Path) -> None:
    (tmp_path / "a.py").write_text('monkeypatch.setattr("time.time", lambda: 0.0)\n')
    (tmp_path / "b.py").write_text('monkeypatch.setattr(time, "monotonic", lambda: 0.0)\n')
    (tmp_path / "c.py").write_text('monkeypatch.setattr("sys.stdin", io.StringIO(""))\n')
    assert patches(tmp_path) == ["a.py:1", "b.py:1"]
