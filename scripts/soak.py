#!/usr/bin/env python3
"""Soak run: an hour of coaching on the one loop, with real speech, typed or spoken commands.

Sessions of the bundled routine run back to back on one Playout (real
espeak-ng speech, mixed block by block as the live pump does) until the
session clock reaches the target, each on the package's harness
(coach.testing) around the loop the live coach goes round. A scripted person
(scripts/soak_user.py) says "go" when asked, answers the pain question, asks
"how many left" now and then and pauses and resumes every few minutes.

Three ways to run it:

- accelerated, typed (the default): each command reaches the session the
  moment it is due; the session clock is the playout's, as fast as it goes;
- accelerated, spoken (``--recogniser``): the person says each command into
  a simulated room (coach.runtime.simulated_room), in real recordings where
  ../shared/audio has them and a synthesised voice (Flite) for the rest,
  over the coach's own voice coming back and a little noise; the real
  recogniser (Whisper by default) hears it, told what fits each moment;
- real time (``--realtime MINUTES``): the loop is paced by the wall clock,
  a pump thread pulls the playout as a sound card would (as live), and the
  recogniser decodes on its background worker while the count goes on.

Printed at the end:

- beat timing: how far each beat (a count, a cue word) started from its
  deadline, on the audio timeline (it must stay within 5 ms);
- beats the playout cut before they started (a beat yields rather than be
  late), by cause: a reply the person asked for was planned or playing, a
  pause they asked for stopped the voice, or neither (a defect, heard as a
  missing word); beats cut short by the next beat (more than their 30 ms
  decay lost);
- spoken: the phrases said, the commands heard, and the commands heard with
  nobody speaking (the coach's own voice taken as a command: must be 0);
- real time: the blocks a sound card would have waited for, how late the
  loop's steps came, and the recogniser's decodes;
- memory (resident set size) and threads at the start and the end.

Usage: .venv/bin/python scripts/soak.py [--minutes 60] [--recogniser] [--engine E]
       [--realtime MINUTES] [--json]
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

from soak_beats import BeatWatch
from soak_user import Asking, TypedPerson

from coach.audio.format import RATE_HZ
from coach.core.events import Event, Heard
from coach.program.loader import load_bundled
from coach.program.model import Side
from coach.runtime.assembly import build_session
from coach.runtime.clock import Clock, LiveClock, PlayoutClock
from coach.runtime.loop import Input
from coach.runtime.runner import Sink
from coach.runtime.voice_events import VoiceEvents
from coach.settings import Settings
from coach.speech_in.typed import TypedText
from coach.speech_out.cache import PhraseCache
from coach.speech_out.playout import Playout
from coach.speech_out.pyttsx3_renderer import Pyttsx3Renderer
from coach.testing import SessionHarness

BEAT_LIMIT_SECONDS = 0.005
TRY_AGAIN_SECONDS = 15.0  # a person not understood four times tries again after this
LOOP_SECONDS = 0.01  # the real-time loop's step, as live
LOOKAHEAD_SECONDS = 0.05  # ...and how far the session runs ahead of the pump, as live


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class WatchedVoice:
    """An input: the voice's events, seen by the beat watch on their way to the session."""

    def __init__(self, watch: BeatWatch, playout: Playout) -> None:
        self.watch = watch
        self.voice = VoiceEvents(playout)

    def events(self, now: float) -> Any:
        return self.watch.observe(self.voice.events(now))


class Speaking:
    """An input: the spoken person listens to the session and may say something (no events)."""

    def __init__(self, user: Any, microphone: Any) -> None:
        self.user = user
        self.microphone = microphone
        self.harness: SessionHarness | None = None  # the current session's

    def events(self, now: float) -> list[Event]:
        harness = self.harness
        if harness is not None and not harness.ended:
            self.user.watch(harness.session, now, now - self.microphone.last_sound)
        return []


class Steps:
    """An input that only times the loop: how late each step came, on the wall clock."""

    def __init__(self) -> None:
        self.last: float | None = None
        self.late: list[float] = []  # s each step came after the one before, beyond its step

    def events(self, now: float) -> list[Event]:
        t = time.monotonic()
        if self.last is not None:
            self.late.append(max(0.0, t - self.last - LOOP_SECONDS))
        self.last = t
        return []


class Spoken:
    """The person speaking into the simulated room, and what the recogniser made of it."""

    def __init__(self, engine: str | None, *, background: bool = False) -> None:
        from soak_voice import RecordedVoice, SoakScript

        from coach.runtime.recogniser import open_listener
        from coach.runtime.simulated_room import SimulatedMicrophone
        from coach.runtime.virtual_user import VirtualUser

        self.listener = listener = open_listener(engine, background=background)
        self.voice = RecordedVoice()
        self.user = VirtualUser(self.voice, script=SoakScript(), try_again_seconds=TRY_AGAIN_SECONDS)
        self.heard: list[Heard] = []
        self.microphone = SimulatedMicrophone(self.user.room, listener, heard=self._heard)
        self.speaking = Speaking(self.user, self.microphone)

    def _heard(self, heard: Heard) -> None:
        self.heard.append(heard)
        self.user.heard(heard)

    def inputs(self, watched: WatchedVoice) -> list[Input]:
        """The loop's inputs, in the demo's order: the room, the voice's events, the person."""
        return [self.microphone, watched, self.speaking]

    def figures(self) -> dict[str, Any]:
        from coach.runtime.demo_run import false_accepts

        said = self.user.said
        return {
            "recogniser": self.listener.description,
            "recordings": "real recordings" if self.voice.found else "none found: all synthesised",
            "phrases_said": len(said),
            "phrases_recorded": self.voice.recorded,
            "phrases_synthesised": self.voice.synthesised,
            "commands_heard": len(self.heard),
            "heard_with_nobody_speaking": len(false_accepts(said, self.heard)),
            "phrases_given_up": len(self.user.gave_up),
        }


def run_sessions(clock: Clock, playout: Playout, watch: BeatWatch, limit_seconds: float,
                 settings: Settings, inputs_for: Any, sinks: list[Sink]) -> dict[str, Any]:
    """Sessions back to back on ``clock`` until ``limit_seconds`` of session time."""
    program = load_bundled("medial-knee")
    sessions = commands = 0
    rss_after_first: float | None = None
    while clock.now() < limit_seconds:
        session = build_session(program, settings, side=Side.LEFT)
        inputs, typed = inputs_for(session)
        harness = SessionHarness(session, voice=watch, sinks=sinks, clock=clock,
                                 inputs=inputs, record=False)
        watch.new_session(harness.runner)
        for source in inputs:
            if isinstance(source, Speaking):
                source.harness = harness
        harness.start()
        sessions += 1
        harness.run(limit_seconds=limit_seconds)
        commands += typed.commands if typed is not None else 0
        if rss_after_first is None:
            rss_after_first = rss_mb()
    return {"sessions": sessions, "commands": commands,
            "rss_after_first": rss_after_first or rss_mb()}


def soak(minutes: float, *, settings: Settings | None = None, notes: list[str] | None = None,
         recogniser: bool = False, engine: str | None = None) -> dict[str, Any]:
    """The figures of an accelerated soak run; ``notes`` receives a line per beat cut with
    no reply or pause involved, and per beat cut short."""
    settings = settings or Settings()
    playout = Playout(PhraseCache(Pyttsx3Renderer()), settings)
    watch = BeatWatch(playout)
    threads_start = threading.active_count()
    rss_start = rss_mb()
    clock = PlayoutClock(playout)
    watched = WatchedVoice(watch, playout)
    asking = Asking()  # how often they ask, across sessions
    spoken = Spoken(engine) if recogniser else None
    sinks: list[Sink] = []
    if spoken is not None:
        from coach.runtime.recogniser import ListenFor

        clock.played.append(spoken.microphone.played)
        sinks.append(ListenFor(spoken.listener))

    def inputs_for(session: Any) -> tuple[list[Input], TypedPerson | None]:
        if spoken is not None:
            return spoken.inputs(watched), None
        typed = TypedPerson(session, asking, TypedText())
        return [watched, typed], typed

    started = time.monotonic()
    try:
        run = run_sessions(clock, playout, watch, int(minutes * 60 * RATE_HZ) / RATE_HZ,
                           settings, inputs_for, sinks)
    finally:
        playout.phrases.renderer.close()  # type: ignore[attr-defined]
        if spoken is not None:
            spoken.listener.close()
    wall = time.monotonic() - started
    session_seconds = playout.frames_pulled / RATE_HZ
    figures = {
        "session_minutes": round(session_seconds / 60, 1),
        "wall_seconds": round(wall, 1),
        "speed": round(session_seconds / max(wall, 1e-6), 1),
        "sessions": run["sessions"],
    }
    if spoken is None:
        figures["commands"] = run["commands"]
    figures.update(beat_figures(watch, notes))
    if spoken is not None:
        figures.update(spoken.figures())
    figures.update(machine_figures(rss_start, run["rss_after_first"], threads_start))
    return figures


def soak_realtime(minutes: float, *, settings: Settings | None = None,
                  engine: str | None = None, notes: list[str] | None = None) -> dict[str, Any]:
    """A soak paced by the wall clock, as live: a pump thread pulls the playout, the
    recogniser decodes on its worker, and the loop steps every 10 ms."""
    from coach.runtime.live_microphone import DecisionsSeen
    from coach.runtime.recogniser import ListenFor
    from coach.runtime.speaker_pump import SpeakerPump
    from coach.speech_out.warmup import recurring_phrases

    settings = settings or Settings()
    playout = Playout(PhraseCache(Pyttsx3Renderer()), settings)
    watch = BeatWatch(playout)
    threads_start = threading.active_count()
    rss_start = rss_mb()
    spoken = Spoken(engine, background=True)
    clock = LiveClock(LOOP_SECONDS, LOOKAHEAD_SECONDS)
    clock.follow(playout)
    pump = SpeakerPump(playout, None, [spoken.microphone.played])
    steps = Steps()
    decodes: list[float] = []
    seen = DecisionsSeen()

    class Decodes:
        """An input that only counts the recogniser's decodes, and how long each took."""

        def events(self, now: float) -> list[Event]:
            decodes.extend(d.decode_seconds for d in seen.new(spoken.listener.decisions)
                           if d.decode_seconds > 0)
            return []

    watched = WatchedVoice(watch, playout)
    warm = threading.Thread(target=playout.warm, name="coach-warm", daemon=True,
                            args=(recurring_phrases(load_bundled("medial-knee"), Side.LEFT),))
    cpu_start, started = time.process_time(), time.monotonic()
    warm.start()
    pump.start()
    try:
        run = run_sessions(clock, playout, watch, minutes * 60, settings,
                           lambda session: ([steps, *spoken.inputs(watched), Decodes()], None),
                           [ListenFor(spoken.listener)])
    finally:
        pump.stop()
        spoken.listener.close()
        warm.join()
        playout.phrases.renderer.close()  # type: ignore[attr-defined]
    wall = time.monotonic() - started
    late = sorted(steps.late)
    figures: dict[str, Any] = {
        "session_minutes": round(playout.frames_pulled / RATE_HZ / 60, 1),
        "wall_seconds": round(wall, 1),
        "sessions": run["sessions"],
    }
    figures.update(beat_figures(watch, notes))
    figures.update({
        "sound_card_waits": pump.late_blocks,
        "sound_card_wait_max_ms": round(1000 * pump.latest_seconds, 1),
        "loop_step_late_max_ms": round(1000 * (late[-1] if late else 0.0), 1),
        "loop_step_late_p99_ms": round(1000 * (late[int(0.99 * (len(late) - 1))]
                                               if late else 0.0), 1),
        "decodes": len(decodes),
        "decode_median_ms": round(1000 * sorted(decodes)[len(decodes) // 2], 1) if decodes else 0,
        "decode_max_ms": round(1000 * max(decodes), 1) if decodes else 0,
        "cpu_percent": round(100 * (time.process_time() - cpu_start) / max(wall, 1e-6)),
    })
    figures.update(spoken.figures())
    figures.update(machine_figures(rss_start, run["rss_after_first"], threads_start))
    return figures


def beat_figures(watch: BeatWatch, notes: list[str] | None) -> dict[str, Any]:
    if notes is not None:
        notes.extend(watch.notes)
    errors = sorted(abs(e) for e in watch.errors)
    return {
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
        **({"beats_after_command": len(watch.after_command),
            "beats_after_command_max_ms": round(1000 * max(watch.after_command), 1)}
           if watch.after_command else {}),
    }


def machine_figures(rss_start: float, rss_after_first: float,
                    threads_start: int) -> dict[str, Any]:
    return {
        "rss_start_mb": round(rss_start, 1),
        "rss_after_first_session_mb": round(rss_after_first, 1),
        "rss_end_mb": round(rss_mb(), 1),
        "threads_start": threads_start,
        "threads_end": threading.active_count(),
    }


LABELS = {
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
    "beats_after_command": ("beats dated at the end of a spoken command (not counted above)", ""),
    "beats_after_command_max_ms": ("...begun after their time by, at most (the decision)", "ms"),
    "sound_card_waits": ("blocks a sound card would have waited for", ""),
    "sound_card_wait_max_ms": ("longest such wait", "ms"),
    "loop_step_late_max_ms": ("loop step later than its 10 ms, max", "ms"),
    "loop_step_late_p99_ms": ("loop step later than its 10 ms, 99th percentile", "ms"),
    "decodes": ("recogniser decodes (on its worker) during the run", ""),
    "decode_median_ms": ("decode time, median", "ms"),
    "decode_max_ms": ("decode time, max", "ms"),
    "cpu_percent": ("CPU, of one core", "%"),
    "recogniser": ("recogniser", ""),
    "recordings": ("the person's voice", ""),
    "phrases_said": ("phrases the person said (each try counted)", ""),
    "phrases_recorded": ("of them real recordings", ""),
    "phrases_synthesised": ("of them synthesised (Flite)", ""),
    "commands_heard": ("commands the recogniser heard", ""),
    "heard_with_nobody_speaking": ("commands heard with nobody speaking (the coach's own voice)",
                                   ""),
    "phrases_given_up": ("phrases given up after 4 tries", ""),
    "rss_start_mb": ("memory (RSS) at the start", "MB"),
    "rss_after_first_session_mb": ("memory (RSS) after the first session", "MB"),
    "rss_end_mb": ("memory (RSS) at the end", "MB"),
    "threads_start": ("threads at the start", ""),
    "threads_end": ("threads at the end", ""),
}


def rows(figures: dict[str, Any]) -> list[tuple[str, str]]:
    out = []
    for key, value in figures.items():
        name, unit = LABELS.get(key, (key.replace("_", " "), ""))
        if unit in ("x", "%"):
            out.append((name, f"{value}{unit}" if unit == "x" else f"{value} %"))
        else:
            out.append((name, f"{value} {unit}".strip()))
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=60.0, help="session minutes (60)")
    parser.add_argument("--recogniser", action="store_true",
                        help="the person speaks; the real recogniser hears them")
    parser.add_argument("--engine", choices=("whisper", "vosk", "sphinx"),
                        help="the recogniser (default: the best installed, Whisper)")
    parser.add_argument("--realtime", type=float, metavar="MINUTES",
                        help="paced by the wall clock for MINUTES, the recogniser in the loop")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    notes: list[str] = []
    if args.realtime is not None:
        figures = soak_realtime(args.realtime, engine=args.engine, notes=notes)
        section, command = "soak-realtime", f"--realtime {args.realtime:g}"
    elif args.recogniser:
        figures = soak(args.minutes, notes=notes, recogniser=True, engine=args.engine)
        section, command = "soak-recogniser", f"--minutes {args.minutes:g} --recogniser"
    else:
        figures = soak(args.minutes, notes=notes)
        section, command = "soak", f"--minutes {args.minutes:g}"
    if args.engine:
        command += f" --engine {args.engine}"
    if args.json:
        print(json.dumps(figures, indent=2))
    else:
        width = max(len(k) for k in figures)
        for key, value in figures.items():
            print(f"{key:<{width}}  {value}")
        for note in notes:
            print(note)
    ok = figures["beats_late_over_5ms"] == 0 and figures.get("heard_with_nobody_speaking", 0) == 0
    print("Beats within 5 ms" + (", and the coach never obeyed itself" if "recogniser" in figures
                                 else "") + ": " + ("yes" if ok else "NO"))
    if str(figures.get("recordings", "")).startswith("none found"):
        from soak_voice import SHARED_AUDIO

        print(f"note: no real recordings at {SHARED_AUDIO}; every phrase was synthesised.")
    from readme_figures import machine_line, table, update_readme

    table_rows = rows(figures)
    table_rows.append(("beats within 5 ms", "yes" if figures["beats_late_over_5ms"] == 0 else "no"))
    update_readme(section, f"Command: `.venv/bin/python scripts/soak.py {command}`"
                  "\n\n" + table(("measure", "value"), table_rows) + "\n\n" + machine_line())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
