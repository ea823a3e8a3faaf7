"""``tantivy_writer.descending`` (the newest-first sort key) against its character formula."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from searchsvc.engines import tantivy_writer


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(min_codepoint=0, max_codepoint=0x10FFFF, blacklist_categories=("Cs",))))
def test_descending_is_the_character_formula(key):
    assert tantivy_writer.descending(key) == "".join(chr(0xFFFF - min(ord(c), 0xFFFE)) for c in key) + "\uffff"


BELOW_CLAMP = st.text(st.characters(min_codepoint=1, max_codepoint=0xFFFD, blacklist_categories=("Cs",)), max_size=12)


@settings(max_examples=300, deadline=None)
@given(BELOW_CLAMP, BELOW_CLAMP)
def test_descending_reverses_the_order(a, b):
    """Between U+0001 and U+FFFD (U+0000 maps to the end mark, U+FFFE and above alike; keys are dates)."""
    assert (tantivy_writer.descending(a) < tantivy_writer.descending(b)) == (a > b)
