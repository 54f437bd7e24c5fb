#!/usr/bin/env python3
"""Speed figures for the session engine: a whole routine on a manual clock.

Runs the bundled routine from opening to summary (ticks every 50 ms, a
cooperative person saying "go" and rating pain 2), several times, and prints
session length, wall time, ticks per second and how late (in ms of session
time) any counted beat was dated against its tick.

    .venv/bin/python scripts/bench_session.py [RUNS]
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from coach.commands.intents import Intent
from coach.commands.parser import load_vocabulary, parse
from coach.core.actions import Action, Cue, Say
from coach.core.events import Heard
from coach.core.session import Session
from coach.core.states import State
from coach.program.loader import load_bundled
from coach.program.model import Side
from coach.runtime.scripted_session import SessionHarness
from coach.settings import Settings
from coach.spoken_text import load_lines

sys.path.insert(0, str(Path(__file__).resolve().parent))
from readme_figures import machine_line, table, update_readme

TICK = 0.05


def one_run() -> tuple[float, int, int, float]:
    program = load_bundled("medial-knee")
    session = Session(program, settings=Settings(), side=Side.LEFT, lines=load_lines())
    beats: list[tuple[float, float]] = []  # (deadline, tick time it was emitted on)

    def record(action: Action, now: float) -> list:
        if isinstance(action, (Say, Cue)) and action.at is not None:
            beats.append((action.at, now))
        return []

    run = SessionHarness(session, tick_seconds=TICK, sinks=[record], record=False)
    start = time.perf_counter()
    run.start()
    n = 0
    while not run.ended:
        n += 1
        run.tick()
        if session.state is State.READY:
            run.feed(Heard(Intent.GO, "go", 1.0, run.now))
        elif session.state is State.ASK_PAIN:
            run.feed(Heard(Intent.NUMBER, "two", 1.0, run.now, 2))
    wall = time.perf_counter() - start
    late = max(tick - at for at, tick in beats)
    return wall, n, len(beats), late


def main() -> int:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    walls = []
    for _ in range(runs):
        wall, ticks, beats, late = one_run()
        walls.append(wall)
    session_minutes = ticks * TICK / 60
    median = statistics.median(walls)
    vocab = load_vocabulary()
    texts = ["um, next please", "how many left", "pain seven", "let's go to the shop", "stop"] * 2000
    start = time.perf_counter()
    for text in texts:
        parse(text, vocab)
    per = (time.perf_counter() - start) / len(texts)
    rows = [
        ("routine", f"medial-knee, {session_minutes:.1f} minutes of session time"),
        ("ticks", f"{ticks} (every {TICK * 1000:.0f} ms); timed beats: {beats}"),
        ("wall time per run", (f"median {median * 1000:.0f} ms, best {min(walls) * 1000:.0f} ms "
                               f"over {runs} runs")),
        ("ticks per second of wall time", f"{ticks / median:,.0f}"),
        ("speed-up over real time", f"{ticks * TICK / median:,.0f}x"),
        ("latest beat, after its deadline", (f"{late * 1000:.1f} ms (beats are dated at their "
                                             "deadline; at most one tick)")),
        ("command parser", f"{per * 1e6:.1f} microseconds per utterance"),
    ]
    for name, value in rows:
        print(f"{name}: {value}")
    update_readme("session", table(("measure", "value"), rows) + "\n\n" + machine_line())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
