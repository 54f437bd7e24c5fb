#!/usr/bin/env python3
"""Soak run: an hour of coaching at accelerated time, through the runner and the playout.

Sessions of the bundled routine run back to back on one Playout (real
espeak-ng speech, mixed block by block as the live pump does) until the
session clock reaches the target. A scripted user says "go" when asked,
answers the pain question, asks "how many left" now and then and pauses and
resumes every few minutes. Printed at the end:

- beat timing: how far each beat (a count, a cue word, a tone) started from
  its ideal time, on the audio timeline (it must stay within 5 ms);
- beats the playout cut before they started (a beat yields rather than be
  late), by cause: a reply the person asked for was planned or playing, a
  pause they asked for stopped the voice, or neither (the plan's own phrase
  before the beat did not fit: a defect, heard as a missing word);
- beats cut short by the next beat: a beat's phrase faded out before its end
  (more than its natural 30 ms decay lost), so part of its words went unheard;
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

from coach.audio.format import BLOCK_FRAMES, RATE_HZ
from coach.commands.parser import load_vocabulary, parse
from coach.core.actions import Action, Cue, Say, StopSpeaking
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
from coach.speech_out.render import TAIL_SECONDS

STATUS_EVERY_SECONDS = 97.0
PAUSE_EVERY_SECONDS = 300.0
BEAT_LIMIT_SECONDS = 0.005


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class BeatWatch:
    """The runner's sink in front of the playout: it hands every action on and
    watches the beats (Say with ``at``): when each was due, when it started,
    which were dropped and why.

    The soak sets ``asking`` while the runner handles something the person
    said: a Say without a beat handed out then is a reply to them, and a
    StopSpeaking is their pause (or stop). A beat dropped while a reply is
    planned or playing, or by that StopSpeaking, was cut by what the person
    asked for; any other dropped beat was cut in plain counting.
    """

    def __init__(self, playout: Playout) -> None:
        self.playout = playout
        self.due: dict[int, float] = {}  # beat id -> its beat (s), until it starts or is dropped
        self.phrases: dict[int, tuple[str, int]] = {}  # beat id -> its text, its length
        self.playing: dict[int, float] = {}  # beat id -> when it started, until it is done
        self.errors: list[float] = []
        self.tones = 0
        self.asking = False
        self.replies: set[int] = set()  # replies to the person, planned or playing
        self.stopped: set[int] = set()  # beats playing when the person's pause stopped the voice
        self.cut_by_reply = 0
        self.cut_by_pause = 0
        self.cut_plain = 0
        self.cut_short = 0
        self.notes: list[str] = []  # each beat cut with no reply or pause involved, or cut short

    def __call__(self, action: Action, now: float) -> list[Event]:
        if isinstance(action, Say) and action.at is not None:
            self.due[action.id] = action.at
        elif isinstance(action, Say) and self.asking:
            self.replies.add(action.id)
        elif isinstance(action, Cue) and action.at is not None:
            self.tones += 1
        elif isinstance(action, StopSpeaking) and self.asking:
            self.stopped |= set(self.playing)
        events = self.playout.submit(action, now)
        if isinstance(action, Say) and action.at is not None:
            pcm = self.playout.phrases.get(action.text, self.playout.voice, self.playout.rate_wpm)
            self.phrases[action.id] = (action.text, len(pcm))  # a memory hit: submit fetched it
        for event in events:  # phrases this action dropped before they started
            if not isinstance(event, SpeechDone):
                continue
            self.replies.discard(event.utterance_id)
            if self.due.pop(event.utterance_id, None) is None:
                continue
            if isinstance(action, StopSpeaking) and self.asking:
                self.cut_by_pause += 1
            elif self.replies:  # a reply is planned or playing (or is this action)
                self.cut_by_reply += 1
            else:
                self._cut_plain(event.utterance_id, event.at)
        return events

    def started(self, event: SpeechStarted) -> None:
        due = self.due.pop(event.utterance_id, None)
        if due is not None:
            self.errors.append(event.at - due)
            self.playing[event.utterance_id] = event.at

    def done(self, event: SpeechDone) -> None:
        uid = event.utterance_id
        self.replies.discard(uid)
        if self.due.pop(uid, None) is not None:  # dropped while the audio played on
            if self.replies:
                self.cut_by_reply += 1
            else:
                self._cut_plain(uid, event.at)
        started = self.playing.pop(uid, None)
        if started is None or not event.interrupted:
            return
        text, samples = self.phrases.get(uid, ("", 0))
        lost = started + samples / RATE_HZ - event.at
        if uid in self.stopped or lost <= TAIL_SECONDS + 1e-6:
            return
        self.cut_short += 1
        self.notes.append(f"cut short: {text!r} lost its last {lost:.2f} s at {event.at:.1f} s")

    def _cut_plain(self, uid: int, at: float) -> None:
        self.cut_plain += 1
        text, _ = self.phrases.get(uid, ("", 0))
        self.notes.append(f"cut before it started: {text!r} at {at:.1f} s")

    def new_session(self) -> None:
        """Utterance ids start again at 1 in each session."""
        self.cut_plain += len(self.due)  # none is expected: each beat is started or dropped
        self.due.clear()
        self.phrases.clear()
        self.playing.clear()
        self.replies.clear()
        self.stopped.clear()


def soak(minutes: float, *, settings: Settings | None = None,
         notes: list[str] | None = None) -> dict[str, Any]:
    """The figures of a soak run; ``notes`` receives a line per beat cut with no
    reply or pause involved, and per beat cut short."""
    settings = settings or Settings()
    program = load_bundled("medial-knee")
    vocab = load_vocabulary()
    playout = Playout(PhraseCache(Pyttsx3Renderer()), settings)
    watch = BeatWatch(playout)
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
            runner = Runner(session, [watch])
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
                    watch.asking = True
                    try:
                        runner.feed(Heard(command.intent, line, 1.0, now, command.number))
                    finally:
                        watch.asking = False
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
    if notes is not None:
        notes.extend(watch.notes)
    errors = [abs(e) for e in watch.errors]
    errors.sort()
    return {
        "session_minutes": round(playout.frames_pulled / RATE_HZ / 60, 1),
        "wall_seconds": round(wall, 1),
        "speed": round(playout.frames_pulled / RATE_HZ / max(wall, 1e-6), 1),
        "sessions": sessions,
        "commands": commands,
        "beats": len(errors),
        "beats_cut_by_reply": watch.cut_by_reply,
        "beats_cut_by_pause": watch.cut_by_pause,
        "beats_cut_plain": watch.cut_plain,
        "beats_cut_short": watch.cut_short,
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
    notes: list[str] = []
    figures = soak(args.minutes, notes=notes)
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        width = max(len(k) for k in figures)
        for key, value in figures.items():
            print(f"{key:<{width}}  {value}")
        for note in notes:
            print(note)
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
        "beats_cut_by_reply": ("beats cut before they started by a reply the person asked for", ""),
        "beats_cut_by_pause": ("beats cut before they started by a pause the person asked for", ""),
        "beats_cut_plain": ("beats cut before they started, no reply or pause involved", ""),
        "beats_cut_short": ("beats cut short by the next beat (more than their 30 ms decay)", ""),
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
