"""coach hear FILE...: what the recogniser makes of each audio file.

Each file is placed on a silent timeline (a short lead-in, then enough
silence after it for the utterance to end) and streamed through the same
Listener the microphone uses, in 30 ms blocks. Output is one plain line per
file, or JSON with --json.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from coach.speech_in import ENGINES
from coach.visible import visible

MOMENTS = ("opening", "ask-resume", "ask-side", "plan", "intro", "ready", "working", "resting",
           "paused", "ask-pain", "pain-stopped", "confirm-stop")
# What the coach has just asked at each moment (coach/core/lines.yaml), for an
# engine that is told the question (Whisper); the other moments ask nothing.
QUESTIONS = {"ask-resume": ("resume_offer", {"exercise": "wall squat", "set": 2}),
             "ask-side": ("ask_side", {}), "ready": ("start_prompt", {}),
             "paused": ("paused", {}), "ask-pain": ("ask_pain", {}),
             "pain-stopped": ("pain_high_choice", {}), "confirm-stop": ("stop_confirm", {})}


def moment_question(moment: str) -> str:
    """The line the coach says just before ``moment`` listens ("" for none)."""
    if moment not in QUESTIONS:
        return ""
    from coach.spoken_text import load_lines

    key, values = QUESTIONS[moment]
    return load_lines().get(key, **values)


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "hear",
        help="say what the recogniser hears in audio files",
        description=(
            "Run audio files through the command recogniser and print, for each file, "
            "the command heard (or none), the recognised words, the confidence, and the "
            "time from the end of speech to the decision. WAV at any usual rate (8000 to "
            "192000 Hz); FLAC and other formats need sox. A file that cannot be read is "
            "reported and the others are still heard; the exit code is then 1."
        ),
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="audio files to recognise")
    parser.add_argument("--engine", choices=ENGINES,
                        help="speech recogniser: whisper (the default), vosk (needs a model) or sphinx")
    parser.add_argument("--model", default=None, help="path to a Vosk model folder")
    parser.add_argument("--json", action="store_true", help="print one JSON object per file")
    parser.add_argument(
        "--moment", default=None, choices=MOMENTS, metavar="MOMENT",
        help=("listen as the coach does at one moment of a session: "
              "ask-pain (a pain rating), confirm-stop or ask-resume (yes or no), "
              "ask-side (left or right), working (between questions), and so on. "
              "Default: every command at once"))
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from coach.audio.format import RATE_HZ
    from coach.audio.wavfile import read_audio
    from coach.errors import CoachError
    from coach.speech_in.command_listener import make_listener
    from coach.speech_in.scripted import LEAD_IN_SECONDS, TAIL_SECONDS, hear_recording

    started = time.perf_counter()
    listener = make_listener(args.engine, args.model)
    if args.moment is not None:
        from coach.core.expect import listening
        from coach.core.states import State
        from coach.runtime.listen_for import tell

        # as the session listens then: what fits, what is most likely said, the question
        tell(listener, listening(State(args.moment), question=moment_question(args.moment)))
    load_seconds = time.perf_counter() - started
    if listener.fallback:  # Whisper, the default, could not be used: say why, once
        print(f"coach: listening with {listener.description}, as Whisper could not be used: "
              f"{listener.fallback}", file=sys.stderr, flush=True)
    if not args.json:
        print(f"Engine: {listener.description}, loaded in {load_seconds:.2f} s.")
    failed = 0
    for path in args.files:
        try:
            samples = read_audio(path)
        except CoachError as exc:  # say so, and go on with the other files
            failed += 1
            print(f"coach: {exc}", file=sys.stderr, flush=True)
            if args.json:
                print(json.dumps({"file": path, "error": str(exc)}), flush=True)
            continue
        t0 = time.perf_counter()
        results = hear_recording(listener, samples)
        compute = time.perf_counter() - t0
        row = _row(path, listener, results, compute,
                   LEAD_IN_SECONDS + samples.size / RATE_HZ + TAIL_SECONDS)
        if args.json:
            print(json.dumps(row), flush=True)
        else:
            print(_line(row), flush=True)
    return 1 if failed else 0


def _row(path: str, listener: Any, results: list[Any], compute: float, seconds: float) -> dict[str, Any]:
    decisions = listener.decisions
    if results:
        r = results[0]
        heard = r.heard
        d = next((d for d in decisions if d.heard is heard), None)
        # Returned at the end of a block; acted on once the decode is done too.
        answered = r.decided_at if d is None else max(r.decided_at, d.answered_at)
        return {
            "file": path,
            "intent": heard.intent.value,
            "number": heard.number,
            "text": heard.text,
            "confidence": round(heard.confidence, 3),
            "latency_ms": round(1000 * (answered - heard.at)),
            "reason": "accepted" if d is None else d.reason,  # or "sound-alike"
            "rescued": d is not None and d.hypothesis.rescued,
            "real_time_factor": round(compute / seconds, 4),
        }
    last = decisions[-1] if decisions else None
    return {
        "file": path,
        "intent": None,
        "number": None,
        "text": last.hypothesis.text if last else "",
        "confidence": round(last.hypothesis.confidence, 3) if last else 0.0,
        "latency_ms": round(1000 * (last.answered_at - last.speech_end)) if last else None,
        "reason": last.reason if last else "no-speech",
        "real_time_factor": round(compute / seconds, 4),
    }


def _line(row: dict[str, Any]) -> str:
    intent = row["intent"] or "none"
    if row["number"] is not None:
        intent = f"{intent} {row['number']}"
    text = row["text"] or "-"
    latency = "-" if row["latency_ms"] is None else f"{row['latency_ms']} ms"
    why = "" if row["intent"] else f", {row['reason']}"
    return (f"{visible(row['file'])}: {intent}; heard \"{visible(text)}\", "
            f"confidence {row['confidence']:.2f}, "
            f"latency {latency}{why}")
