"""Golden transcripts: what the coach says, when, and what it records, kept line for line.

Each replay script and the typed demo run as ``coach`` runs them; their
printed transcript (every line, with its time), their JSON output and the
history they write are compared with the files in ``expected/``. A change in
any of them is a change in behaviour: the failure shows the lines that
differ. The demo speaks through the real synthesisers (espeak-ng for the coach,
Flite for the virtual user), so its files hold for the versions
``scripts/setup`` installs.

After a change in behaviour that is meant, write the files again with
``COACH_GOLDEN_UPDATE=1 .venv/bin/python -m pytest tests/golden`` and review
the diff before committing it.
"""

from __future__ import annotations

import difflib
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from coach.cli import main

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
EXPECTED = HERE / "expected"
UPDATE = os.environ.get("COACH_GOLDEN_UPDATE") == "1"

SCRIPTS = sorted(REPO.glob("examples/*.yaml")) + [
    REPO / "tests" / "runtime" / "scripts" / "full-session.yaml",
    HERE / "scripts" / "pain-and-stopping.yaml",
    HERE / "scripts" / "resume-and-tones.yaml",
    HERE / "scripts" / "sides.yaml",
    HERE / "scripts" / "opening-detours.yaml",
    HERE / "scripts" / "choose-routine.yaml",
]
# The history's tables, without the wall-clock columns (the date the test runs).
TABLES = ("records", "sessions", "session_exercises", "sets", "pain", "level_changes")
MAX_DIFF_LINES = 120


def compare(name: str, actual: str) -> None:
    """``actual`` must equal the golden file ``name``, line for line."""
    path = EXPECTED / name
    if UPDATE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        return
    assert path.exists(), f"{path} is missing: write it with COACH_GOLDEN_UPDATE=1"
    expected = path.read_text(encoding="utf-8")
    if actual == expected:
        return
    diff = list(
        difflib.unified_diff(
            expected.splitlines(), actual.splitlines(), f"expected/{name}", "now", lineterm=""
        )
    )
    shown = "\n".join(diff[:MAX_DIFF_LINES])
    more = len(diff) - MAX_DIFF_LINES
    if more > 0:
        shown += f"\n... and {more} more lines of diff"
    pytest.fail(f"{name} differs from its golden file:\n{shown}", pytrace=False)


def untimed(value: Any) -> Any:
    """``value`` without its session times (keys ``at``, ``*_at``, ``*_seconds``)."""
    if isinstance(value, dict):
        return {k: untimed(v) for k, v in value.items() if not is_time(k)}
    if isinstance(value, list):
        return [untimed(v) for v in value]
    return value


def is_time(name: str) -> bool:
    return name == "at" or name.endswith(("_at", "_seconds"))


def history_dump(path: Path, *, times: bool = True) -> str:
    """Every row the history file holds, table by table, wall-clock columns left out
    (and, without ``times``, the session times too, inside the JSON columns as well)."""
    conn = sqlite3.connect(path)
    try:
        out: list[str] = []
        for table in TABLES:
            columns = [
                row[1]
                for row in conn.execute(f"PRAGMA table_info({table})")
                if "wall" not in row[1] and (times or not is_time(row[1]))
            ]
            out.append(f"[{table}] " + " | ".join(columns))
            for row in conn.execute(f"SELECT {', '.join(columns)} FROM {table} ORDER BY rowid"):
                if not times:
                    row = tuple(
                        json.dumps(untimed(json.loads(v)), sort_keys=True)
                        if name in ("body", "summary") and v is not None
                        else v
                        for name, v in zip(columns, row)
                    )
                out.append(" | ".join(json.dumps(value) for value in row))
        return "\n".join(out) + "\n"
    finally:
        conn.close()


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_replay_transcript(script: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["replay", str(script)])
    compare(f"replay/{script.stem}.txt", capsys.readouterr().out)
    main(["replay", "--json", str(script)])
    compare(f"replay/{script.stem}.json", capsys.readouterr().out)


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.stem)
def test_replay_history(script: Path, tmp_path: Path) -> None:
    from coach.history import HistorySink, HistoryStore
    from coach.runtime.replay_run import Replay, load_script

    path = tmp_path / "history.sqlite3"
    store = HistoryStore.open(path)
    try:
        replay = Replay(load_script(script))
        replay.runner.sinks.append(HistorySink(store, wall_clock=lambda: 1_800_000_000.0))
        replay.run()
    finally:
        store.close()
    compare(f"replay/{script.stem}.history", history_dump(path))


def run_demo(*options: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "coach", "demo", "--typed", *options],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return done.stdout


def test_typed_demo(private_home: Path) -> None:
    """The demo without its times: its phrases are rendered by espeak-ng, whose
    length varies by a few samples from run to run, and the virtual user waits
    for the coach's sound to stop, so a time may move by a block (10 ms) or
    more. What is said, heard and recorded, and in which order, does not."""
    from coach.history import default_path

    out = run_demo("--no-times")
    # The one line that measures the computer, not the coach.
    kept = [line for line in out.splitlines() if not re.search(r"seconds of session in", line)]
    compare("demo/typed.txt", "\n".join(kept) + "\n")
    compare("demo/typed.history", history_dump(default_path(), times=False))

    result = json.loads(run_demo("--json", "--no-history"))
    for measured in ("wall_seconds", "speed"):
        result.pop(measured)
    compare("demo/typed.json", json.dumps(untimed(result), indent=2) + "\n")
