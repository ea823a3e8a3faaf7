"""The Whoosh engine's per-document arrays, saved beside the index when it is written.

Opening an index builds its facet table (``docsets.FacetTable``: every document's report and
facet values, from Whoosh's columns) and the first queries read the per-document arrays (field
lengths, date ranks, years): seconds of Python work on a large index, the same after every
opening. The writer does it once, after its commit (``save``), and a reader loads the result at
once (``load``) when it was made from the same segments, with the same deletions; otherwise (an
index written by another version, a damaged file) the reader builds them itself, as before.

The file is written under a new name and renamed over ``ARRAYS_FILE``: never written through a
hard link to the previous generation's file (``indexing``).
"""
from __future__ import annotations

import os
import pickle
from pathlib import Path

from .whoosh_segments import leaves

__all__ = ["ARRAYS_FILE", "segments_key", "load", "save"]

ARRAYS_FILE = "searchsvc-arrays.pickle"
FORMAT = 1  # changes whenever what is saved does: a file of another format is not read


def segments_key(reader) -> tuple:
    """What the arrays were made from: each segment's id, documents and deletions."""
    return (FORMAT, tuple((leaf.segment().segment_id(), leaf.doc_count_all(), leaf.segment().deleted_count())
                          for leaf, _ in leaves(reader)))


def load(folder: Path, key: tuple) -> tuple | None:
    """(facet table, arrays by name) saved for the segments ``key`` names; None when there are
    none, or they were saved for other segments, or the file cannot be read."""
    try:
        with open(folder / ARRAYS_FILE, "rb") as handle:
            saved_key, table, arrays = pickle.load(handle)
    except (OSError, EOFError, ValueError, TypeError, AttributeError, ImportError, pickle.UnpicklingError):
        return None
    return (table, arrays) if saved_key == key else None


def save(folder: Path, key: tuple, table, arrays: dict) -> None:
    """Save the facet table and the arrays made from the segments ``key`` names (a new file)."""
    temporary = folder / (ARRAYS_FILE + ".tmp")
    temporary.unlink(missing_ok=True)
    with open(temporary, "wb") as handle:
        pickle.dump((key, table, arrays), handle, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(temporary, folder / ARRAYS_FILE)
