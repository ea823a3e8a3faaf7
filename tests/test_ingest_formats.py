"""A report parses to the same sections and citations whatever format or encoding it came in.

Each seed report is written into tmp_path as another encoding, as a .docx with Word heading styles,
as a PDF, and typed without diacritics; it is loaded with ``loaders.load_text``, parsed with
``sections.parse_report`` (with the loader's ``heading_lines``) and compared with the parse of the
UTF-8 original. The generators are the ones ``test_loaders`` checks character by character.
"""
from __future__ import annotations

from collections import Counter
from functools import lru_cache
from pathlib import Path

import docx
import pytest
from unidecode import unidecode

from searchsvc.loaders import load_text
from searchsvc.sections import parse_report
from tests.test_loaders import ENCODINGS, SEEDS, _heading_level, _paragraphs, _text_pdf, seed_text, squash


@lru_cache(maxsize=None)
def original(seed: Path):
    """The parse of the UTF-8 seed: what every other form must reproduce."""
    return parse_report(seed_text(seed), seed.stem)


def parsed(path: Path):
    loaded = load_text(path)
    return parse_report(loaded.text, path.stem, loaded.heading_lines)


def structure(report) -> list[tuple[int, tuple[str, ...]]]:
    return [(section.start_line, tuple(section.path)) for section in report.sections]


def canonical_keys(report) -> Counter[str]:
    return Counter(citation.canonical for citation in report.citations)


# Every encoding once, the seeds taken in turn (the text round trips themselves are checked on
# more seeds in test_loaders; a lossless round trip gives the same text, hence the same parse).
CASES = [(row[0], row[1], SEEDS[i % len(SEEDS)]) for i, row in enumerate(ENCODINGS)]


@pytest.mark.parametrize("name, encode, seed", CASES, ids=[f"{c[0]}-{c[2].stem[:3]}" for c in CASES])
def test_every_encoding_parses_like_the_original(tmp_path, name, encode, seed):
    data, representable = encode(seed_text(seed))
    path = tmp_path / f"{seed.stem}.txt"
    path.write_bytes(data)

    report, expected = parsed(path), original(seed)

    assert structure(report) == structure(expected)
    assert canonical_keys(report) == canonical_keys(expected)
    # Windows-1258, TCVN3 and VNI lose "⁽¹⁾" (TCVN3 also the capital of "Ủy"): headings are
    # compared where the heading line survives the encoding.
    for got, want in zip(report.sections, expected.sections):
        if representable[want.start_line - 1]:
            assert got.heading == want.heading


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_docx_with_heading_styles_parses_like_the_original(tmp_path, seed):
    text = seed_text(seed)
    document = docx.Document()
    for line in text.split("\n"):
        level = _heading_level(line)
        if level is None:
            document.add_paragraph(line)
        else:
            document.add_heading(line, level)
    document.save(tmp_path / f"{seed.stem}.docx")

    report, expected = parsed(tmp_path / f"{seed.stem}.docx"), original(seed)

    assert [(s.path, s.heading) for s in report.sections] == [(s.path, s.heading) for s in expected.sections]
    assert canonical_keys(report) == canonical_keys(expected)


@pytest.mark.parametrize("seed", [SEEDS[0], SEEDS[3]], ids=lambda p: p.stem[:3])  # "⁽¹⁾" and "[footnote:2]" notes
def test_pdf_parses_like_the_original(tmp_path, seed):
    """Same sections and citations. A heading that wrapped onto a second line may come back
    longer (the PDF joins a heading the source itself had broken) or shorter (a wrapped heading
    whose second line starts with a capital stays cut), so headings are compared as prefixes."""
    _text_pdf(_paragraphs(seed_text(seed))).output(str(tmp_path / f"{seed.stem}.pdf"))

    report, expected = parsed(tmp_path / f"{seed.stem}.pdf"), original(seed)

    assert [s.path for s in report.sections] == [s.path for s in expected.sections]
    assert canonical_keys(report) == canonical_keys(expected)
    for got, want in zip(report.sections, expected.sections):
        shorter, longer = sorted((squash(got.heading), squash(want.heading)), key=len)
        assert longer.startswith(shorter)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.stem[:3])
def test_unaccented_copy_cites_the_same_instruments(tmp_path, seed):
    """Typed without diacritics ("Nghi dinh so 04/2019/ND-CP"): the same canonical keys."""
    path = tmp_path / f"{seed.stem}.txt"
    path.write_text("".join(unidecode(ch) for ch in seed_text(seed)), encoding="utf-8")
    report = parsed(path)
    assert canonical_keys(report) == canonical_keys(original(seed))
    assert report.unaccented and not original(seed).unaccented  # flagged, so the UI can say so
    want = original(seed)
    assert (report.province and unidecode(report.province), report.year, report.period and unidecode(report.period)) == (
        want.province and unidecode(want.province), want.year, want.period and unidecode(want.period))
