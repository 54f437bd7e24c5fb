"""A read-only table of words, packed in one block of bytes: the neural voice's
dictionaries at a fraction of the memory.

The neural voice looks words up in two pronouncing dictionaries (90,201 and
93,361 words) and its part-of-speech tagger in a table of 13,906 words.
Loaded as Python dicts the dictionaries alone grew the process by 36 MB;
they are only ever read, a few dozen lookups a sentence. ``PackedTable``
keeps such a table as sorted ``key NUL json-value`` entries in one ``bytes``
with an array of where each starts, a binary search a lookup (some
microseconds; a sentence is rendered in tens of milliseconds). Measured in
one process with the voice loaded and 169 lines rendered, freed memory
handed back: 29 MB less. Packing costs time when the voice loads (0.6 s
for these three tables), so the tagger's 79,534 weighted features stay a
dict: packing them too saved 7 MB more but took another second, and the
voice then came in late enough for a short session to end before it did.
Values come back as ``json.loads`` gives them, a new object each time, so
nothing can change the table.
"""

from __future__ import annotations

import json
from array import array
from collections.abc import Mapping
from typing import Any

_SEP = 0  # NUL: between a key and its value (no key holds one)


class PackedTable:
    """What the voice asks of its dicts: ``get`` and ``in``, on a packed copy of ``table``."""

    def __init__(self, table: Mapping[str, Any]) -> None:
        entries = sorted((key.encode("utf-8"), value) for key, value in table.items())
        starts = array("Q")
        parts: list[bytes] = []
        at = 0
        for key, value in entries:
            if b"\x00" in key:
                raise ValueError(f"a key holds a NUL byte: {key!r}")
            entry = key + b"\x00" + json.dumps(value, ensure_ascii=False,
                                               separators=(",", ":")).encode("utf-8")
            starts.append(at)
            parts.append(entry)
            at += len(entry)
        starts.append(at)
        self._blob = b"".join(parts)
        self._starts = starts
        self._count = len(entries)

    def __len__(self) -> int:
        return self._count

    def _find(self, key: str) -> int | None:
        """The index of ``key``'s entry, or None."""
        want = key.encode("utf-8", "surrogatepass")
        blob, starts = self._blob, self._starts
        lo, hi = 0, self._count
        while lo < hi:
            mid = (lo + hi) // 2
            start = starts[mid]
            found = blob[start : blob.index(_SEP, start)]
            if found < want:
                lo = mid + 1
            elif found > want:
                hi = mid
            else:
                return mid
        return None

    def get(self, key: str, default: Any = None) -> Any:
        index = self._find(key)
        if index is None:
            return default
        start, end = self._starts[index], self._starts[index + 1]
        value_at = self._blob.index(_SEP, start) + 1
        return json.loads(self._blob[value_at:end])

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and self._find(key) is not None
