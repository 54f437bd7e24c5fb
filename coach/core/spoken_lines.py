"""The coach's own spoken copy, read from ``lines.yaml``.

Spoken words are the product's interface, so they live in one data file that
can be reviewed, reworded or translated without touching the session logic.
The session only ever asks for a line by key with named values.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import yaml

from coach.errors import CoachError

BUNDLED = Path(__file__).with_name("lines.yaml")

# Every key the session uses; a copy file missing one is refused on load, so
# a gap is found when the file is read and not halfway through a session.
REQUIRED = frozenset(yaml.safe_load(BUNDLED.read_text(encoding="utf-8")))


@dataclass(frozen=True)
class Lines:
    templates: Mapping[str, str]
    source: str = "<memory>"

    def get(self, key: str, **values: object) -> str:
        try:
            template = self.templates[key]
        except KeyError:
            raise CoachError(f"{self.source}: no line '{key}'. Add it to the copy file.") from None
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError) as exc:
            raise CoachError(
                f"{self.source}: {key}: the line {template!r} needs {exc}; "
                f"it may use only {sorted(values)}."
            ) from None

    def count(self, key: str, number: float, **values: object) -> str:
        """A counted phrase: ``key_one`` for exactly one ("1 set"), else ``key`` ("3 sets").

        ``number`` fills ``{n}``; ``values`` fill the line's other placeholders.
        """
        if number == 1 and f"{key}_one" in self.templates:
            return self.get(f"{key}_one", n=number, **values)
        return self.get(key, n=number, **values)


def load_lines(path: Path | str | None = None) -> Lines:
    """Read the copy file (the bundled English one by default) and check it."""
    file = Path(path) if path is not None else BUNDLED
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as exc:
        raise CoachError(f"{file}: cannot read the spoken lines ({exc.strerror}).") from exc
    except yaml.YAMLError as exc:
        raise CoachError(f"{file}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise CoachError(f"{file}: expected a mapping of line keys to sentences.")
    missing = sorted(REQUIRED - set(raw))
    if missing:
        raise CoachError(f"{file}: missing lines: {', '.join(missing)}. Add them and try again.")
    templates: dict[str, str] = {}
    for key, value in raw.items():
        if not isinstance(value, str):
            raise CoachError(f"{file}: {key}: expected a sentence in quotes, got {value!r}.")
        for _, field_name, _, _ in string.Formatter().parse(value):
            if field_name is not None and not field_name.isidentifier():
                raise CoachError(f"{file}: {key}: bad placeholder {{{field_name}}}.")
        templates[str(key)] = value
    return Lines(templates, source=str(file))
