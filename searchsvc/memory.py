"""Memory a search server gives back to the system (glibc's ``malloc_trim`` and ``mallopt``,
public functions of the C library; elsewhere — musl, macOS, Windows — there is nothing to call,
and memory is only reused, not returned).

* A reader makes and drops millions of small objects once, reading what it knows per document
  (``tantivy_arrays``); what they used is given back afterwards (``release_free_memory``).
* Every search makes and drops NumPy arrays of a few MB (one entry per matching document).
  glibc serves a block of 128 KB or more from a mapping of its own, returned when freed, but it
  raises that threshold each time such a block is freed, up to 32 MB: the arrays of later
  searches then come from the heap, which keeps their pages after them (40 MB more after the
  query mix at 10,000 reports). ``map_large_blocks`` fixes the threshold at 1 MB.
* What a server keeps for as long as it serves an index (the per-document arrays and lists of
  10,000 reports: some 375,000 objects) would be walked by every full pass of Python's cyclic
  collector, which a few hundred searches set off: 20 ms each, and 0.2 s in a process holding
  more. ``settle_long_lived`` leaves them out of those passes once they are read.
"""
from __future__ import annotations

import ctypes
import ctypes.util
import gc
from functools import cache

__all__ = ["release_free_memory", "map_large_blocks", "settle_long_lived", "MMAP_THRESHOLD"]

M_MMAP_THRESHOLD = -3  # glibc's malloc.h
MMAP_THRESHOLD = 1 << 20  # bytes: a block this large or larger is mapped, and unmapped when freed


@cache
def _glibc_function(name: str):
    library = ctypes.util.find_library("c")
    try:
        return getattr(ctypes.CDLL(library), name) if library else None
    except (OSError, AttributeError):  # no such library, or a C library without it
        return None


def release_free_memory() -> bool:
    """Hand the C library's free memory back to the system; whether there was a way to."""
    trim = _glibc_function("malloc_trim")
    if trim is None:
        return False
    trim(0)
    return True


def map_large_blocks() -> bool:
    """Serve blocks of ``MMAP_THRESHOLD`` bytes or more from mappings of their own, for the
    whole process, from now on; whether the C library took it."""
    mallopt = _glibc_function("mallopt")
    return mallopt is not None and mallopt(M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1


def settle_long_lived() -> None:
    """Collect, then leave every object alive now out of the cyclic collector's later passes
    (``gc.freeze``): for a process that has just read what it keeps. They are still freed when
    nothing refers to them; a cycle among them that was dropped meanwhile (a replaced index's) is
    collected by the next call, which brings them back first (``gc.unfreeze``)."""
    gc.unfreeze()
    gc.collect()
    gc.freeze()
