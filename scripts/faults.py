#!/usr/bin/env python3
"""Fault injection: try to break the installed coach the way a careful tester would.

    .venv/bin/python scripts/faults.py            # every attempt (several minutes)
    .venv/bin/python scripts/faults.py --fast     # the quick subset (about a minute)
    .venv/bin/python scripts/faults.py --only fetch --only signal
    .venv/bin/python scripts/faults.py --list

Each attempt runs the installed coach (this Python's ``-m coach``, or
``--coach PATH``) in a throwaway HOME with XDG_CONFIG_HOME, XDG_DATA_HOME and
XDG_CACHE_HOME under it, with a timeout: a process that does not exit in
time is a hang, and a hang is a defect. The attempts are the records in
``scripts/faultlib/`` (one module per group); each says what it breaks,
what coach promises, and judges what it observed.

It prints a table (fault, expected, observed, verdict: held, DEFECT, or
skipped with the reason), then the totals, and exits with 1 when any attempt
found a defect (or could not run for a reason other than the machine), else 0.
A full disk is a small tmpfs, mounted only where this user may mount one;
elsewhere those attempts are skipped and say so.
"""

from __future__ import annotations

import argparse
import shutil
import signal
import sys
import tempfile
import textwrap
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from faultlib import (
    audio,
    cache_output,
    fetching,
    history_disk,
    misc,
    models,
    programs,
    replays,
    settings_files,
    signals,
)
from faultlib.disk import unmount_all
from faultlib.kit import ATTEMPTS, Attempt, Hang, Home, Skip, default_coach

GROUP_MODULES = (  # the table's order
    programs,
    replays,
    settings_files,
    audio,
    cache_output,
    history_disk,
    signals,
    models,
    fetching,
    misc,
)
ORDER = [module.G for module in GROUP_MODULES]
WIDTHS = (34, 40, 46)  # fault, expected, observed


def run_one(
    attempt: Attempt, coach: list[str], timeout: float, shared: dict[str, object]
) -> tuple[str, str]:
    """The verdict (held, DEFECT, skipped, error) and what was observed."""
    root = Path(tempfile.mkdtemp(prefix="coach-fault-"))
    home = Home(root, coach, timeout, shared)
    try:
        result = attempt.run(home)
        return ("held" if result.held else "DEFECT"), result.observed
    except Skip as exc:
        return "skipped", str(exc)
    except Hang as exc:
        return "DEFECT", f"hung: {exc}"
    except Exception as exc:  # noqa: BLE001  (the attempt itself broke: reported, never hidden)
        return "error", f"the attempt failed: {type(exc).__name__}: {exc}"
    finally:
        unmount_all(home)
        shutil.rmtree(root, ignore_errors=True)


def row(cells: tuple[str, str, str], verdict: str) -> str:
    wrapped = [textwrap.wrap(c, w) or [""] for c, w in zip(cells, WIDTHS)]
    height = max(len(w) for w in wrapped)
    lines = []
    for n in range(height):
        parts = [(w[n] if n < len(w) else "").ljust(width) for w, width in zip(wrapped, WIDTHS)]
        lines.append("  ".join(parts) + "  " + (verdict if n == 0 else ""))
    return "\n".join(line.rstrip() for line in lines)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="faults.py", description="Fault injection against the installed coach."
    )
    parser.add_argument("--fast", action="store_true", help="only the quick subset")
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="TEXT",
        help="only attempts whose group or name contains TEXT (may be repeated)",
    )
    parser.add_argument("--list", action="store_true", help="list the attempts and exit")
    parser.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        metavar="S",
        help="seconds a coach process may take before it counts as hung (default 60)",
    )
    parser.add_argument(
        "--coach", metavar="PATH", help="the coach command (default: python -m coach)"
    )
    return parser.parse_args(argv)


def selected(args: argparse.Namespace) -> list[Attempt]:
    chosen = sorted(
        (a for a in ATTEMPTS if a.fast or not args.fast), key=lambda a: ORDER.index(a.group)
    )
    if args.only:
        chosen = [a for a in chosen if any(t in a.group or t in a.name for t in args.only)]
    return chosen


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    attempts = selected(args)
    if args.list:
        for a in attempts:
            mark = f" (defect {a.defect})" if a.defect else ""
            print(f"{a.group:10} {a.name:36} {'fast' if a.fast else 'full'}{mark}")
        print(f"{len(attempts)} attempts")
        return 0
    coach = [args.coach] if args.coach else default_coach()
    # Started in the background by a shell without job control (``... &``), this
    # process and every coach it runs would ignore SIGINT, and Python then never
    # raises KeyboardInterrupt: the Ctrl-C attempts would judge the launch, not
    # coach. A handler here is reset to the default in each coach it starts.
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    shared: dict[str, object] = {}
    print(row(("FAULT", "EXPECTED", "OBSERVED"), "VERDICT"))
    counts = {"held": 0, "DEFECT": 0, "skipped": 0, "error": 0}
    found: list[str] = []
    group = ""
    started = time.monotonic()
    for a in attempts:
        if a.group != group:
            group = a.group
            print(f"\n[{group}]")
        verdict, observed = run_one(a, coach, args.timeout, shared)
        counts[verdict] += 1
        if verdict in ("DEFECT", "error"):
            # What was seen, whole: the table's column folds it, and a test shows only the tail.
            found.append(f"{a.name}" + (f" (defect {a.defect})" if a.defect else "")
                         + f": {' '.join(observed.split())}")
        print(row((a.fault, a.expected, observed), verdict), flush=True)
    minutes = (time.monotonic() - started) / 60
    print(
        f"\n{len(attempts)} attempts in {minutes:.1f} min: {counts['held']} held, "
        f"{counts['DEFECT']} DEFECT, {counts['skipped']} skipped, {counts['error']} errors."
    )
    if found:
        print("Not held:\n" + "\n".join(f"  {line}" for line in found))
    return 1 if counts["DEFECT"] or counts["error"] else 0


if __name__ == "__main__":
    sys.exit(main())
