#!/usr/bin/env python3
"""Soak run: an hour of coaching on the one loop, with real speech, typed or spoken commands.

Sessions of the bundled routine run back to back on one Playout (real
espeak-ng speech, mixed block by block as the live pump does) until the
session clock reaches the target, each on the package's harness
(coach.runtime.scripted_session) around the loop the live coach goes round. A scripted person
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
import math
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from soak_runs import soak, soak_realtime

__all__ = ["soak", "soak_realtime"]


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
    "loop_step_late_max_ms": ("loop step later than due, max", "ms"),
    "loop_step_late_p99_ms": ("loop step later than due, 99th percentile", "ms"),
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
    "heard_by_phrase": ("heard of said, by phrase", ""),
    "tries_acted_on": ("tries acted on as said", ""),
    "tries_answered": ("tries not understood, answered aloud", ""),
    "tries_first_miss_in_a_set": ("tries not understood in a set, first miss (silent by design)",
                                  ""),
    "tries_with_speech_left_silent": ("tries with speech left without action or answer", ""),
    "tries_heard_as_another_command": ("tries heard as another command", ""),
    "tries_acted_on_twice": ("tries acted on twice", ""),
    "tries_no_speech_found": ("tries in which the recogniser found no speech", ""),
    "answer_words_max": ("longest answer to a try not understood", "words"),
    "replies_said": ("replies said to the person", ""),
    "replies_over_a_cue_word": ("replies sounding when a cue word was due", ""),
    "replies_over_a_count": ("replies sounding when a count was due", ""),
    "sessions_counts_honest": ("sessions whose summary, records and history agree", ""),
    "answered_no_overlap_honest": ("every try acted on or answered, no reply over a cue, "
                                   "honest counts", ""),
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
    parser.add_argument("--echo", choices=("gain", "room"), default="gain",
                        help="with --recogniser: the coach's echo at a gain (default), or through "
                             "a seeded room's loudspeaker-to-microphone path at the same level")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()
    if args.echo == "room" and not args.recogniser:
        parser.error("--echo room is heard by the recogniser: add --recogniser")
    echo = None
    if args.echo == "room":
        from living_room import INSTALL_HINT, EchoPaths, EchoStream, available

        if not available():
            raise SystemExit(INSTALL_HINT)

        from coach.runtime.simulated_room import ECHO_GAIN

        echo = EchoStream(EchoPaths().pick("coach"), 20 * math.log10(ECHO_GAIN))
    notes: list[str] = []
    if args.realtime is not None:
        figures = soak_realtime(args.realtime, engine=args.engine, notes=notes)
        section, command = "soak-realtime", f"--realtime {args.realtime:g}"
    elif args.recogniser:
        figures = soak(args.minutes, notes=notes, recogniser=True, engine=args.engine, echo=echo)
        section, command = "soak-recogniser", f"--minutes {args.minutes:g} --recogniser"
        if echo is not None:
            section, command = "soak-room", command + " --echo room"
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
    ok = (figures["beats_late_over_5ms"] == 0
          and figures.get("heard_with_nobody_speaking", 0) == 0
          and figures.get("answered_no_overlap_honest", "yes") == "yes")
    if "answered_no_overlap_honest" in figures:
        print("Every try acted on or answered, no reply over a cue, counts honest: "
              + figures["answered_no_overlap_honest"])
    print("Beats within 5 ms" + (", and the coach never obeyed itself" if "recogniser" in figures
                                 else "") + ": " + ("yes" if ok else "NO"))
    if str(figures.get("recordings", "")).startswith("none found"):
        from recordings import SHARED_AUDIO

        print(f"note: no real recordings at {SHARED_AUDIO}; every phrase was synthesised.")
    from readme_figures import machine_line, table, update_readme

    table_rows = rows(figures)
    table_rows.append(("beats within 5 ms", "yes" if figures["beats_late_over_5ms"] == 0 else "no"))
    update_readme(section, f"Command: `.venv/bin/python scripts/soak.py {command}`"
                  "\n\n" + table(("measure", "value"), table_rows) + "\n\n" + machine_line())
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
