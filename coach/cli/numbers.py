"""Numbers given on the command line, bounded where they are parsed.

A number too large for what reads it below (SQLite holds 64 bits, PortAudio
an int) would otherwise end in a traceback far from the option that caused
it. Only plain ASCII digits count: ``int`` would also take "٣", "1_0" and
surrounding spaces.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable


def whole_number(low: int, high: int, *, note: str = "") -> Callable[[str], int]:
    """An argparse ``type``: a whole number from ``low`` to ``high`` (``note``: said after)."""

    def parse(text: str) -> int:
        value = int(text) if text.isascii() and text.isdigit() and len(text) <= 20 else None
        if value is None or not low <= value <= high:
            extra = f" ({note})" if note else ""
            raise argparse.ArgumentTypeError(
                f"expected a whole number from {low} to {high}{extra}, got {text!r}"
            )
        return value

    return parse
