"""Giving memory back to the system (``searchsvc.memory``): glibc's functions where they exist."""
from __future__ import annotations

import platform

from searchsvc.memory import map_large_blocks, release_free_memory

GLIBC = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"  # what both need


def test_free_memory_is_given_back_where_the_c_library_can():
    assert release_free_memory() is GLIBC
    assert release_free_memory() is GLIBC  # as often as asked


def test_large_blocks_are_mapped_where_the_c_library_can():
    assert map_large_blocks() is GLIBC
    assert map_large_blocks() is GLIBC  # setting it again changes nothing
