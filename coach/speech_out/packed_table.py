"""A read-only table of words, packed in one block of bytes: the neural voice's
dictionaries at a fraction of the memory.

The neural voice looks words up in two pronouncing dictionaries (90,201 and
93,361 words) and a part-of-speech tagger (13,906 words and 79,534 weighted
features). Loaded as Python dicts they grew the process by 63 MB, more
than the voice model itself; they are only ever read, a few dozen lookups
a sentence. ``PackedTable`` keeps them as sorted ``key NUL json-value``
entries in one ``bytes`` with an array of where each starts: 11 MB for all
four, a binary search a lookup (some microseconds; a sentence is rendered
in tens of milliseconds). Measured in one process with the voice loaded and
169 lines rendered, freed memory handed back: 36 MB less than the dicts.
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
