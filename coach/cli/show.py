"""``coach show``: every step, dose, level and source of a program, as plain text."""

from __future__ import annotations

import argparse
from typing import Any


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "show",
        help="print a program in full: steps, doses, levels, safety and sources",
        description="Print a program in full, as plain text: every step, the dose and "
        "its ranges, rests, levels (the default is marked), conditions, safety advice "
        "and sources.",
    )
    parser.add_argument(
        "program",
        metavar="PROGRAM",
        help="a bundled program id (see 'coach programs') or the path to a program YAML file",
    )
    parser.add_argument(
        "--condition",
        action="append",
        default=[],
        metavar="C",
        help="show only the exercises that help this condition (id, name or alias, "
        "for example pes-anserine or bursitis); give it more than once for several",
    )
    parser.add_argument(
        "--side",
        choices=("left", "right"),
        help="the leg with the sore knee; the text then says 'your left leg' and so on",
    )
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from coach.program.describe import describe_program
    from coach.program.loader import find_program
    from coach.program.model import Side
    from coach.program.select import resolve_conditions, select_routine

    program = find_program(args.program)
    conditions = resolve_conditions(program, args.condition)
    chosen = select_routine(program, args.condition)
    side = Side(args.side) if args.side else None
    print(describe_program(chosen, side, conditions), end="")
    return 0
