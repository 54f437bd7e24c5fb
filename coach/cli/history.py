"""``coach history``: past sessions as a plain table, JSON, CSV, a plot or a spoken-style summary;
``--forget`` erases them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from coach.cli.numbers import whole_number

DEFAULT_LIMIT = 20
MOST_LIMIT = 1_000_000  # sessions: far more than a lifetime of daily sessions; 0 shows all


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "history",
        help="list past sessions: date, minutes, sets done, pain and level changes",
        description="List past sessions, newest first: date, minutes, exercises and sets "
        "done against planned, highest pain, whether the session finished, and level "
        "changes. The history stays on this computer, readable only by you. "
        "The sessions of 'coach demo' are kept apart: --demo shows them. "
        "--forget erases it; your settings are kept.",
    )
    parser.add_argument(
        "--limit",
        type=whole_number(0, MOST_LIMIT, note="0 shows all"),
        metavar="N",
        help=f"show at most N sessions (default {DEFAULT_LIMIT}; 0 shows all)",
    )
    parser.add_argument(
        "--program", metavar="ID", help="only sessions of this program, e.g. medial-knee"
    )
    parser.add_argument(
        "--demo",
        action="store_true",
        help="the sessions of 'coach demo' (recorded as PROGRAM-demo) instead of yours",
    )
    form = parser.add_mutually_exclusive_group()
    form.add_argument("--json", action="store_true", help="print every detail as JSON")
    form.add_argument("--csv", action="store_true", help="print the table as CSV")
    form.add_argument(
        "--plot",
        metavar="FILE",
        type=Path,
        help="draw pain and sets done over time into a PNG file, FILE.png (needs matplotlib: "
        "pip install 'coach[plot]')",
    )
    form.add_argument(
        "--summary",
        action="store_true",
        help="say the past week in one sentence: sessions, sets and pain",
    )
    form.add_argument(
        "--forget",
        action="store_true",
        help="erase the whole history (every session, set, pain rating and level change), "
        "after saying what it holds and asking. Your settings (voice, rate, volume) are "
        "kept.",
    )
    parser.add_argument(
        "--yes", action="store_true", help="with --forget: erase without asking (for scripts)"
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    import time

    from coach.errors import CoachError
    from coach.history import report
    from coach.history.phrases import phrase
    from coach.history.read import DEMO_SUFFIX, is_demo
    from coach.history.store import HistoryStore, default_path

    if args.forget:
        if args.program is not None or args.limit is not None or args.demo:
            raise CoachError(
                "--forget erases the whole history: leave out --program, --demo and --limit."
            )
        return _forget(args.yes)
    if args.yes:
        raise CoachError("--yes goes with --forget: coach history --forget --yes.")
    if args.plot is not None:
        from coach.cli.outputs import output_file

        output_file(args.plot, "--plot", suffix=".png", example="history.png")
    limit = DEFAULT_LIMIT if args.limit is None else args.limit
    program, demo = args.program, args.demo
    if demo and program is not None and not is_demo(program):
        program += DEMO_SUFFIX  # --demo --program medial-knee: that program's demo
    path = default_path()
    if not path.exists():
        return _empty(args)
    store = HistoryStore.open(path)
    try:
        if store.read_only:
            print(f"coach: {store.read_only_note}", file=sys.stderr)
        known = store.programs()
        if program is not None and program not in known:
            raise CoachError(_unknown_program(program, known))
        if args.summary:
            print(store.weekly_summary(time.time(), program, demo=demo))
            return 0
        sessions = store.sessions(program, limit=limit or None, demo=demo)
    finally:
        store.close()
    programs = _programs(sessions)
    if args.plot is not None:
        from coach.history.plot import plot

        plot(sessions, args.plot)
        if len(sessions) == 1:
            print(phrase("plot_written_one", path=args.plot))
        else:
            print(phrase("plot_written", count=len(sessions), path=args.plot))
    elif args.json:
        print(report.as_json(sessions, programs))
    elif args.csv:
        print(report.as_csv(sessions, programs), end="")
    elif not sessions and demo and program is None:
        print(phrase("history_none_of_demo"))
    elif not sessions and program is None and any(is_demo(p) for p in known):
        print(phrase("history_none_demo"))
    elif not sessions:
        print(phrase("history_none"))
    else:
        print(report.table(sessions, programs))
    return 0


def _unknown_program(program: str, known: dict[str, int]) -> str:
    """No such program in the history: say which programs it has, the demo's apart."""
    from coach.history.phrases import phrase
    from coach.history.read import is_demo

    if not known:
        return phrase("history_unknown_program_none", program=program)
    parts = [p for p in known if not is_demo(p)]
    demos = [p for p in known if is_demo(p)]
    if demos:
        parts.append(phrase("history_demo_programs", programs=", ".join(demos)))
    return phrase("history_unknown_program", program=program, programs=", ".join(parts))


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
    from coach.history.phrases import phrase
    from coach.history.plot import PlotUnavailable

    if args.json:
        print(report.as_json([]))
    elif args.csv:
        print(report.as_csv([]), end="")
    elif args.summary:
        print(phrase("week_none"))
    elif args.plot is not None:
        raise PlotUnavailable("There are no sessions to plot yet. Do a session first.")
    elif args.demo:
        print(phrase("history_none_of_demo"))
    else:
        print(phrase("history_none"))
    return 0


def _forget(yes: bool) -> int:
    """Say what the history holds, ask, and erase it only on the answer yes."""
    from coach.history import forget
    from coach.history.phrases import phrase
    from coach.history.store import default_path

    path = default_path()
    if not path.exists() and not path.is_symlink():
        print(phrase("forget_none", path=path))
        strays = [p for p in forget.side_files(path) if p.exists()]
        if strays:
            print(phrase("forget_strays", files=", ".join(str(p) for p in strays)))
        return 0
    told = forget.look(path)
    print(phrase("forget_what", path=path))
    print(told.describe())
    print(phrase("forget_settings_kept"))
    if not yes:
        print(phrase("forget_ask"), flush=True)
        if _answer().strip().lower() != "yes":
            print(phrase("forget_kept"))
            return 1
    removed = forget.erase(path, told)
    side = [p.name for p in removed if p != path]
    if side:
        print(phrase("forget_done_side", path=path, side=", ".join(side)))
    else:
        print(phrase("forget_done", path=path))
    return 0


def _answer() -> str:
    """One line from stdin; nothing when there is no stdin or it has ended."""
    if sys.stdin is None:
        return ""
    try:
        return sys.stdin.readline()
    except (OSError, ValueError):  # closed, or not text
        return ""
