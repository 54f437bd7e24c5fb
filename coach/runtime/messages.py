"""The runtime's own sentences (``lines.yaml``): a device gone, a setting not saved, goodbye.

Not the routine's words (those are coach/core/lines.yaml): what the live
coach, keys mode, the demo and ``coach check`` say about themselves.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from coach.spoken_text import Lines, keys_used, lines_in

if TYPE_CHECKING:
    from coach.core.session import Session
    from coach.history import HistorySink

LINES = Path(__file__).with_name("lines.yaml")


def runtime_lines() -> Lines:
    """The runtime's sentences, read and checked against every key the code asks for."""
    return lines_in(LINES, required=keys_used("runtime/lines.yaml"))


def runtime_line(key: str, **values: object) -> str:
    """One of the runtime's sentences from ``lines.yaml``."""
    return runtime_lines().get(key, **values)


def interrupted_line(session: Session, history: HistorySink | None) -> str:
    """What to say when the person interrupts the coach: only what is true.

    Next time's offer to carry on needs the session recorded and a set (or an
    exercise) done; without either, next time starts from the beginning.
    """
    if history is None or not history.keeps:
        return runtime_line("interrupted_not_kept")
    if not session.progress.anything_done():
        return runtime_line("interrupted_nothing_done")
    return runtime_line("interrupted")
