"""How each engine is given a line so that it is heard as meant (``pronounce.yaml``).

The coach's lines are written for people; an engine may read one of them
wrongly ("Lift." heard as "left", a bare "6" as "sex"). ``pronounce.yaml``
holds, per engine, rules that rewrite the text handed to that engine only:
the transcript, the session and the phrase cache's key keep the coach's own
words. A rule is a regular expression and its replacement, applied in order;
hibari reads ``[word](/phonemes/)`` as a word with those phonemes.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from coach.errors import CoachError

FILE = Path(__file__).with_name("pronounce.yaml")
ENGINES = ("hibari", "espeak-ng")


class PronunciationError(CoachError):
    """pronounce.yaml is not valid."""


@dataclass(frozen=True)
class Rule:
    pattern: re.Pattern[str]
    replacement: str


class Pronunciations:
    """The rules of every engine, read once."""

    def __init__(self, rules: dict[str, list[Rule]], digests: dict[str, str]):
        self._rules = rules
        self._digests = digests

    @classmethod
    def bundled(cls) -> Pronunciations:
        return cls.read(FILE)

    @classmethod
    def read(cls, path: Path) -> Pronunciations:
        try:
            root = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError) as exc:
            raise PronunciationError(f"{path}: cannot be read ({exc}).") from None
        if not isinstance(root, dict):
            raise PronunciationError(f"{path}: expected a mapping of engine names to rules.")
        rules: dict[str, list[Rule]] = {}
        digests: dict[str, str] = {}
        for engine in ENGINES:
            entries = root.get(engine) or []
            if not isinstance(entries, list):
                raise PronunciationError(f"{path}: {engine}: expected a list of rules.")
            found = []
            for n, entry in enumerate(entries):
                where = f"{path}: {engine}[{n}]"
                if not isinstance(entry, dict) or set(entry) - {"match", "say", "why"} \
                        or not isinstance(entry.get("match"), str) or not isinstance(entry.get("say"), str):
                    raise PronunciationError(f"{where}: expected 'match' and 'say' (strings), "
                                             "and optionally 'why'.")
                try:
                    found.append(Rule(re.compile(entry["match"]), entry["say"]))
                except re.error as exc:
                    raise PronunciationError(f"{where}.match: not a regular expression ({exc}).") from None
            rules[engine] = found
            text = "\n".join(f"{r.pattern.pattern}\0{r.replacement}" for r in found)
            digests[engine] = hashlib.sha256(text.encode()).hexdigest()[:12]
        unknown = set(root) - set(ENGINES)
        if unknown:
            raise PronunciationError(f"{path}: unknown engine {sorted(unknown)[0]!r}; "
                                     f"expected {', '.join(ENGINES)}.")
        return cls(rules, digests)

    def spoken(self, text: str, engine: str) -> str:
        """``text`` as ``engine`` should be given it."""
        for rule in self._rules.get(engine, []):
            text = rule.pattern.sub(rule.replacement, text)
        return text

    def digest(self, engine: str) -> str:
        """Changes whenever ``engine``'s rules change (for the phrase cache's key)."""
        return self._digests.get(engine, "")
