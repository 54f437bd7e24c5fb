"""Keep numpy's OpenBLAS on one thread in the live coach.

The echo canceller (coach.speech_in.echo) makes small matrix calls every 10
ms. OpenBLAS splits each over its worker threads, which then busy-wait for the
next call: on a 2-core machine that alone cost more than half a core while
the coach spoke (scripts/bench_live.py). One thread does the same work in
about 0.5 ms per block. The limit is set through OpenBLAS's own C function
(numpy may already be loaded, so the environment variable would be too late);
if no OpenBLAS is found, nothing changes.
"""

from __future__ import annotations

import ctypes
from collections.abc import Callable
from pathlib import Path

SETTERS = ("scipy_openblas_set_num_threads64_", "scipy_openblas_set_num_threads",
           "openblas_set_num_threads64_", "openblas_set_num_threads")
GETTERS = tuple(name.replace("_set_", "_get_") for name in SETTERS)


def _openblas_functions(names: tuple[str, ...]) -> list[Callable[..., int]]:
    """Of each OpenBLAS loaded in this process, the first of ``names`` it has."""
    import numpy  # noqa: F401 - loads its OpenBLAS

    try:
        maps = Path("/proc/self/maps").read_text()
    except OSError:
        return []
    paths = {line.split()[-1] for line in maps.splitlines()
             if "openblas" in line.lower() and line.split()[-1].startswith("/")}
    found = []
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for name in names:
            function = getattr(lib, name, None)
            if function is not None:
                found.append(function)
                break
    return found


def one_blas_thread() -> bool:
    """Limit every loaded OpenBLAS to one thread; True if one was found."""
    setters = _openblas_functions(SETTERS)
    for setter in setters:
        setter(1)
    return bool(setters)


def blas_threads() -> list[int]:
    """How many threads each loaded OpenBLAS uses (none found: an empty list)."""
    return [int(getter()) for getter in _openblas_functions(GETTERS)]
