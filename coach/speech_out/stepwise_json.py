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
from typing import Any

_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"


def loads(text: str, depth: int = 2) -> Any:
    """``json.loads(text)``, walking objects entry by entry down to ``depth`` levels."""
    value, end = _value(text, _skip(text, 0), depth, {}, {})
    if _skip(text, end) != len(text):
        raise json.JSONDecodeError("Extra data", text, end)
    return value


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _SPACE:
        i += 1
    return i


def _value(text: str, i: int, depth: int, keys: dict[str, str],
           numbers: dict[float, float]) -> tuple[Any, int]:
    if depth <= 0 or i >= len(text) or text[i] != "{":
        value, end = _DECODER.raw_decode(text, i)
        if isinstance(value, dict):  # its keys and numbers shared too (a tagger's weights)
            value = {keys.setdefault(k, k): numbers.setdefault(v, v) if isinstance(v, float) else v
                     for k, v in value.items()}
        return value, end
    out: dict[str, Any] = {}
    i = _skip(text, i + 1)
    if i < len(text) and text[i] == "}":
        return out, i + 1
    while True:
        key, i = _DECODER.raw_decode(text, i)
        if not isinstance(key, str):
            raise json.JSONDecodeError("Expecting a string key", text, i)
        i = _skip(text, i)
        if i >= len(text) or text[i] != ":":
            raise json.JSONDecodeError("Expecting ':' delimiter", text, i)
        out[keys.setdefault(key, key)], i = _value(text, _skip(text, i + 1), depth - 1, keys, numbers)
        i = _skip(text, i)
        if i < len(text) and text[i] == ",":
            i = _skip(text, i + 1)
            continue
        if i < len(text) and text[i] == "}":
            return out, i + 1
        raise json.JSONDecodeError("Expecting ',' or '}'", text, i)
