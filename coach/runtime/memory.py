"""Keeping the live coach's memory small: fewer malloc arenas, freed memory handed back.

glibc gives each thread that allocates its own arena (up to eight per core),
and keeps what is freed in each for reuse. The live coach runs a recogniser,
the neural voice and its own threads side by side; each arena's leftovers
added up to some 20 MB of resident memory that nothing used. Two arenas
serve its few busy threads as well (measured: see README, "Live coach").
"""

from __future__ import annotations

M_ARENA_MAX = -8  # glibc's mallopt parameter
ARENAS = 2


def limit_malloc_arenas(arenas: int = ARENAS) -> None:
    """Call before the threads start; nothing happens where the C library is not glibc."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").mallopt(M_ARENA_MAX, arenas)
    except (OSError, AttributeError):
        pass
