"""The runtime's own sentences (``lines.yaml``): a device gone, a setting not saved, goodbye.

Not the routine's words (those are coach/core/lines.yaml): what the live
coach, keys mode, the demo and ``coach check`` say about themselves.
"""

from __future__ import annotations

from pathlib import Path

from coach.errors import CoachError
from coach.yamldata import read_yaml

LINES = Path(__file__).with_name("lines.yaml")


def runtime_line(key: str, **values: object) -> str:
    """One of the runtime's sentences from ``lines.yaml``."""
    found = read_yaml(LINES, error=lambda p: CoachError("\n".join(p))).fields([key], [])
    return found[key].text().format(**values)
