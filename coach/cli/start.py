"""``coach start``: lead a session now.

``--keys`` is text mode: each coach line is printed as a plain line (good
with a screen reader), and commands are typed, one per line. The live voice
mode (microphone and speaker) plugs into the same pieces: ``prepare`` builds
the session and its history, ``run_keys`` is one input loop; a voice loop is
another function of the same shape that feeds ``Heard`` events from the
recogniser and adds an audio sink.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from coach.speech_in import ENGINES

if TYPE_CHECKING:
    from coach.core.session import Session
    from coach.runtime.runner import Runner, Sink

TICK_SECONDS = 0.05  # how often the clock is looked at while nobody types
RESUME_WITHIN_HOURS = 12.0  # an interrupted session older than this is not offered

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
        default="medial-knee",
        metavar="P",
        help="a bundled program id or a program YAML file (default: medial-knee)",
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


def run(args: argparse.Namespace) -> int:
    check_outputs(args)
    if not args.keys:
        from coach.runtime.live_start import start_live

        return start_live(args, prepare)
    prepared = prepare(args)
    try:
        return run_keys(prepared, timestamps=not args.no_times)
    finally:
        prepared.close()


def check_outputs(args: argparse.Namespace) -> None:
    """Refuse a --speak-to or --record-mic file that cannot be written, before the session."""
    from coach.cli.outputs import output_file

    if args.speak_to is not None:
        output_file(args.speak_to, "--speak-to", example="session.wav")
    if args.record_mic is not None:
        output_file(args.record_mic, "--record-mic", example="microphone.wav")


@dataclass
class Prepared:
    """A session ready to start, with the history that feeds and records it."""

    session: Session
    sinks: list[Sink] = field(default_factory=list)
    store: Any = None  # coach.history.HistoryStore when history is on

    def close(self) -> None:
        if self.store is not None:
            self.store.close()


def prepare(args: argparse.Namespace) -> Prepared:
    from coach.core.session import Session
    from coach.program.loader import find_program
    from coach.program.model import Side
    from coach.program.select import select_routine
    from coach.runtime.keep_settings import SettingsSink
    from coach.settings import load_settings

    program = select_routine(find_program(args.program), args.condition)
    settings = load_settings()  # the listener's voice, rate, volume and verbosity
    side = Side(args.side) if args.side else None
    prepared = Prepared(session=None)  # type: ignore[arg-type]
    # "slower", "louder"...: saved for the next session (the demo has no such sink)
    prepared.sinks.append(SettingsSink())
    kwargs: dict[str, Any] = {}
    if not args.no_history:
        kwargs = _from_history(program, prepared)
    if kwargs.get("last_side") is None and settings.side is not None:
        # The settings file's knee: a default said in the opening, changed by
        # saying left or right, as a side remembered from history is.
        kwargs["last_side"] = Side(settings.side)
    prepared.session = Session(program, settings=settings, side=side, **kwargs)
    return prepared


def _from_history(program: Any, prepared: Prepared) -> dict[str, Any]:
    """Levels, familiarity, the last side, notes, the week and a resume offer
    from past sessions, if any."""
    from coach.history import HistorySink, HistoryStore, HistoryUnavailable

    try:
        store = HistoryStore.open()
        now = time.time()
        found = store.interruption(
            program.id, program=program, now=now, within_hours=RESUME_WITHIN_HOURS
        )
        kwargs = {
            "levels": store.levels(program.id, program=program, now=now),
            "last_side": store.last_side(program.id),
            "familiar": store.familiar(program.id),
            "notes": store.opening_notes(program.id, now, program=program),
            "resume": found.point if found is not None else None,
            "week": store.weekly_summary(now, program.id),
        }
    except HistoryUnavailable as exc:
        print(f"coach: {exc} Carrying on without history.", file=sys.stderr)
        return {}
    prepared.store = store
    prepared.sinks.append(HistorySink(store))
    return kwargs


def run_keys(prepared: Prepared, *, timestamps: bool = True) -> int:
    """Text mode: print coach lines, read typed commands, tick a monotonic clock."""
    from coach.commands.parser import load_vocabulary, parse
    from coach.core.events import Heard, Tick
    from coach.runtime.clock import MonotonicClock
    from coach.runtime.keep_settings import SettingsSink
    from coach.runtime.keys import EOF, LineReader
    from coach.runtime.live_text import runtime_line
    from coach.runtime.runner import Runner, TextSink, TranscriptLine

    vocab = load_vocabulary()
    clock = MonotonicClock()
    text = TextSink(
        rate_wpm=prepared.session.settings.rate_wpm, write=_print, timestamps=timestamps
    )

    def not_saved(detail: str) -> None:
        line = f"{runtime_line('settings_not_saved')} ({detail})"
        text.emit(TranscriptLine(clock.now(), "note", line))

    for sink in prepared.sinks:
        if isinstance(sink, SettingsSink):
            sink.report = not_saved
    runner = Runner(prepared.session, [text, *prepared.sinks])
    reader = LineReader(sys.stdin).start()
    _guarded(runner, lambda: runner.start(clock.now()))
    try:
        while not runner.ended:
            line = reader.get(TICK_SECONDS)
            if line is EOF:
                _print("End of input. Goodbye.")
                return 0
            if isinstance(line, str) and line.strip():
                command = parse(line, vocab)
                if command is None:
                    _print("(Not a command. Type help for what you can say.)")
                else:
                    heard = Heard(command.intent, line, 1.0, clock.now(), command.number)
                    _guarded(runner, lambda h=heard: runner.feed(h))
            _guarded(runner, lambda: runner.feed(Tick(clock.now())))
    except KeyboardInterrupt:
        _print("Interrupted. Goodbye.")
        return 0
    return 0


def _guarded(runner: Runner, step: Any) -> None:
    """Run one runner step; a failing history sink is reported once and dropped."""
    from coach.history import HistorySink, HistoryUnavailable

    try:
        step()
    except HistoryUnavailable as exc:
        print(f"coach: {exc} Carrying on without history.", file=sys.stderr)
        runner.sinks = [s for s in runner.sinks if not isinstance(s, HistorySink)]


def _print(line: str) -> None:
    print(line, flush=True)
