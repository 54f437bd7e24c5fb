"""``coach demo``: a whole simulated session, by ear, with no sound card needed."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, fields
from pathlib import Path

from coach.speech_in import ENGINES

HELP = "run a short simulated session with a virtual user (no sound card needed)"
DESCRIPTION = """\
Run a complete short session of the routine with a virtual user who speaks
commands (go, next, harder, repeat, pause, a pain rating, stop, yes). Their
voice is synthesised, mixed with the coach's own voice as a microphone would
hear it, and passed through the real speech recogniser. The clock is
simulated, so it takes well under real time. Prints the transcript: what the
coach says, what the user says and what the coach heard, with times in
seconds. Exit code 0 when every exercise was reached and the session ended
with its summary.

The session is recorded in your history under the program name with '-demo'
added, so 'coach history' shows it apart from your own sessions, and it never
changes your levels. Use --no-history to leave the history alone."""


@dataclass(frozen=True)
class DemoOptions:
    """What ``coach demo`` is asked to do; the defaults are the command's own."""

    json: bool = False
    speak_to: Path | None = None
    side: str = "left"
    program: str = "medial-knee"
    engine: str | None = None
    model: str | None = None
    typed: bool = False
    no_history: bool = False
    no_times: bool = False


DEFAULTS = DemoOptions()


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "demo", help=HELP, description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--json", action="store_true",
                        help="print the transcript and result as JSON instead")
    parser.add_argument("--speak-to", type=Path, metavar="FILE.wav",
                        help="also write the coach's speech, on its timeline, to this WAV file")
    parser.add_argument("--side", choices=("left", "right"), default=DEFAULTS.side,
                        help="the knee the virtual user trains (default: left)")
    parser.add_argument("--program", default=DEFAULTS.program, metavar="P",
                        help="a bundled program id or a program YAML file (default: medial-knee)")
    parser.add_argument("--engine", choices=ENGINES,
                        help="speech recogniser: whisper (the default), vosk (needs a model) or sphinx")
    parser.add_argument("--model", metavar="PATH", help="a Vosk model folder")
    parser.add_argument("--typed", action="store_true",
                        help="pass the user's words as text, without the speech recogniser")
    parser.add_argument("--no-history", action="store_true",
                        help="do not record the demo session in the history")
    parser.add_argument("--no-times", action="store_true",
                        help="print the transcript without the time column")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    return play(DemoOptions(**{f.name: getattr(args, f.name) for f in fields(DemoOptions)}))


def play(options: DemoOptions) -> int:
    """Run the demo as asked, print what happened; the exit code."""
    from coach.cli import print_line as write
    from coach.program.loader import find_program
    from coach.program.model import Side
    from coach.runtime.demo_run import run_demo
    from coach.runtime.stop_signals import StopOnSignal
    from coach.settings import load_settings

    if options.speak_to is not None:
        from coach.cli.outputs import output_file

        output_file(options.speak_to, "--speak-to", example="demo.wav")

    with StopOnSignal(interrupt=True) as stop:
        result = run_demo(
            find_program(options.program),
            history=not options.no_history,
            side=Side(options.side),
            settings=load_settings(),
            speak_to=options.speak_to,
            typed=options.typed,
            engine=options.engine,
            model=options.model,
            write=None if options.json else write,
            timestamps=not options.no_times,
            stop=stop,
        )
    if result.interrupted is not None:  # Ctrl-C, SIGTERM or SIGHUP
        write(result.interrupted)
        return stop.exit_code
    if options.json:
        print(json.dumps(result.as_json(), indent=2))
        return 0 if result.ok else 1
    print()
    print(f"Recogniser: {result.recogniser}. History: {result.recorded}.")
    print(f"{result.session_seconds:.0f} seconds of session in {result.wall_seconds:.1f} "
          f"seconds ({result.session_seconds / max(result.wall_seconds, 1e-6):.0f} times "
          f"real time). Commands said: {len(result.said)}, recognised: {len(result.heard)}, "
          f"recognised with nobody speaking: {len(result.false_accepts)}.")
    if options.speak_to:
        print(f"The coach's speech is in {options.speak_to}.")
    for failure in result.failures:
        print(f"FAILED: {failure}")
    if result.ok:
        print("Demo passed: every exercise reached, counts, a hold, a level change, "
              "a pain rating and the summary.")
        return 0
    return 1
