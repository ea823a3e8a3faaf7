"""Memory (``searchsvc.memory``): giving it back to the system with glibc's functions where they exist;
keeping what a server holds out of the cyclic collector's full passes."""
from __future__ import annotations

import gc
import platform
import shutil
import weakref

from searchsvc.engine import SearchIndex
from searchsvc.indexing import build_index
from searchsvc.memory import map_large_blocks, release_free_memory, settle_long_lived
from searchsvc.models import SearchRequest
from searchsvc.searching import search

GLIBC = platform.system() == "Linux" and platform.libc_ver()[0] == "glibc"  # what both need


def test_free_memory_is_given_back_where_the_c_library_can():
    assert release_free_memory() is GLIBC
    assert release_free_memory() is GLIBC  # as often as asked


def test_large_blocks_are_mapped_where_the_c_library_can():
    assert map_large_blocks() is GLIBC
    assert map_large_blocks() is GLIBC  # setting it again changes nothing


# --- the cyclic collector ---------------------------------------------------------------------------------------------
class _Node:
    pass


def test_settling_collects_then_leaves_the_living_out_of_full_passes():
    dropped = _Node()
    dropped.me = dropped  # garbage in a cycle: only the collector frees it
    was_dropped = weakref.ref(dropped)
    del dropped
    kept = _Node()
    settle_long_lived()
    assert was_dropped() is None  # collected first
    assert gc.get_freeze_count() > 0 and not any(o is kept for o in gc.get_objects())  # then out of its passes
    kept.me = kept  # a frozen object in a cycle, let go of later
    was_kept = weakref.ref(kept)
    del kept
    gc.collect()
    assert was_kept() is not None  # the collector does not walk it
    settle_long_lived()
    assert was_kept() is None  # the next settling brings it back first, and collects it


def test_a_servers_index_keeps_what_it_read_out_of_full_passes(seed_index_dir):
    index = SearchIndex(seed_index_dir, warm=True)
    assert index.generation.warmed.wait(120)
    catalogue = index.catalogue()  # citations parsed: millions of objects at 10,000 reports
    assert not any(o is catalogue for o in gc.get_objects())


def test_a_replaced_generation_is_freed_without_the_collector(tmp_path, seed_paths, engine):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for path in seed_paths[:2]:
        shutil.copy(path, corpus / path.name)
    build_index(corpus, tmp_path / "index", engine=engine)
    index = SearchIndex(tmp_path / "index")
    assert search(index, SearchRequest(q="kinh tế")).total  # the reader has read what it keeps
    old_name = index.generation.name
    old_generation, old_reader = weakref.ref(index.generation), weakref.ref(index.generation.reader._reader)
    build_index(corpus, tmp_path / "index", engine=engine, full=True)
    gc.disable()
    try:
        assert old_generation() is not None
        assert index.generation.name != old_name  # switched to the new generation
        assert old_generation() is None and old_reader() is None  # freed as the switch let go of it
    finally:
        gc.enable()
