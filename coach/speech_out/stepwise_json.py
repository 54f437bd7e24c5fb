"""JSON objects parsed entry by entry, so that a large one does not hold up the speaker.

The neural voice's tables are JSON (the largest, its lexicons and tagger,
are packed instead: ``packed_tables``, read the same way). Parsed with one
``json.loads`` a table of megabytes holds the interpreter for half a second
or more at a time, while the welcome is playing and the speaker pump needs
it every few milliseconds. Parsed here, the outer objects (down to ``depth``) are
walked one entry at a time in Python, and each value is handed to the C
decoder on its own: the same result, with a chance to switch threads between
entries. Keys are shared across entries as ``json.loads`` shares them (a
table of a hundred thousand small objects with the same few keys would
otherwise hold a copy of each key per object).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"


def loads(text: str, depth: int = 2) -> Any:
    """``json.loads(text)``, walking objects entry by entry down to ``depth`` levels."""
    value, end = _value(text, skip(text, 0), depth, {}, {})
    expect_end(text, end)
    return value


def expect_end(text: str, end: int) -> None:
    """Nothing but white space may follow the value that ends at ``end``."""
    if skip(text, end) != len(text):
        raise json.JSONDecodeError("Extra data", text, end)


def skip(text: str, i: int) -> int:
    """The first index from ``i`` on that is not JSON white space."""
    while i < len(text) and text[i] in _SPACE:
        i += 1
    return i


def walk_object(text: str, i: int, value: Callable[[str, int], int]) -> int:
    """The object at ``text[i]``, an entry at a time: ``value(key, start)`` reads the
    value that starts at ``start`` and says where it ends. Returns where the object
    ends; bad text raises ``json.JSONDecodeError`` as ``json.loads`` would."""
    if i >= len(text) or text[i] != "{":
        raise json.JSONDecodeError("Expecting '{'", text, i)
    i = skip(text, i + 1)
    if i < len(text) and text[i] == "}":
        return i + 1
    while True:
        key, i = _DECODER.raw_decode(text, i)
        if not isinstance(key, str):
            raise json.JSONDecodeError("Expecting a string key", text, i)
        i = skip(text, i)
        if i >= len(text) or text[i] != ":":
            raise json.JSONDecodeError("Expecting ':' delimiter", text, i)
        i = skip(text, value(key, skip(text, i + 1)))
        if i < len(text) and text[i] == ",":
            i = skip(text, i + 1)
            continue
        if i < len(text) and text[i] == "}":
            return i + 1
        raise json.JSONDecodeError("Expecting ',' or '}'", text, i)


def value_end(text: str, i: int) -> int:
    """Where the JSON value at ``text[i]`` ends (it is decoded to find out, and dropped)."""
    return int(_DECODER.raw_decode(text, i)[1])


def _value(text: str, i: int, depth: int, keys: dict[str, str],
           numbers: dict[float, float]) -> tuple[Any, int]:
    if depth <= 0 or i >= len(text) or text[i] != "{":
        value, end = _DECODER.raw_decode(text, i)
        if isinstance(value, dict):  # its keys and numbers shared too (a tagger's weights)
            value = {keys.setdefault(k, k): numbers.setdefault(v, v) if isinstance(v, float) else v
                     for k, v in value.items()}
        return value, end
    out: dict[str, Any] = {}

    def entry(key: str, start: int) -> int:
        out[keys.setdefault(key, key)], end = _value(text, start, depth - 1, keys, numbers)
        return end

    return out, walk_object(text, i, entry)
