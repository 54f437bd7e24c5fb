"""Safe YAML with line numbers, and a small API to validate what it holds.

Programs, the settings file and the command vocabulary are all YAML a person
may edit by hand. Whatever they write, coach must answer with messages that
point at the file, the line and the field, never with a traceback, and must
never build an object from half-valid data. So this module:

- reads at most ``MAX_BYTES`` (a 10 MB file is refused before it is parsed);
- composes the text into nodes with yaml's SafeLoader, which keeps the line of
  every value, but never constructs Python objects from tags;
- refuses anchors and aliases (a few lines of aliases can expand to gigabytes)
  and any tag outside plain YAML (``!!python/object`` and friends);
- lets the caller walk the nodes through ``Item``, whose converters collect
  every problem as ``FILE:LINE: field.path: what is wrong (got X)`` in a
  shared ``Problems`` list instead of raising at the first one.

The caller raises all the problems together at the end with
``problems.raise_if_any(ProgramError)`` (or a sibling error class).
"""

from __future__ import annotations

import difflib
import heapq
import math
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from coach.errors import CoachError, ProgramError
from coach.regular_files import NotAFileError, open_regular
from coach.visible import first_control, name_of, visible

MAX_BYTES = 1_000_000  # 1 MB: far more than any hand-written file needs
MAX_PROBLEMS_SHOWN = 100  # a screenful or two; the rest are counted

ErrorFactory = Callable[[list[str]], CoachError]

_CORE = "tag:yaml.org,2002:"
STR, INT, FLOAT, BOOL, NULL = (f"{_CORE}{t}" for t in ("str", "int", "float", "bool", "null"))
SEQ, MAP, TIMESTAMP = f"{_CORE}seq", f"{_CORE}map", f"{_CORE}timestamp"
ALLOWED_TAGS = frozenset({STR, INT, FLOAT, BOOL, NULL, SEQ, MAP, TIMESTAMP})

_constructor = yaml.constructor.SafeConstructor()


class _Refused(Exception):
    """Raised inside the composer to stop at the first unsafe construct."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


class _Loader(yaml.SafeLoader):
    """SafeLoader whose composer refuses anchors, aliases and foreign tags."""

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent):
            raise _Refused(line, "aliases (*name) are not allowed; write the value out in full")
        if getattr(event, "anchor", None) is not None:
            raise _Refused(line, "anchors (&name) are not allowed; write the value out in full")
        node: yaml.Node = super().compose_node(parent, index)  # type: ignore[no-untyped-call]
        if node.tag not in ALLOWED_TAGS:
            raise _Refused(
                node.start_mark.line + 1,
                f"the tag {_show_tag(node.tag)} is not allowed; use plain text, numbers, "
                "lists and mappings",
            )
        return node


def _show_tag(tag: str) -> str:
    return "!!" + tag[len(_CORE) :] if tag.startswith(_CORE) else tag


class Problems:
    """The problems found in one file, as ``FILE:LINE: path: message`` lines.

    A file can hold tens of thousands of mistakes (a pasted list of unknown
    keys); nobody reads past the first screenful. So only the first
    ``MAX_PROBLEMS_SHOWN`` in file order are kept as text, the others are
    counted, and every step is constant time: a 60,000-problem file is
    checked in one pass.
    """

    def __init__(self, file: str):
        self.file = file
        self._kept: list[tuple[int, int, str]] = []  # a heap of (-line, -order, text)
        self._seen: set[int] = set()  # hashes of every problem, to keep each once
        self._more = 0
        self._dirty: set[str] = set()  # every path with a problem, and every path holding one

    def add(self, line: int | None, path: str, message: str) -> None:
        where = f"{self.file}:{line}" if line is not None else self.file
        text = visible(f"{where}: {path}: {message}" if path else f"{where}: {message}")
        at = int(line or 0)
        key = hash((at, text))
        if key in self._seen:
            return
        self._seen.add(key)
        self._mark(path)
        entry = (-at, -len(self._seen), text)
        if len(self._kept) < MAX_PROBLEMS_SHOWN:
            heapq.heappush(self._kept, entry)
        else:  # keep the earliest in the file; the latest of those kept is counted instead
            heapq.heappushpop(self._kept, entry)
            self._more += 1

    def _mark(self, path: str) -> None:
        self._dirty.add(path)
        for i, char in enumerate(path):
            if char in ".[":
                self._dirty.add(path[:i])

    @property
    def full(self) -> bool:
        """True once more problems would not be shown: checks may skip costly hints."""
        return len(self._kept) >= MAX_PROBLEMS_SHOWN

    def clean(self, path: str) -> bool:
        """True when nothing at ``path`` or inside it was reported.

        Cross-field checks use it to stay quiet about a value that was already
        found wrong, so one mistake gives one message, not a cascade.
        """
        return path not in self._dirty

    @property
    def messages(self) -> list[str]:
        """In the order of the file, so a person can fix them top to bottom."""
        shown = [text for _, _, text in sorted(self._kept, reverse=True)]
        if self._more:
            shown.append(f"{self.file}: ... and {self._more:,} more problems; "
                         "fix these first, then check the file again")
        return shown

    def raise_if_any(self, error: ErrorFactory = ProgramError) -> None:
        if self._kept:
            raise error(self.messages)

    def __bool__(self) -> bool:
        return bool(self._kept)


def read_yaml(
    path: Path | str,
    *,
    error: ErrorFactory = ProgramError,
    max_bytes: int = MAX_BYTES,
    empty_mapping: bool = False,
) -> Item:
    """Read and compose one YAML file; raise ``error`` if it cannot be read safely.

    ``empty_mapping``: a file with nothing in it (or only comments) reads as a
    mapping with no fields, for files whose every field has a default.
    """
    path = Path(path)
    file = str(path)
    try:
        with open_regular(path) as f:
            size = os.fstat(f.fileno()).st_size
            if size > max_bytes:
                too_large = f"got {size / 1_000_000:.1f} MB, at most {_megabytes(max_bytes)}"
                raise error([f"{file}: file is too large ({too_large})"])
            data = f.read(max_bytes + 1)
    except FileNotFoundError:
        raise error([f"{file}: no such file; check the name and the folder"]) from None
    except IsADirectoryError:
        raise error([f"{file}: is a folder, not a YAML file"]) from None
    except NotAFileError as exc:
        raise error([exc.message]) from None
    except OSError as exc:
        raise error([f"{file}: cannot be read ({exc.strerror or exc})"]) from None
    if len(data) > max_bytes:  # the file grew after stat
        raise error([f"{file}: file is too large (more than {_megabytes(max_bytes)})"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise error([f"{file}:{line}: the file is not UTF-8 text; save it as UTF-8"]) from None
    return parse_yaml(text, file, error=error, empty_mapping=empty_mapping)


def parse_yaml(
    text: str, file: str, *, error: ErrorFactory = ProgramError, empty_mapping: bool = False
) -> Item:
    """Compose YAML text into an ``Item``; ``file`` names it in messages."""
    problems = Problems(file)
    try:
        loader = _Loader(text)
        try:
            node = loader.get_single_node()
        finally:
            loader.dispose()  # type: ignore[no-untyped-call]
    except _Refused as exc:
        raise error([f"{file}:{exc.line}: {exc.message}"]) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else 1
        what = exc.problem or exc.context or "not valid YAML"
        hint = "check the indentation, colons and quotes on this line and the one before"
        raise error([f"{file}:{line}: YAML syntax: {what}; {hint}"]) from None
    except yaml.reader.ReaderError as exc:
        line = text[: exc.position].count("\n") + 1
        code = exc.character if isinstance(exc.character, int) else 0
        bad = f"the file holds a character YAML does not allow (got #x{code:04x}); remove it"
        raise error([f"{file}:{line}: {bad}"]) from None
    except yaml.YAMLError as exc:
        raise error([f"{file}:1: not valid YAML ({exc})"]) from None
    except RecursionError:
        raise error([f"{file}:1: the file nests lists or mappings too deeply"]) from None
    blank = node is None or (isinstance(node, yaml.ScalarNode) and node.tag == NULL)
    if blank and empty_mapping:  # nothing but comments, or a bare "---"
        start = yaml.error.Mark(file, 0, 0, 0, text, 0)  # type: ignore[no-untyped-call]
        node = yaml.MappingNode(MAP, [], start, start)  # type: ignore[no-untyped-call]
    if node is None:
        raise error([f"{file}:1: the file is empty"])
    return Item(node, "", problems)


def _megabytes(size: int) -> str:
    mb = size / 1_000_000
    return f"{mb:.0f} MB" if mb == int(mb) else f"{mb:.1f} MB"


def _describe(node: yaml.Node) -> str:
    if isinstance(node, yaml.MappingNode):
        return "a mapping"
    if isinstance(node, yaml.SequenceNode):
        return "a list"
    if node.tag == NULL:
        return "nothing"
    value = str(node.value)
    if len(value) > 40:
        value = value[:37] + "..."
    return f"'{value}'" if node.tag == STR else value


def join(path: str, key: str) -> str:
    """``join("exercises[3]", "dose")`` -> ``"exercises[3].dose"``."""
    return f"{path}.{key}" if path else key


@dataclass(frozen=True)
class Item:
    """One value in a YAML file, with where it is, and converters that validate it.

    A converter that finds a problem records it and returns a harmless default,
    so validation carries on and reports everything; the caller must call
    ``problems.raise_if_any`` before using what it built.
    """

    node: yaml.Node
    path: str
    problems: Problems
    missing: bool = False  # a required field that is absent: already reported
    key_line: int | None = None  # the line of its key, when it is a field of a mapping

    @property
    def line(self) -> int:
        """Where a person should look: the field's key, else the value itself."""
        if self.key_line is not None:
            return self.key_line
        return int(self.node.start_mark.line) + 1

    @property
    def is_mapping(self) -> bool:
        return not self.missing and isinstance(self.node, yaml.MappingNode)

    @property
    def is_null(self) -> bool:
        return isinstance(self.node, yaml.ScalarNode) and self.node.tag == NULL

    def problem(self, message: str) -> None:
        """Record a problem about this value (for checks the converters cannot do)."""
        self.problems.add(self.line, self.path, message)

    def _fail(self, expected: str, hint: str = "") -> None:
        if not self.missing:
            self.problem(f"expected {expected} (got {_describe(self.node)}){hint}")

    def fields(self, required: Sequence[str], optional: Sequence[str] = ()) -> Fields:
        """Read a mapping whose keys must be among ``required`` and ``optional``."""
        present: dict[str, Item] = {}
        if self.missing or not isinstance(self.node, yaml.MappingNode):
            self._fail("a mapping of fields")
            return Fields(self, present, poisoned=True)
        allowed = [*required, *optional]
        for key_node, value_node in self.node.value:
            if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag == STR):
                self.problems.add(
                    key_node.start_mark.line + 1,
                    self.path,
                    f"field names must be plain words (got {_describe(key_node)})",
                )
                continue
            key = str(key_node.value)
            where = key_node.start_mark.line + 1
            if key in present:
                self.problems.add(
                    where,
                    join(self.path, key),
                    f"appears twice (first on line {present[key].line})",
                )
                continue
            if key not in allowed:
                full = self.problems.full  # the hint would not be shown: skip its cost
                close = [] if full else difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
                hint = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else "expected one of: " + ", ".join(allowed)
                )
                self.problems.add(where, join(self.path, key), f"unknown field ({hint})")
                continue
            present[key] = Item(value_node, join(self.path, key), self.problems, key_line=where)
        for key in required:
            if key not in present:
                self.problems.add(self.line, join(self.path, key), "required field is missing")
        return Fields(self, present)

    def entries(self) -> list[tuple[str, Item]]:
        """Read a mapping whose keys are names the file chooses (ids, not field names)."""
        if self.missing or not isinstance(self.node, yaml.MappingNode):
            self._fail("a mapping")
            return []
        found: dict[str, Item] = {}
        for key_node, value_node in self.node.value:
            where = key_node.start_mark.line + 1
            if not (isinstance(key_node, yaml.ScalarNode) and key_node.tag == STR):
                self.problems.add(
                    where, self.path, f"expected names as keys (got {_describe(key_node)})"
                )
                continue
            key = str(key_node.value)
            if key in found:
                message = f"appears twice (first on line {found[key].line})"
                self.problems.add(where, join(self.path, key), message)
                continue
            found[key] = Item(value_node, join(self.path, key), self.problems, key_line=where)
        return list(found.items())

    def items(self, *, min_items: int = 0) -> list[Item]:
        """Read a list; each element carries its ``path[i]``."""
        if self.missing or not isinstance(self.node, yaml.SequenceNode):
            self._fail("a list")
            return []
        found = [Item(n, f"{self.path}[{i}]", self.problems) for i, n in enumerate(self.node.value)]
        if len(found) < min_items:
            self.problem(
                f"expected at least {min_items} item{'s' if min_items > 1 else ''} "
                f"(got {len(found)})"
            )
        return found

    def text(self, *, allow_empty: bool = False) -> str:
        if not (isinstance(self.node, yaml.ScalarNode) and self.node.tag == STR):
            scalar = isinstance(self.node, yaml.ScalarNode) and not self.is_null
            self._fail("text", "; put it in quotes if it is meant as text" if scalar else "")
            return ""
        value = str(self.node.value)
        if self.node.style in ("|", ">"):  # a block ends with a line break of its own
            value = value.rstrip("\n")
        if (char := first_control(value)) is not None:
            self.problem(_control_problem(char))
        elif not allow_empty and not value.strip():
            self.problem("must not be empty")
        return value

    def texts(self, *, min_items: int = 0) -> tuple[str, ...]:
        return tuple(item.text() for item in self.items(min_items=min_items))

    def integer(self, *, minimum: int | None = None, maximum: int | None = None) -> int:
        expected = _bounded("a whole number", minimum, maximum)
        if not (isinstance(self.node, yaml.ScalarNode) and self.node.tag == INT):
            self._fail(expected)
            return minimum if minimum is not None else 0
        value = int(_constructor.construct_yaml_int(self.node))  # type: ignore[no-untyped-call]
        if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
            self._fail(expected)
        return value

    def number(
        self, *, minimum: float | None = None, positive: bool = False, maximum: float | None = None
    ) -> float:
        """A finite int or float; ``positive`` means strictly greater than zero."""
        expected = "a number > 0" if positive else _bounded("a number", minimum, maximum)
        if positive and maximum is not None:
            expected += f" and <= {maximum:g}"
        if not (isinstance(self.node, yaml.ScalarNode) and self.node.tag in (INT, FLOAT)):
            self._fail(expected)
            return 1.0
        if self.node.tag == INT:
            value = float(_constructor.construct_yaml_int(self.node))  # type: ignore[no-untyped-call]
        else:
            value = float(_constructor.construct_yaml_float(self.node))  # type: ignore[no-untyped-call]
        if (
            not math.isfinite(value)
            or (positive and value <= 0)
            or (minimum is not None and value < minimum)
            or (maximum is not None and value > maximum)
        ):
            self._fail(expected)
        return value

    def boolean(self) -> bool:
        if not (isinstance(self.node, yaml.ScalarNode) and self.node.tag == BOOL):
            self._fail("true or false")
            return False
        return bool(_constructor.construct_yaml_bool(self.node))  # type: ignore[no-untyped-call]

    def choice(self, choices: Sequence[str]) -> str:
        """Text that must be one of ``choices``; returns "" when it is not."""
        value = self.text()
        if value and value not in choices:
            close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.6)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            self.problem(f"expected one of {', '.join(choices)} (got '{value}'){hint}")
            return ""
        return value


def _control_problem(char: str) -> str:
    if char == "\n":
        return "holds a line break; write it on one line (a long text can be folded with '>-')"
    return f"holds {name_of(char)}; remove it: write plain text, as it would be read aloud"


def _bounded(what: str, minimum: float | None, maximum: float | None) -> str:
    if minimum is not None and maximum is not None:
        return f"{what} from {minimum:g} to {maximum:g}"
    if minimum is not None:
        return f"{what} >= {minimum:g}"
    if maximum is not None:
        return f"{what} <= {maximum:g}"
    return what


class Fields:
    """The fields of one mapping, after unknown and missing keys were reported."""

    def __init__(self, owner: Item, present: dict[str, Item], poisoned: bool = False):
        self.owner = owner
        self._present = present
        self._poisoned = poisoned  # the value was not a mapping at all: already reported

    @property
    def valid(self) -> bool:
        """False when the value was not a mapping (already reported): skip further checks."""
        return not self._poisoned

    def __contains__(self, key: str) -> bool:
        return key in self._present

    def get(self, key: str) -> Item | None:
        """An optional field, or None when absent (or written as null)."""
        item = self._present.get(key)
        return None if item is None or item.is_null else item

    def __getitem__(self, key: str) -> Item:
        """A required field; if absent, a stand-in whose converters stay silent."""
        item = self._present.get(key)
        if item is not None:
            return item
        return Item(self.owner.node, join(self.owner.path, key), self.owner.problems, missing=True)
