"""``coach start``: lead a session now.

``--keys`` is text mode: each coach line is printed as a plain line (good
with a screen reader), and commands are typed, one per line. Without it the
live coach speaks and listens (``coach.runtime.live``), with typed commands
alongside. Both run the session ``coach.runtime.assembly`` builds from the
options; this module only reads the options, chooses, and prints.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from coach.speech_in import ENGINES

if TYPE_CHECKING:
    from coach.program.model import Program
    from coach.runtime.assembly import StartSession

HELP = "start a session (type commands with --keys)"
DESCRIPTION = """\
Lead a session of the routine. With --keys, the coach's words are printed one
line at a time and you type commands instead of speaking them: go, next,
repeat, back, harder, easier, pause, stop, how many left, this week, help, a
pain rating from 0 to 10, and so on. Press Enter after each. Ctrl-D or Ctrl-C ends."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "start",
        help=HELP,
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--keys", action="store_true", help="type commands instead of speaking")
    parser.add_argument(
        "--program",
        default=None,
        metavar="P",
        help="a bundled program id or a program YAML file (default: the routine chosen "
        "by voice last time, or medial-knee)",
    )
    parser.add_argument(
        "--condition",
        action="append",
        default=[],
        metavar="C",
        help="only exercises that help this condition (may be repeated)",
    )
    parser.add_argument(
        "--side", choices=("left", "right"), help="the knee that hurts; without it the coach asks"
    )
    parser.add_argument(
        "--no-history",
        action="store_true",
        help="do not read or write the session history on this computer",
    )
    parser.add_argument(
        "--no-times", action="store_true", help="print coach lines without the time column"
    )
    parser.add_argument(
        "--plain", action="store_true",
        help="with --keys: plain lines for a screen reader, no time column and no tone lines")
    _add_voice_options(parser)
    parser.set_defaults(run=run)


def _add_voice_options(parser: argparse.ArgumentParser) -> None:
    """Options of the voice mode (speaker and microphone); see coach.runtime.live."""
    parser.add_argument("--engine", choices=ENGINES,
                        help="speech recogniser: whisper (the default), vosk (needs a model) or sphinx")
    parser.add_argument("--model", metavar="PATH", help="a Vosk model folder")
    parser.add_argument("--input-device", metavar="X",
                        help="microphone: a number or part of a name from 'coach devices'")
    parser.add_argument("--output-device", metavar="Y",
                        help="speaker: a number or part of a name from 'coach devices'")
    parser.add_argument("--speak-to", type=Path, metavar="FILE.wav",
                        help="also write everything the coach plays to this WAV file")
    parser.add_argument("--no-listen", action="store_true",
                        help="speak, but do not use the microphone (type commands)")
    parser.add_argument("--record-mic", type=Path, metavar="FILE.wav",
                        help="keep what the microphone heard in this WAV file (for fixing problems)")
    parser.add_argument("--show-rejected", action="store_true",
                        help="print what the microphone heard that was not taken as a command")
    parser.add_argument("--or-demo", action="store_true",
                        help="on a computer with no sound device at all, run 'coach demo' instead")


def run(args: argparse.Namespace, *, wall_clock: Callable[[], float] = time.time) -> int:
    """``wall_clock`` dates the session for the history (its day, the last week); only
    this edge reads it, once, and the session below gets the time it gave."""
    check_outputs(args)
    if not (args.keys or args.no_listen):
        from coach.speech_in.command_listener import check_named

        check_named(args.engine, args.model)
    if not args.keys and args.or_demo:
        from coach.audio.devices import has_any_device

        found, reason = has_any_device()
        if not found:
            from coach.cli import demo
            from coach.runtime.messages import runtime_line

            print(runtime_line("no_audio_demo", reason=reason), flush=True)
            return demo.play(demo.DemoOptions(side=args.side or "left"))
    started = session_for(args, now=wall_clock())
    try:
        if args.keys:
            return run_keys(started, timestamps=not (args.no_times or args.plain),
                            tones=not args.plain)
        from coach.runtime.live import LiveOptions, LiveRun

        options = LiveOptions(
            engine=args.engine, model=args.model, input_device=args.input_device,
            output_device=args.output_device, speak_to=args.speak_to,
            timestamps=not args.no_times, listen=not args.no_listen,
            show_rejected=args.show_rejected, record_mic=args.record_mic,
        )
        return LiveRun(started, options, write=_print).run()
    finally:
        started.close()


def check_outputs(args: argparse.Namespace) -> None:
    """Refuse a --speak-to or --record-mic file that cannot be written, before the session."""
    from coach.cli.outputs import output_file

    if args.speak_to is not None:
        output_file(args.speak_to, "--speak-to", example="session.wav")
    if args.record_mic is not None:
        output_file(args.record_mic, "--record-mic", example="microphone.wav")


def session_for(args: argparse.Namespace, *, now: float) -> StartSession:
    """The session the options ask for, on the day of ``now`` (wall-clock seconds since
    the epoch); a history that cannot be opened is said on stderr."""
    from coach.program.loader import DEFAULT_PROGRAM, find_program
    from coach.program.model import Side
    from coach.program.select import select_routine
    from coach.runtime.assembly import start_session
    from coach.settings import load_settings

    settings = load_settings()
    program, remembered = None, False
    if args.program is None and not args.condition and settings.routine:
        program = remembered_routine(settings.routine)
        remembered = program is not None
    if program is None:
        program = select_routine(find_program(args.program or DEFAULT_PROGRAM), args.condition)
    started = start_session(program, settings, side=Side(args.side) if args.side else None,
                            history=not args.no_history, now=now,
                            routine_remembered=remembered)
    if started.history_problem is not None:
        _history_failed(started.history_problem)
    return started


def remembered_routine(routine: str) -> Program | None:
    """The routine kept in the settings ("medial-knee:pes-anserine"); None, said on
    stderr, when it is no longer there."""
    from coach.errors import CoachError
    from coach.program.loader import DEFAULT_PROGRAM, load_bundled
    from coach.program.select import select_routine

    program_id, _, condition = routine.partition(":")
    try:
        return select_routine(load_bundled(program_id), [condition] if condition else [])
    except CoachError as exc:
        print(f"coach: the routine chosen last time ({routine}) cannot be used: {exc} "
              f"Starting {DEFAULT_PROGRAM} instead.", file=sys.stderr)
        return None


def _history_failed(problem: Exception) -> None:
    print(f"coach: {problem} Carrying on without history.", file=sys.stderr)


def run_keys(started: StartSession, *, timestamps: bool = True, tones: bool = True) -> int:
    """Text mode: print coach lines, read typed commands (coach.runtime.keys_mode)."""
    from coach.runtime.keys_mode import run_keys as keys
    from coach.runtime.loop import Ending
    from coach.runtime.messages import interrupted_line
    from coach.runtime.stop_signals import EXIT_INTERRUPTED, StopOnSignal

    if started.history is not None:
        started.history.report = _history_failed
    with StopOnSignal() as stop:
        try:
            ending = keys(started, write=_print, timestamps=timestamps, tones=tones, stop=stop)
        except KeyboardInterrupt:
            _print(interrupted_line(started.session, started.history))
            return EXIT_INTERRUPTED
    if ending is Ending.STOPPED:  # SIGTERM or SIGHUP
        _print(interrupted_line(started.session, started.history))
        return stop.exit_code
    if ending is Ending.NOBODY_LEFT:
        _print("End of input. Goodbye.")
    return 0


def _print(line: str) -> None:
    from coach.cli import print_line

    print_line(line)
