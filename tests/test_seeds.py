"""The five seed reports against the expected table in tests/data/expected_seeds.py.

That table was written by reading the reports, independently of the parser.
"""
from __future__ import annotations

import pytest

from tests.data import expected_seeds as expected

REPORT_IDS = expected.REPORT_IDS


@pytest.mark.parametrize("report_id", REPORT_IDS)
@pytest.mark.parametrize("field", ["province", "year", "period", "report_date", "doc_number"])
def test_metadata(seed_reports, report_id, field):
    assert getattr(seed_reports[report_id], field) == expected.REPORTS[report_id][field]


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_every_top_level_heading_is_a_section(seed_reports, report_id):
    report = seed_reports[report_id]
    by_line = {s.start_line: s for s in report.sections}
    for line, label, heading_start in expected.REPORTS[report_id]["top_headings"]:
        section = by_line.get(line)
        assert section is not None, f"no section starts at line {line} ({label} {heading_start})"
        assert section.label == label
        title = expected.HEADING_TITLES.get((report_id, line), (None, heading_start))[1]
        assert section.heading.startswith(title.strip("*")), (section.heading, title)


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_section_paths_nest(seed_reports, report_id):
    report = seed_reports[report_id]
    ids = {s.id: s for s in report.sections}
    assert len(ids) == len(report.sections), "section ids are unique"
    for section in report.sections:
        if section.parent:
            parent = ids[section.parent]
            assert section.path[: len(parent.path)] == parent.path
            assert section.level == parent.level + 1
        assert section.start_line <= section.end_line


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_every_mention_is_found(seed_reports, report_id):
    found = [(c.line, c.canonical, c.date) for c in seed_reports[report_id].citations]
    assert found == expected.MENTIONS[report_id]


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_instruments_have_type_year_issuer(seed_reports, report_id):
    found = {}
    for c in seed_reports[report_id].citations:
        found.setdefault((c.canonical, c.date), {
            "canonical": c.canonical, "type": c.type, "date": c.date, "year": c.year,
            "issuer_code": c.issuer_code, "issuer": c.issuer,
        })
    wanted = {(i["canonical"], i["date"]): i for i in expected.INSTRUMENTS[report_id]}
    assert found == wanted


@pytest.mark.parametrize("report_id", REPORT_IDS)
def test_footnotes_attach_where_the_marker_stands(seed_reports, report_id):
    report = seed_reports[report_id]
    found = sorted(
        (f.marker, f.marker_line, f.line, s.start_line <= f.marker_line <= s.end_line)
        for s in report.sections
        for f in s.footnotes
    )
    wanted = sorted((marker, at, note, True) for marker, at, note in expected.FOOTNOTES[report_id])
    assert found == wanted


def test_citation_section_is_where_it_stands(seed_reports):
    for report in seed_reports.values():
        notes = {f.line: s.id for s in report.sections for f in s.footnotes}
        for c in report.citations:
            section = report.section(c.section_id)
            assert section is not None
            assert section.start_line <= c.line <= section.end_line or notes.get(c.line) == section.id


def test_surfaces_are_verbatim(seed_reports):
    for report in seed_reports.values():
        for c in report.citations:
            assert report.text[c.start : c.end] == c.surface


def test_footnote_gives_instrument_its_title(seed_reports):
    report = seed_reports[expected.R0]
    first = next(c for c in report.citations if c.canonical == "01/NQ-CP")
    assert first.title.startswith("Nghị quyết về nhiệm vụ, giải pháp chủ yếu thực hiện Kế hoạch")


def test_short_reference_resolves_to_later_full_one(seed_reports):
    # 004: 42/NQ-CP is first cited without a date; the date stands at a later mention.
    dates = {c.date for c in seed_reports[expected.R4].citations if c.canonical == "42/NQ-CP"}
    assert dates == {"2020-04-09"}
