#!/usr/bin/env python3
"""Soak run: an hour of coaching at accelerated time, through the runner and the playout.

Sessions of the bundled routine run back to back on one Playout (real
espeak-ng speech, mixed block by block as the live pump does) until the
session clock reaches the target. A scripted user says "go" when asked,
answers the pain question, asks "how many left" now and then and pauses and
resumes every few minutes. Printed at the end:

- beat timing: how far each beat (a count, a cue word, a tone) started from
  its ideal time, on the audio timeline (it must stay within 5 ms);
- memory: resident set size at the start, after the first session, at the end;
- threads alive at the start and at the end.

Usage: .venv/bin/python scripts/soak.py [--minutes 60] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from coach.commands.parser import load_vocabulary, parse
from coach.core.actions import Action, Cue, Say
from coach.core.events import Event, Heard, SpeechDone, SpeechStarted, Tick
from coach.core.session import Session
from coach.core.states import State
from coach.program.loader import load_bundled
from coach.program.model import Side
from coach.runtime.runner import Runner
from coach.settings import Settings
from coach.speech_out.cache import PhraseCache
from coach.speech_out.engine import Pyttsx3Renderer
from coach.speech_out.playout import Playout

RATE_HZ = 16000
BLOCK_FRAMES = 160
STATUS_EVERY_SECONDS = 97.0
PAUSE_EVERY_SECONDS = 300.0
BEAT_LIMIT_SECONDS = 0.005


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class BeatWatch:
    """A sink that remembers when each beat was due; SpeechStarted says when it played."""

    def __init__(self) -> None:
        self.due: dict[int, float] = {}
        self.errors: list[float] = []
        self.tones = 0
        self.dropped = 0  # beats cut before they started (a count yields rather than be late)

    def __call__(self, action: Action, now: float) -> list[Event]:
        if isinstance(action, Say) and action.at is not None:
            self.due[action.id] = action.at
        elif isinstance(action, Cue) and action.at is not None:
            self.tones += 1
        return []

    def started(self, event: SpeechStarted) -> None:
        due = self.due.pop(event.utterance_id, None)
        if due is not None:
            self.errors.append(event.at - due)

    def done(self, event: SpeechDone) -> None:
        if self.due.pop(event.utterance_id, None) is not None:
            self.dropped += 1

    def new_session(self) -> None:
        """Utterance ids start again at 1 in each session."""
        self.dropped += len(self.due)
        self.due.clear()


def soak(minutes: float, *, settings: Settings | None = None) -> dict[str, Any]:
    settings = settings or Settings()
    program = load_bundled("medial-knee")
    vocab = load_vocabulary()
    playout = Playout(PhraseCache(Pyttsx3Renderer()), settings)
    watch = BeatWatch()
    threads_start = threading.active_count()
    rss_start = rss_mb()
    rss_after_first: float | None = None
    sessions = commands = 0
    limit = int(minutes * 60 * RATE_HZ)
    started = time.monotonic()
    said_at = {"status": 0.0, "pause": 0.0}
    try:
        while playout.frames_pulled < limit:
            session = Session(program, settings=settings, side=Side.LEFT)
            runner = Runner(session, [playout.submit, watch])
            watch.new_session()
            runner.start(playout.next_sample_at())
            sessions += 1
            state_since, last_state, pending = 0.0, session.state, None
            while not runner.ended and playout.frames_pulled < limit:
                now = playout.next_sample_at()
                if session.state is not last_state:
                    state_since, last_state = now, session.state
                line = pending or _user(session.state, now - state_since, now, said_at)
                pending = None
                if line is not None:
                    command = parse(line, vocab)
                    assert command is not None, line
                    runner.feed(Heard(command.intent, line, 1.0, now, command.number))
                    commands += 1
                runner.feed(Tick(now + BLOCK_FRAMES / RATE_HZ))
                playout.pull(BLOCK_FRAMES)
                for event in playout.drain_events():
                    if isinstance(event, SpeechStarted):
                        watch.started(event)
                    elif isinstance(event, SpeechDone):
                        watch.done(event)
                    if not runner.ended:
                        runner.feed(event)
            if rss_after_first is None:
                rss_after_first = rss_mb()
    finally:
        playout.phrases.renderer.close()  # type: ignore[attr-defined]
    wall = time.monotonic() - started
    errors = [abs(e) for e in watch.errors]
    errors.sort()
    return {
        "session_minutes": round(playout.frames_pulled / RATE_HZ / 60, 1),
        "wall_seconds": round(wall, 1),
        "speed": round(playout.frames_pulled / RATE_HZ / max(wall, 1e-6), 1),
        "sessions": sessions,
        "commands": commands,
        "beats": len(errors),
        "beats_dropped": watch.dropped,
        "tones": watch.tones,
        "beat_error_max_ms": round(1000 * (errors[-1] if errors else 0.0), 3),
        "beat_error_p99_ms": round(1000 * (errors[int(0.99 * (len(errors) - 1))]
                                           if errors else 0.0), 3),
        "beats_late_over_5ms": sum(e > BEAT_LIMIT_SECONDS for e in errors),
        "rss_start_mb": round(rss_start, 1),
        "rss_after_first_session_mb": round(rss_after_first or rss_mb(), 1),
        "rss_end_mb": round(rss_mb(), 1),
        "threads_start": threads_start,
        "threads_end": threading.active_count(),
    }


def _user(state: State, in_state: float, now: float, said_at: dict[str, float]) -> str | None:
    """The scripted user: answers what is asked, and now and then asks something."""
    if state is State.READY and in_state >= 1.0:
        return "go"
    if state is State.ASK_PAIN and in_state >= 1.0:
        return "two"
    if state is State.PAUSED and in_state >= 2.0:
        return "go"
    if state is State.CONFIRM_STOP and in_state >= 1.0:
        return "no"
    if state is State.ASK_SIDE and in_state >= 1.0:
        return "left"
    if state is State.WORKING and in_state >= 5.0:
        if now - said_at["pause"] >= PAUSE_EVERY_SECONDS:
            said_at["pause"] = now
            return "pause"
        if now - said_at["status"] >= STATUS_EVERY_SECONDS:
            said_at["status"] = now
            return "how many left"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60.0, help="session minutes (60)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    figures = soak(args.minutes)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        width = max(len(k) for k in figures)
        for key, value in figures.items():
            print(f"{key:<{width}}  {value}")
    ok = figures["beats_late_over_5ms"] == 0
    print("Beats within 5 ms: " + ("yes" if ok else "NO"))
    from readme_figures import machine_line, table, update_readme

    labels = {
        "session_minutes": ("session time", "minutes"),
        "wall_seconds": ("wall time", "s"),
        "speed": ("speed-up over real time", "x"),
        "sessions": ("sessions run", ""),
        "commands": ("commands from the scripted user", ""),
        "beats": ("beats played (counts, cue words)", ""),
        "beats_dropped": ("beats cut before they started (a count yields rather than be late)", ""),
        "tones": ("beat tones", ""),
        "beat_error_max_ms": ("beat start error, max", "ms"),
        "beat_error_p99_ms": ("beat start error, 99th percentile", "ms"),
        "beats_late_over_5ms": ("beats more than 5 ms off", ""),
        "rss_start_mb": ("memory (RSS) at the start", "MB"),
        "rss_after_first_session_mb": ("memory (RSS) after the first session", "MB"),
        "rss_end_mb": ("memory (RSS) at the end", "MB"),
        "threads_start": ("threads at the start", ""),
        "threads_end": ("threads at the end", ""),
    }
    rows = []
    for key, value in figures.items():
        name, unit = labels.get(key, (key.replace("_", " "), ""))
        rows.append((name, f"{value}{unit}" if unit == "x" else f"{value} {unit}".strip()))
    rows.append(("beats within 5 ms", "yes" if ok else "no"))
    update_readme("soak", f"Command: `.venv/bin/python scripts/soak.py --minutes {args.minutes:g}`"
                  "\n\n" + table(("measure", "value"), rows) + "\n\n" + machine_line())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
