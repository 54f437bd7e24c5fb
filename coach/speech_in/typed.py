"""Typed commands: a line of text becomes the same ``Heard`` a spoken command does.

Keys mode, the live coach's keyboard, replays, the demo without its
recogniser, the tests and the soak all turn text into commands here, with
the one vocabulary read once. A typed command is certain (confidence 1.0) and
never narrowed to what fits the moment: a person who types "next" means it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from coach.commands.parser import Vocabulary, load_vocabulary, parse
from coach.core.events import Heard


@dataclass(frozen=True)
class TypedText:
    """Typed lines become commands through the command parser (the bundled vocabulary by default)."""

    vocabulary: Vocabulary = field(default_factory=load_vocabulary)

    def heard(self, text: str, at: float) -> Heard | None:
        """The command ``text`` typed at ``at`` (s) is, or None when it is none."""
        parsed = parse(text, self.vocabulary)
        if parsed is None:
            return None
        return Heard(parsed.intent, text, 1.0, at, parsed.number)
