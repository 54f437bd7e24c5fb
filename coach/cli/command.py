"""The one way a subcommand adds its parser: its name, what it is about, and the
function that runs it."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import Any


def add_command(
    subparsers: Any, name: str, run: Callable[[argparse.Namespace], int], about: str
) -> argparse.ArgumentParser:
    """Add the subcommand ``name``.

    ``about`` reads like a docstring: its first line is the command's line in
    ``coach --help``, the rest (after a blank line) is its ``--help`` description.
    """
    summary, _, description = about.strip().partition("\n\n")
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name, help=summary, description=" ".join(description.split())
    )
    parser.set_defaults(run=run)
    return parser
