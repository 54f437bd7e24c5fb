"""Plain-text pieces of the live coach: its own sentences, and the printed transcript.

The transcript goes to stdout one line at a time (time, who, words), which a
screen reader reads as it comes and a test can follow.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from coach.core.actions import Action, Cue, Say
from coach.core.events import Event
from coach.errors import CoachError
from coach.runtime.runner import TranscriptLine, format_line
from coach.yamldata import read_yaml

LINES = Path(__file__).with_name("lines.yaml")


def runtime_line(key: str, **values: object) -> str:
    """One of the runtime's sentences from ``lines.yaml``."""
    found = read_yaml(LINES, error=lambda p: CoachError("\n".join(p))).fields([key], [])
    return found[key].text().format(**values)


@dataclass
class PrintSink:
    """Every coach line and tone as a plain transcript line (stdout for screen readers)."""

    write: Callable[[str], None]
    timestamps: bool = True
    transcript: list[TranscriptLine] = field(default_factory=list)

    def __call__(self, action: Action, now: float) -> list[Event]:
        if isinstance(action, Say):
            self.emit(TranscriptLine(now if action.at is None else action.at, "coach", action.text))
        elif isinstance(action, Cue):
            self.emit(TranscriptLine(now if action.at is None else action.at, "tone",
                                     action.kind.value))
        return []

    def emit(self, line: TranscriptLine) -> None:
        self.transcript.append(line)
        self.write(format_line(line, timestamps=self.timestamps))
