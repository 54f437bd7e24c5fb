"""``coach replay SCRIPT.yaml``: run a session from a script on a manual clock."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

HELP = "run a session from a scripted list of typed commands, on a simulated clock"
DESCRIPTION = """\
Run a whole session from a script, without sound and without waiting: the
clock is simulated, so a 30-minute routine replays in about a second. Prints
a transcript: what the coach says and what was typed, with the time of each
line in seconds. Exit code 0 when every 'expect' and 'wait_for' step was met,
1 when one was not. See examples/replay-first-set.yaml for the format."""


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "replay",
        help=HELP,
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("script", type=Path, help="the replay script (YAML)")
    parser.add_argument(
        "--no-times", action="store_true", help="leave out the time column of the transcript"
    )
    parser.add_argument(
        "--json", action="store_true", help="print the transcript and result as JSON instead"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from coach.cli import print_line
    from coach.runtime.messages import interrupted_line
    from coach.runtime.replay_run import Replay, load_script
    from coach.runtime.stop_signals import StopOnSignal

    script = load_script(args.script)
    write = None if args.json else print_line
    with StopOnSignal(interrupt=True) as stop:
        replay = Replay(script, write=write, timestamps=not args.no_times)
        stop.attach(replay.harness.loop)
        result = replay.run()
    if stop.stopped:  # Ctrl-C, SIGTERM or SIGHUP: a replay keeps no history
        print_line(interrupted_line(replay.session, None))
        return stop.exit_code
    if args.json:
        print(
            json.dumps(
                {
                    "ok": result.ok,
                    "failures": result.failures,
                    "ended_at": result.ended_at,
                    "transcript": [
                        {"at": round(line.at, 3), "who": line.who, "text": line.text}
                        for line in result.transcript
                    ],
                    "summary": (result.summary.as_json()
                                if result.summary is not None else None),
                },
                indent=2,
            )
        )
        return 0 if result.ok else 1
    for failure in result.failures:
        print(f"FAILED: {failure}")
    steps = len(script.steps)
    if result.ok:
        print(f"Replay passed: {steps} steps, {result.ended_at:.1f} seconds of session time.")
        return 0
    return 1
