"""``coach programs``: list the routines that ship with coach."""

from __future__ import annotations

import argparse
from typing import Any

from coach.cli.command import add_command

ABOUT = """list the bundled exercise programs

List the exercise programs that ship with coach: id, title and number of exercises. Use
the id with 'coach show' or 'coach start'.
"""


def register(subparsers: Any) -> None:
    add_command(subparsers, "programs", run, ABOUT)


def run(args: argparse.Namespace) -> int:
    from coach.program.loader import bundled_program_paths, load_program

    paths = bundled_program_paths()
    if not paths:
        print("No bundled programs found.")
        return 1
    for program_id, path in paths.items():
        program = load_program(path)
        count = len(program.exercises)
        print(f"{program_id}: {program.title}, {count} exercise{'s' if count != 1 else ''}")
    return 0
