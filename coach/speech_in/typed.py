"""Typed commands: a line of text becomes the same ``Heard`` a spoken command does.

Keys mode, the live coach's keyboard, replays, the demo without its
recogniser, the tests and the soak all turn text into commands here, with
the one vocabulary read once. A typed command is certain (confidence 1.0) and
never narrowed to what fits the moment: a person who types "next" means it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from coach.commands.parser import Vocabulary, load_vocabulary, parse
from coach.core.events import Heard


@functools.cache
def bundled_vocabulary() -> Vocabulary:
    """The bundled vocabulary, read the first time a line is typed (not while the coach starts)."""
    return load_vocabulary()


@dataclass(frozen=True)
class TypedText:
    """Typed lines become commands through the command parser (the bundled vocabulary by default)."""

    vocabulary: Vocabulary | None = None

    def heard(self, text: str, at: float) -> Heard | None:
        """The command ``text`` typed at ``at`` (s) is, or None when it is none."""
        vocabulary = self.vocabulary if self.vocabulary is not None else bundled_vocabulary()
        parsed = parse(text, vocabulary)
        if parsed is None:
            return None
        return Heard(parsed.intent, text, 1.0, at, parsed.number)
