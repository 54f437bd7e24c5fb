#!/usr/bin/env python3
"""How fast the history file is: writing one record, opening, and the questions
the session asks at start-up, over a year of sessions. Prints figures; asserts nothing.

    .venv/bin/python scripts/bench_history.py [--sessions N]

Works in a temporary folder; your own history is not touched.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from readme_figures import machine_line, table, update_readme

from coach.core.actions import Log
from coach.core.pain import PainWhen
from coach.core.records import (
    ExerciseDone,
    PainRated,
    Record,
    SessionFinished,
    SessionStarted,
    SetDone,
)
from coach.history import HistorySink, HistoryStore, default_path
from coach.program.model import Side

DAY = 86_400.0
PLAN = {
    "straight-leg-raise": 3,
    "single-leg-balance": 2,
    "seated-knee-extension": 3,
    "resisted-side-stepping": 2,
    "step-up": 3,
    "wall-squat": 3,
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=365)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        os.environ["XDG_DATA_HOME"] = home
        t = time.perf_counter()
        store = HistoryStore.open()
        created_ms = (time.perf_counter() - t) * 1000
        wall = [time.time() - args.sessions * DAY]
        sink = HistorySink(store, wall_clock=lambda: wall[0])
        latencies: list[float] = []

        def log(record: Record) -> None:
            t0 = time.perf_counter()
            sink(Log(record), record.at)
            latencies.append(time.perf_counter() - t0)

        for day in range(args.sessions):
            wall[0] += DAY
            at = 0.0
            log(SessionStarted(at, "medial-knee", Side.LEFT, tuple(PLAN), PLAN, {}))
            for exercise, sets in PLAN.items():
                for n in range(1, sets + 1):
                    at += 60
                    log(SetDone(at, exercise, n, of_sets=sets, reps=10, level=1, side=Side.LEFT))
                log(ExerciseDone(at, exercise, sets_done=sets, sets_planned=sets))
                log(PainRated(at, exercise, day % 7, PainWhen.AFTER_EXERCISE))
            log(SessionFinished(at + 1, completed=True, summary={}))
        store.close()
        size_kib = default_path().stat().st_size / 1024
        t = time.perf_counter()
        store = HistoryStore.open()
        open_ms = (time.perf_counter() - t) * 1000
        now = wall[0] + 3600
        t = time.perf_counter()
        store.levels("medial-knee")
        store.familiar("medial-knee")
        store.last_side("medial-knee")
        store.interruption("medial-knee")
        store.opening_notes("medial-knee", now)
        for exercise in PLAN:
            store.may_progress("medial-knee", exercise, now)
        start_ms = (time.perf_counter() - t) * 1000
        t = time.perf_counter()
        store.sessions(limit=None)
        list_ms = (time.perf_counter() - t) * 1000
        store.close()
    ms = sorted(x * 1000 for x in latencies)
    rows = [
        ("records written", f"{len(ms)} in {args.sessions} sessions, one transaction each"),
        ("write per record", (f"median {statistics.median(ms):.2f} ms, 95th percentile "
                              f"{ms[int(len(ms) * 0.95)]:.2f} ms, max {ms[-1]:.2f} ms")),
        ("file size", f"{size_kib:.0f} KiB"),
        ("create a new file", f"{created_ms:.1f} ms"),
        ("open an existing file (with quick_check)", f"{open_ms:.1f} ms"),
        ("start-up questions (levels, familiar, side, resume, notes, may_progress x6)",
         f"{start_ms:.1f} ms"),
        (f"load all {args.sessions} sessions for 'coach history'", f"{list_ms:.1f} ms"),
    ]
    for name, value in rows:
        print(f"{name}: {value}")
    update_readme("history", table(("measure", "value"), rows) + "\n\n" + machine_line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
