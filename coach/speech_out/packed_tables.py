"""The neural voice's large tables, packed into flat bytes instead of Python dicts.

hibari's two pronunciation lexicons (some 90 000 words each) and its
tagger's weights (80 000 features) are JSON objects. As dicts of small
Python strings and dicts they held about 60 MB of the live coach's memory,
for a few hundred lookups a sentence. Here each object is read from its
JSON one entry at a time, without the dict ever being built, into flat
arrays: the keys (UTF-8, sorted), and each value's own JSON text. A lookup
bisects the keys and decodes that one value, so it answers exactly what the
dict would have (the same JSON decoder reads the same text), from about a
tenth of the memory, in a few microseconds.

Reading one entry at a time also matters for what is left behind: a dict of
a hundred thousand small objects, built and then dropped, leaves the
interpreter's small-object memory full of holes that are not handed back.
Here each entry's objects are dropped before the next is read.

Only what hibari asks of these tables is offered: ``get`` and ``in``.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Iterator
from typing import Any

import numpy as np

_DECODER = json.JSONDecoder()
_SPACE = " \t\n\r"


class PackedTable:
    """A read-only ``str -> JSON value`` table: sorted UTF-8 keys, values kept as JSON text."""

    def __init__(self, keys: bytes, key_ends: np.ndarray, values: bytes, value_ends: np.ndarray):
        self._keys = keys
        self._key_ends = key_ends
        self._values = values
        self._value_ends = value_ends

    @classmethod
    def from_entries(cls, entries: Iterator[tuple[str, str]]) -> PackedTable:
        """From ``(key, value's JSON text)`` pairs in any order; of a repeated key the
        last value is kept, as ``json.loads`` keeps it."""
        keys, values = bytearray(), bytearray()
        key_ends, value_ends = array("q"), array("q")
        in_order = True
        last = b""
        for key, value in entries:
            encoded = key.encode("utf-8", "surrogatepass")
            if key_ends and encoded <= last:
                in_order = False
            last = encoded
            keys += encoded
            key_ends.append(len(keys))
            values += value.encode("utf-8")
            value_ends.append(len(values))
        k_ends = np.frombuffer(key_ends, dtype=np.int64) if key_ends else np.zeros(0, np.int64)
        v_ends = np.frombuffer(value_ends, dtype=np.int64) if value_ends else np.zeros(0, np.int64)
        if in_order:
            return cls(bytes(keys), _offsets(k_ends, len(keys)), bytes(values),
                       _offsets(v_ends, len(values)))
        return cls._sorted(bytes(keys), k_ends, bytes(values), v_ends)

    @classmethod
    def _sorted(cls, keys: bytes, k_ends: np.ndarray, values: bytes,
                v_ends: np.ndarray) -> PackedTable:
        k_starts = np.concatenate((np.zeros(1, np.int64), k_ends[:-1]))
        v_starts = np.concatenate((np.zeros(1, np.int64), v_ends[:-1]))
        lengths = k_ends - k_starts
        width = max(1, int(lengths.max()))
        # one fixed-width array of the keys (no key holds a NUL: JSON escapes it, and
        # UTF-8 encodes it as a zero byte only for U+0000, refused below)
        if b"\0" in keys:
            raise ValueError("a key holds U+0000")
        grid = np.zeros((len(lengths), width), dtype=np.uint8)
        flat = np.frombuffer(keys, dtype=np.uint8)
        for row, (start, length) in enumerate(zip(k_starts.tolist(), lengths.tolist())):
            grid[row, :length] = flat[start:start + length]
        fixed = grid.view(f"S{width}").ravel()
        order = np.argsort(fixed, kind="stable")
        same_as_next = fixed[order][:-1] == fixed[order][1:]
        order = order[np.concatenate((~same_as_next, [True]))]  # the last of equal keys
        del grid, fixed
        out_keys, out_values = bytearray(), bytearray()
        out_k, out_v = array("q"), array("q")
        ks, ke, vs, ve = k_starts.tolist(), k_ends.tolist(), v_starts.tolist(), v_ends.tolist()
        for i in order.tolist():
            out_keys += keys[ks[i]:ke[i]]
            out_k.append(len(out_keys))
            out_values += values[vs[i]:ve[i]]
            out_v.append(len(out_values))
        return cls(bytes(out_keys), _offsets(np.frombuffer(out_k, dtype=np.int64), len(out_keys)),
                   bytes(out_values), _offsets(np.frombuffer(out_v, dtype=np.int64), len(out_values)))

    def __len__(self) -> int:
        return len(self._key_ends)

    def _index(self, key: str) -> int:
        """The entry's index, or -1."""
        wanted = key.encode("utf-8", "surrogatepass")
        ends, keys = self._key_ends, self._keys
        lo, hi = 0, len(ends)
        while lo < hi:
            mid = (lo + hi) // 2
            found = keys[int(ends[mid - 1]) if mid else 0:int(ends[mid])]
            if found < wanted:
                lo = mid + 1
            elif found > wanted:
                hi = mid
            else:
                return mid
        return -1

    def get(self, key: str, default: Any = None) -> Any:
        if not isinstance(key, str):
            return default
        index = self._index(key)
        if index < 0:
            return default
        start = int(self._value_ends[index - 1]) if index else 0
        return _DECODER.decode(self._values[start:int(self._value_ends[index])].decode("utf-8"))

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._index(key) >= 0

    def keys(self) -> Iterator[str]:
        start = 0
        for end in self._key_ends.tolist():
            yield self._keys[start:end].decode("utf-8")
            start = end

    @property
    def nbytes(self) -> int:
        return (len(self._keys) + len(self._values) + self._key_ends.nbytes
                + self._value_ends.nbytes)


def _offsets(ends: np.ndarray, size: int) -> np.ndarray:
    return ends.astype(np.uint32 if size < 2**32 else np.int64)


class ObjectEntries:
    """The entries of the JSON object at ``text[start:]``: each key, and where its
    value's text starts and ends. Each value is decoded once to find its end, then
    dropped. Bad text raises ``json.JSONDecodeError`` as ``json.loads`` would;
    after the last entry ``end`` is where the object's text ends."""

    def __init__(self, text: str, start: int = 0):
        self.text = text
        self.start = start
        self.end = -1

    def __iter__(self) -> Iterator[tuple[str, int, int]]:
        text = self.text
        i = _skip(text, self.start)
        if i >= len(text) or text[i] != "{":
            raise json.JSONDecodeError("Expecting '{'", text, i)
        i = _skip(text, i + 1)
        if i < len(text) and text[i] == "}":
            self.end = i + 1
            return
        while True:
            key, i = _DECODER.raw_decode(text, i)
            if not isinstance(key, str):
                raise json.JSONDecodeError("Expecting a string key", text, i)
            i = _skip(text, i)
            if i >= len(text) or text[i] != ":":
                raise json.JSONDecodeError("Expecting ':' delimiter", text, i)
            value_start = _skip(text, i + 1)
            _, i = _DECODER.raw_decode(text, value_start)
            yield key, value_start, i
            i = _skip(text, i)
            if i < len(text) and text[i] == ",":
                i = _skip(text, i + 1)
                continue
            if i < len(text) and text[i] == "}":
                self.end = i + 1
                return
            raise json.JSONDecodeError("Expecting ',' or '}'", text, i)


def packed_object(text: str, start: int = 0) -> tuple[PackedTable, int]:
    """The JSON object at ``text[start:]`` as a PackedTable, and where it ends."""
    entries = ObjectEntries(text, start)
    table = PackedTable.from_entries((key, text[s:e]) for key, s, e in entries)
    return table, entries.end


def packed_lexicon(text: str) -> PackedTable:
    """A lexicon file: one JSON object, word -> phonemes (or part of speech -> phonemes)."""
    table, end = packed_object(text)
    _nothing_after(text, end)
    return table


def packed_tagger_model(text: str) -> dict[str, Any]:
    """The tagger's model as JSON gives it, but its ``weights`` and ``tagdict`` packed."""
    model: dict[str, Any] = {}
    entries = ObjectEntries(text)
    for key, s, e in entries:
        model[key] = packed_object(text, s)[0] if key in ("weights", "tagdict") else \
            _DECODER.decode(text[s:e])
    _nothing_after(text, entries.end)
    return model


def _nothing_after(text: str, end: int) -> None:
    if _skip(text, end) != len(text):
        raise json.JSONDecodeError("Extra data", text, end)


def _skip(text: str, i: int) -> int:
    while i < len(text) and text[i] in _SPACE:
        i += 1
    return i
