"""``coach validate``: check program files and name every problem by file and line."""

from __future__ import annotations

import argparse
from typing import Any

from coach.cli.command import add_command

ABOUT = """check program YAML files and list every problem

Check one or more program YAML files. Prints 'FILE: ok' for a good file, or every
problem as FILE:LINE: field: what is wrong. Exits with 1 if any file has a problem.
"""


def register(subparsers: Any) -> None:
    parser = add_command(subparsers, "validate", run, ABOUT)
    parser.add_argument("files", nargs="+", metavar="FILE", help="a program YAML file")


def run(args: argparse.Namespace) -> int:
    from coach.errors import ProgramError
    from coach.program.loader import load_program

    bad = 0
    for file in args.files:
        try:
            load_program(file)
        except ProgramError as exc:
            bad += 1
            for problem in exc.problems:
                print(problem)
        else:
            print(f"{file}: ok")
    if bad:
        print(
            f"{bad} of {len(args.files)} file{'s' if len(args.files) != 1 else ''} "
            f"{'has' if bad == 1 else 'have'} problems."
        )
    return 1 if bad else 0
