"""Every sentence coach says or prints, read from the ``lines.yaml`` files.

Spoken words are the product's interface, so they live in data files that
can be reviewed, reworded or translated without touching the code: the
routine's (``coach/core/lines.yaml``), history's, the runtime's and speech
out's. This is the one loader for all of them. Each file is read and checked
once and kept: ``coach`` reads them all when it starts (``check_at_start``
in ``coach.cli``), each against every key the code asks it for
(``line_keys.yaml``, kept true by a test that reads the source), so a line
missing, not text, or with a bad placeholder is an error naming the file and
the key before anything is said, not halfway through a session. Code only
ever asks for a line by key with named values; no sentence is built in code.
"""

from __future__ import annotations

import string
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from coach.errors import CoachError
from coach.yamldata import read_yaml

PACKAGE = Path(__file__).parent
SESSION_LINES = PACKAGE / "core" / "lines.yaml"
KEYS_USED = PACKAGE / "line_keys.yaml"
LISTING = ("list_pair", "list_more", "list_pair_parts", "list_more_parts")  # ``Lines.listing`` fills these


def speaking_seconds(words: int, rate_wpm: int) -> float:
    """About how long ``words`` words take to say at ``rate_wpm`` words a minute."""
    return words * 60.0 / max(1, rate_wpm)


class LinesError(CoachError):
    """A lines file that cannot be read, or lacks a line or a placeholder."""


@dataclass(frozen=True)
class Lines:
    templates: Mapping[str, str]
    source: str = "<memory>"

    def get(self, key: str, **values: object) -> str:
        try:
            template = self.templates[key]
        except KeyError:
            raise LinesError(f"{self.source}: no line '{key}'. Add it to the file.") from None
        try:
            return template.format(**values)
        except (KeyError, IndexError, ValueError) as exc:
            raise LinesError(
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

    def listing(self, items: Sequence[str], *, parts: bool = False) -> str:
        """A list said as one phrase, "a, b and c": ``list_pair`` joins the last two,
        ``list_more`` puts each of the others before the rest. ``parts``: items that
        may hold commas of their own ("a high chair, a band or a weight") are set
        apart with semicolons instead (``list_pair_parts``, ``list_more_parts``),
        which the voice pauses at."""
        pair, more = ("list_pair_parts", "list_more_parts") if parts else ("list_pair", "list_more")
        if len(items) <= 1:
            return "".join(items)
        if len(items) == 2:
            return self.get(pair, first=items[0], last=items[1])
        return self.get(more, first=items[0], rest=self.listing(items[1:], parts=parts))


def read_lines(
    file: Path,
    *,
    required: Collection[str] = (),
    placeholders: Mapping[str, Collection[str]] | None = None,
) -> Lines:
    """Read one lines file and check it (not kept: ``lines_in`` keeps what it reads).

    ``required``: keys the file must hold. ``placeholders``: keys the file must
    hold, each with exactly these ``{names}``.
    """
    def error(problems: list[str]) -> LinesError:
        return LinesError("\n".join(problems))

    root = read_yaml(file, error=error)
    templates: dict[str, str] = {}
    for key, item in root.entries():
        value = item.text(allow_empty=True)
        for _, name, _, _ in string.Formatter().parse(value):
            if name is not None and not name.isidentifier():
                item.problem(f"bad placeholder {{{name}}}")
        templates[key] = value
    root.problems.raise_if_any(error)
    check(Lines(templates, source=str(file)), required=required, placeholders=placeholders)
    return Lines(templates, source=str(file))


def check(
    lines: Lines,
    *,
    required: Collection[str] = (),
    placeholders: Mapping[str, Collection[str]] | None = None,
) -> None:
    """Raise ``LinesError`` naming the file and the keys if ``lines`` lacks one
    of ``required``, or a line of ``placeholders`` has other ``{names}``."""
    file, templates = lines.source, lines.templates
    wanted = {**dict.fromkeys(required), **(placeholders or {})}
    missing = sorted(set(wanted) - set(templates))
    if missing:
        raise LinesError(f"{file}: missing lines: {', '.join(missing)}. Add them and try again.")
    for key, names in (placeholders or {}).items():
        found = {f[1] for f in string.Formatter().parse(templates[key]) if f[1]}
        if found != set(names):
            raise LinesError(
                f"{file}: {key}: placeholders {sorted(found)} should be {sorted(names)}."
            )


_READ: dict[Path, Lines] = {}
_KEYS: dict[str, frozenset[str]] = {}


def keys_used(name: str) -> frozenset[str]:
    """Every key the code asks the bundled lines file ``name`` ("core/lines.yaml") for."""
    if not _KEYS:
        root = read_yaml(KEYS_USED, error=lambda problems: LinesError("\n".join(problems)))
        for file, item in root.entries():
            _KEYS[file] = frozenset(item.texts())
        root.problems.raise_if_any(lambda problems: LinesError("\n".join(problems)))
    try:
        return _KEYS[name]
    except KeyError:
        raise LinesError(f"{KEYS_USED}: no keys listed for {name}. Add them.") from None


def lines_in(
    file: Path,
    *,
    required: Collection[str] = (),
    placeholders: Mapping[str, Collection[str]] | None = None,
) -> Lines:
    """The lines of a bundled file: read and checked once, then kept (and what
    this caller requires checked again: a cheap look at the keys)."""
    found = _READ.get(file)
    if found is None:
        found = _READ[file] = read_lines(file, required=required, placeholders=placeholders)
    else:
        check(found, required=required, placeholders=placeholders)
    return found


def check_bundled(root: Path | None = None) -> None:
    """Read every bundled lines file (under ``root``, the package by default) and
    check it holds every key the code asks it for: ``coach`` does this as it
    starts, so a missing line is named, with its file, before anything is said."""
    base = PACKAGE if root is None else root
    keys_used("core/lines.yaml")  # reads the list of files and their keys
    for name in sorted(_KEYS):
        required = (*LISTING, *_KEYS[name]) if name == "core/lines.yaml" else _KEYS[name]
        lines_in(base / name, required=required)


def load_lines(path: Path | str | None = None) -> Lines:
    """The routine's lines: the bundled English ones by default, kept once read.

    Another file (a rewording or a translation) must hold every line the
    bundled one does.
    """
    if path is None:
        return lines_in(SESSION_LINES, required=LISTING + tuple(keys_used("core/lines.yaml")))
    return read_lines(Path(path), required=lines_in(SESSION_LINES).templates.keys())
