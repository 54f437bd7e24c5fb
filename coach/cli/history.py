"""``coach history``: past sessions as a plain table, JSON, CSV, a plot or a spoken-style summary."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

DEFAULT_LIMIT = 20


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "history",
        help="list past sessions: date, minutes, sets done, pain and level changes",
        description="List past sessions, newest first: date, minutes, exercises and sets "
        "done against planned, highest pain, whether the session finished, and level "
        "changes. The history stays on this computer, readable only by you.",
    )
    parser.add_argument(
        "--limit",
        type=_count,
        default=DEFAULT_LIMIT,
        metavar="N",
        help=f"show at most N sessions (default {DEFAULT_LIMIT}; 0 shows all)",
    )
    parser.add_argument(
        "--program", metavar="ID", help="only sessions of this program, e.g. medial-knee"
    )
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print every detail as JSON")
    form.add_argument("--csv", action="store_true", help="print the table as CSV")
    form.add_argument(
        "--plot",
        metavar="FILE",
        type=Path,
        help="draw pain and sets done over time into a PNG file (needs matplotlib: "
        "pip install 'coach[plot]')",
    )
    form.add_argument(
        "--summary",
        action="store_true",
        help="say the past week in one sentence: sessions, sets and pain",
    )
    parser.set_defaults(run=run)


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number, 0 or more, got {text!r}")
    return value


def run(args: argparse.Namespace) -> int:
    import time

    from coach.history import report
    from coach.history.store import HistoryStore, default_path

    path = default_path()
    if not path.exists():
        return _empty(args)
    store = HistoryStore.open(path)
    try:
        if args.summary:
            print(store.weekly_summary(time.time(), args.program))
            return 0
        sessions = store.sessions(args.program, limit=args.limit or None)
    finally:
        store.close()
    programs = _programs(sessions)
    if args.plot is not None:
        from coach.history.plot import plot

        plot(sessions, args.plot)
        print(f"Wrote the plot of {len(sessions)} sessions to {args.plot}.")
    elif args.json:
        print(report.as_json(sessions, programs))
    elif args.csv:
        print(report.as_csv(sessions, programs), end="")
    elif not sessions:
        print("No sessions recorded yet.")
    else:
        print(report.table(sessions, programs))
    return 0


def _programs(sessions: list[Any]) -> dict[str, Any]:
    """The bundled programs these sessions used, for exercise and level names.

    A program that is not bundled (or no longer loads) is simply not named:
    its ids are printed as words instead.
    """
    from coach.errors import CoachError
    from coach.program.loader import bundled_program_paths, load_bundled

    found = {}
    bundled = bundled_program_paths()
    for program_id in {s.program for s in sessions}:
        if program_id in bundled:
            try:
                found[program_id] = load_bundled(program_id)
            except CoachError:
                continue
    return found


def _empty(args: argparse.Namespace) -> int:
    """No history file yet: say so in the asked form, without creating one."""
    from coach.history import report
    from coach.history.plot import PlotUnavailable

    if args.json:
        print(report.as_json([]))
    elif args.csv:
        print(report.as_csv([]), end="")
    elif args.summary:
        from coach.history.lines import say

        print(say("week_none"))
    elif args.plot is not None:
        raise PlotUnavailable("There are no sessions to plot yet. Do a session first.")
    else:
        print("No sessions recorded yet.")
    return 0
