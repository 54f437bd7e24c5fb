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

from coach.speech_out import stepwise_json

_DECODER = json.JSONDecoder()


class PackedTable:
    """A read-only ``str -> JSON value`` table: sorted UTF-8 keys, values kept as JSON text."""

    def __init__(self, keys: bytes, key_ends: np.ndarray, values: bytes, value_ends: np.ndarray):
        self._keys = keys
        self._key_ends = key_ends
        self._values = values
        self._value_ends = value_ends

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
            yield self._keys[start:end].decode("utf-8", "surrogatepass")
            start = end

    @property
    def nbytes(self) -> int:
        return (len(self._keys) + len(self._values) + self._key_ends.nbytes
                + self._value_ends.nbytes)


class _Builder:
    """Entries added one at a time into flat bytes; ``table()`` sorts them if they
    did not come in order (a lexicon's do; a tagger's do not). Of a repeated key
    the last value is kept, as ``json.loads`` keeps it."""

    def __init__(self) -> None:
        self.keys, self.values = bytearray(), bytearray()
        self.key_ends, self.value_ends = array("q"), array("q")
        self.in_order = True
        self._last = b""

    def add(self, key: str, value_json: str) -> None:
        encoded = key.encode("utf-8", "surrogatepass")
        if self.key_ends and encoded <= self._last:
            self.in_order = False
        self._last = encoded
        self.keys += encoded
        self.key_ends.append(len(self.keys))
        self.values += value_json.encode("utf-8")
        self.value_ends.append(len(self.values))

    def table(self) -> PackedTable:
        k_ends = np.array(self.key_ends, dtype=np.int64)
        v_ends = np.array(self.value_ends, dtype=np.int64)
        keys, values = bytes(self.keys), bytes(self.values)
        if self.in_order:
            return PackedTable(keys, _offsets(k_ends, len(keys)), values,
                               _offsets(v_ends, len(values)))
        k_starts = np.concatenate((np.zeros(1, np.int64), k_ends[:-1]))
        v_starts = np.concatenate((np.zeros(1, np.int64), v_ends[:-1]))
        lengths = k_ends - k_starts
        # The keys side by side in one fixed-width array, sorted there. A key holding
        # U+0000 would sort wrongly in it (numpy drops trailing zero bytes): refused.
        if b"\0" in keys:
            raise ValueError("a key holds U+0000")
        width = max(1, int(lengths.max()))
        grid = np.zeros((len(lengths), width), dtype=np.uint8)
        flat = np.frombuffer(keys, dtype=np.uint8)
        for row, (start, length) in enumerate(zip(k_starts.tolist(), lengths.tolist())):
            grid[row, :length] = flat[start:start + length]
        fixed = grid.view(f"S{width}").ravel()
        order = np.argsort(fixed, kind="stable")
        ordered = fixed[order]
        last_of_equal = np.concatenate((ordered[:-1] != ordered[1:], [True]))
        order = order[last_of_equal]  # of equal keys, the last one read
        del grid, fixed, ordered
        out = _Builder()
        ks, ke, vs, ve = k_starts.tolist(), k_ends.tolist(), v_starts.tolist(), v_ends.tolist()
        for i in order.tolist():
            out.keys += keys[ks[i]:ke[i]]
            out.key_ends.append(len(out.keys))
            out.values += values[vs[i]:ve[i]]
            out.value_ends.append(len(out.values))
        return out.table()


def _offsets(ends: np.ndarray, size: int) -> np.ndarray:
    return ends.astype(np.uint32 if size < 2**32 else np.int64)


def packed_object(text: str, start: int = 0) -> tuple[PackedTable, int]:
    """The JSON object at ``text[start:]`` as a PackedTable, and where it ends.

    Each value is decoded once to find its end, then dropped; bad text raises
    ``json.JSONDecodeError`` as ``json.loads`` would."""
    builder = _Builder()

    def entry(key: str, value_start: int) -> int:
        end = stepwise_json.value_end(text, value_start)
        builder.add(key, text[value_start:end])
        return end

    end = stepwise_json.walk_object(text, stepwise_json.skip(text, start), entry)
    return builder.table(), end


def packed_lexicon(text: str) -> PackedTable:
    """A lexicon file: one JSON object, word -> phonemes (or part of speech -> phonemes)."""
    table, end = packed_object(text)
    stepwise_json.expect_end(text, end)
    return table


PACKED_IN_TAGGER = ("weights", "tagdict")


def packed_tagger_model(text: str) -> dict[str, Any]:
    """The tagger's model as JSON gives it, but its ``weights`` and ``tagdict`` packed
    (walked an entry at a time, like the rest: never decoded whole)."""
    model: dict[str, Any] = {}

    def entry(key: str, value_start: int) -> int:
        if key in PACKED_IN_TAGGER:
            model[key], end = packed_object(text, value_start)
        else:
            model[key], end = _DECODER.raw_decode(text, value_start)
        return int(end)

    end = stepwise_json.walk_object(text, stepwise_json.skip(text, 0), entry)
    stepwise_json.expect_end(text, end)
    return model
