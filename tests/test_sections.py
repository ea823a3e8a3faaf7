import unicodedata

import pytest
from hypothesis import given, settings, strategies as st

from searchsvc.metadata import read_metadata
from searchsvc.sections import HeadingMatch, heading_of, match_heading, parse_report


@pytest.mark.parametrize(
    "line, expected",
    [
        ("Phần thứ nhất", HeadingMatch(0, "Phần thứ nhất", "")),
        ("PHẦN I. TÌNH HÌNH", HeadingMatch(0, "PHẦN I", "TÌNH HÌNH")),
        ("PHỤ LỤC III", HeadingMatch(0, "PHỤ LỤC III", "")),
        ("A. KẾT QUẢ ĐẠT ĐƯỢC  ", HeadingMatch(1, "A", "KẾT QUẢ ĐẠT ĐƯỢC")),
        ("II. Đánh giá chung", HeadingMatch(2, "II", "Đánh giá chung")),
        ("1. Về phòng, chống dịch", HeadingMatch(3, "1", "Về phòng, chống dịch")),
        (" 3. Công tác thanh tra", HeadingMatch(3, "3", "Công tác thanh tra")),  # leading space
        ("2.1. Sản xuất công nghiệp", HeadingMatch(4, "2.1", "Sản xuất công nghiệp")),
        ("3.1 Thực hiện Chương trình", HeadingMatch(4, "3.1", "Thực hiện Chương trình")),  # no final dot
        ("6.1.Công tác quản lý", HeadingMatch(4, "6.1", "Công tác quản lý")),  # no space
        ("1.2.3. Chi tiết", HeadingMatch(5, "1.2.3", "Chi tiết")),
        ("a) Thực hiện các đột phá", HeadingMatch(6, "a", "Thực hiện các đột phá")),
        ("**II. MỤC TIÊU**", HeadingMatch(2, "II", "MỤC TIÊU")),  # markdown bold
        ("b) *Về công nghiệp*: Chỉ số", HeadingMatch(6, "b", "Về công nghiệp*: Chỉ số")),
        ("5.145 tỷ đồng thu ngân sách", None),  # a figure, not "5.14"
        ("2020. Năm bản lề", None),  # a year
        ("1. trong đó có", None),  # lower case after the number: a sentence
        ("- Gạch đầu dòng", None),  # bullets are not sections
        ("IIV. Sai số La Mã", None),  # not a Roman numeral
        ("Điều 1. Thành lập Tổ giúp việc", HeadingMatch(2.5, "Điều 1", "Thành lập Tổ giúp việc")),
        (" Điều 3. Trong thời hạn 07 ngày", HeadingMatch(2.5, "Điều 3", "Trong thời hạn 07 ngày")),  # leading space
        ("Chương II. QUY ĐỊNH CỤ THỂ", HeadingMatch(1, "Chương II", "QUY ĐỊNH CỤ THỂ")),
        ("CHƯƠNG I", HeadingMatch(1, "CHƯƠNG I", "")),
        ("Mục 2. Hội đồng thẩm định", HeadingMatch(2.2, "Mục 2", "Hội đồng thẩm định")),
        ("1.1\tThực hiện kế hoạch CCHC\t1.50", None),  # a numbered row of a Word table
        ("1\tCÔNG TÁC CHỈ ĐẠO ĐIỀU HÀNH CCHC\t8.00", None),  # a table row
        ("theo Điều 5 Quyết định này", None),  # a reference to an article, not a heading
        ("TM. ỦY BAN NHÂN DÂN", None),  # signature block
    ],
)
def test_match_heading(line, expected):
    assert match_heading(line) == expected


@pytest.mark.parametrize(
    "rest, heading",
    [
        ("Về phòng, chống dịch Covid-19:", "Về phòng, chống dịch Covid-19"),
        ("Tăng trưởng kinh tế ước đạt 6,4%. Trong đó " + "x " * 100, "Tăng trưởng kinh tế ước đạt 6,4%"),
        ("Thực hiện Chương trình công tác của UBND tỉnh: UBND tỉnh chú trọng " + "y " * 100,
         "Thực hiện Chương trình công tác của UBND tỉnh"),
        ("Thu ngân sách đạt 5.145 tỷ đồng, " + "z " * 100 + ". Hết", None),  # "5.145" is no clause end
    ],
)
def test_heading_of_long_line_is_its_first_clause(rest, heading):
    result = heading_of(rest)
    if heading is None:
        assert result.startswith("Thu ngân sách đạt 5.145") and len(result) <= 121
    else:
        assert result == heading


SAMPLE = """BÁO CÁO
Tình hình kinh tế - xã hội năm 2022

Nam Định, ngày 5 tháng 12 năm 2022

Phần thứ nhất
KẾT QUẢ

I. KINH TẾ
1. Nông nghiệp
Thực hiện Nghị quyết số 01/NQ-CP ngày 08/01/2022 của Chính phủ⁽¹⁾.

⁽¹⁾ Nghị quyết về nhiệm vụ, giải pháp chủ yếu năm 2022.

2. Công nghiệp[footnote:2] tăng trưởng khá. [2: Theo Quyết định số 12/QĐ-UBND.]
Sản xuất ổn định[1].
a) Chi tiết
Nội dung

Phần thứ hai
NHIỆM VỤ
1. Tiếp tục thực hiện Nghị quyết 01/NQ-CP.

[1] Số liệu của Cục Thống kê tỉnh Nam Định.
"""


def test_parse_sample_tree_footnotes_and_citations():
    report = parse_report(SAMPLE, "r1")
    assert (report.province, report.year, report.period, report.report_date) == ("Nam Định", 2022, "năm", "2022-12-05")
    paths = [s.path for s in report.sections]
    assert paths == [
        [],  # s0: the place-date line before the first heading

        ["Phần thứ nhất"], ["Phần thứ nhất", "I"], ["Phần thứ nhất", "I", "1"], ["Phần thứ nhất", "I", "2"],
        ["Phần thứ nhất", "I", "2", "a"], ["Phần thứ hai"], ["Phần thứ hai", "1"],
    ]
    by_path = {tuple(s.path): s for s in report.sections}
    assert by_path[("Phần thứ nhất",)].heading == "KẾT QUẢ"
    farming = by_path[("Phần thứ nhất", "I", "1")]
    assert [f.marker for f in farming.footnotes] == ["⁽¹⁾"]
    assert "⁽¹⁾ Nghị quyết về" not in farming.text  # the note is a footnote, not body text
    industry = by_path[("Phần thứ nhất", "I", "2")]
    assert sorted(f.marker for f in industry.footnotes) == ["[1]", "[footnote:2]"]
    assert "[2: Theo" not in industry.text
    cited = [(c.canonical, c.section_id, c.date) for c in report.citations]
    assert cited == [
        ("01/NQ-CP", farming.id, "2022-01-08"),
        ("12/QĐ-UBND", industry.id, None),
        ("01/NQ-CP", by_path[("Phần thứ hai", "1")].id, "2022-01-08"),  # resolved to the full reference
    ]
    assert report.citations[0].title == "Nghị quyết về nhiệm vụ, giải pháp chủ yếu năm 2022"
    assert report.citations[2].title == report.citations[0].title


DECISION = """ỦY BAN NHÂN DÂN\tCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
TỈNH LÂM ĐỒNG\tĐộc lập - Tự do - Hạnh phúc
Số: 1406/QĐ-UBND\tLâm Đồng, ngày 22 tháng 9 năm 2025
QUYẾT ĐỊNH
Về việc ban hành Quy chế hoạt động của Tổ giúp việc
CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH LÂM ĐỒNG
Căn cứ Nghị định số 126/2024/NĐ-CP ngày 08/10/2024 của Chính phủ;
QUYẾT ĐỊNH:
Điều 1. Ban hành kèm theo Quyết định này Quy chế hoạt động của Tổ giúp việc.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.
1. Giao Sở Nội vụ theo dõi.
a) Báo cáo hằng quý.
QUY CHẾ
(Ban hành kèm theo Quyết định số 1406/QĐ-UBND)
Chương I. QUY ĐỊNH CHUNG
Điều 1. Phạm vi điều chỉnh
1. Quy chế này quy định về hoạt động của Tổ giúp việc.
Chương II. TỔ CHỨC THỰC HIỆN
Điều 2. Trách nhiệm thi hành
"""


def test_decision_structure_and_metadata():
    report = parse_report(DECISION, "qd")
    top = [s.label for s in report.sections if s.level == 1]
    assert top == ["Điều 1", "Điều 2", "Quy chế"]  # the attached regulation is a part of its own
    by_path = {tuple(s.path): s for s in report.sections}
    assert ("Điều 2", "1", "a") in by_path  # khoản and điểm inside an article
    assert ("Quy chế", "Chương I", "Điều 1", "1") in by_path  # its articles under its chapters
    assert by_path[("Quy chế",)].heading == "(Ban hành kèm theo Quyết định số 1406/QĐ-UBND)"
    assert (report.doc_type, report.doc_number, report.report_date) == ("Quyết định", "1406/QĐ-UBND", "2025-09-22")
    assert (report.province, report.year, report.issuer) == ("Lâm Đồng", 2025, "Chủ tịch Ủy ban nhân dân tỉnh Lâm Đồng")
    assert [c.canonical for c in report.citations] == ["126/2024/NĐ-CP"]  # the own number, also repeated, is no citation


def test_parse_nfd_input_like_nfc():
    nfd = unicodedata.normalize("NFD", SAMPLE)
    a, b = parse_report(SAMPLE, "r"), parse_report(nfd, "r")
    assert [s.heading for s in a.sections] == [s.heading for s in b.sections]
    assert [c.canonical for c in a.citations] == [c.canonical for c in b.citations]


@pytest.mark.parametrize(
    "text, field, value",
    [
        ("BÁO CÁO\nTình hình quý III năm 2021\n", "period", "quý III"),
        ("BÁO CÁO\nTình hình 9 tháng năm 2021\n", "period", "9 tháng"),
        ("BÁO CÁO\nKết quả 6 tháng cuối năm 2019\n", "period", "6 tháng cuối năm"),
        ("Số: 12/BC-UBND\nBÁO CÁO\nNăm 2020\n", "doc_number", "12/BC-UBND"),
        ("Số: /BC-UBND\nBÁO CÁO\nNăm 2020\n", "doc_number", None),  # a blank number
        ("Bến Tre, ngày   tháng 11 năm 2020\nBÁO CÁO\nx\n", "report_date", None),  # no day given
        ("BÁO CÁO\nNăm 2020\n\nỦy ban nhân dân tỉnh Hà Tĩnh báo cáo", "province", "Hà Tĩnh"),
        ("BÁO CÁO\nKiểm điểm năm 2020 và nhiệm vụ năm 2021\n", "year", 2020),  # the year reviewed
        ("BÁO CÁO\nTình hình tháng 8 năm 2025\n", "period", "tháng 8"),
        ("KẾ HOẠCH\nNhiệm vụ trọng tâm quý I/2026\n", "period", "quý I"),
        ("KẾ HOẠCH\nPhát động phong trào thi đua năm 2026\n", "year", 2026),  # the year a plan is for
        ("Lâm Đồng, ngày 03 tháng 10 năm 2025\nKẾ HOẠCH\nChương trình phòng, chống ma túy đến năm 2030\n", "year", 2025),  # a horizon
        ("Số: 123/BC-UBND\nBÁO CÁO\nx\n", "doc_type", "Báo cáo"),
        ("Số: /UBND-NC\nV/v cải thiện các chỉ số\n", "doc_type", "Công văn"),  # a symbol without type: an official letter
        ("UBND TỈNH LÂM ĐỒNG\nSỞ TƯ PHÁP\nSố: 141/TTr-STP\nTỜ TRÌNH\nx\n", "doc_type", "Tờ trình"),
        ("UBND TỈNH LÂM ĐỒNG\nSỞ TƯ PHÁP\nSố: 141/TTr-STP\nTỜ TRÌNH\nx\n", "issuer", "Sở Tư pháp tỉnh Lâm Đồng"),
        ("UBND TỈNH LÂM ĐỒNG\nBAN CHỈ ĐẠO\nSố: /QĐ-BCĐ\nQUYẾT ĐỊNH\nx\n", "issuer", "Ban Chỉ đạo tỉnh Lâm Đồng"),
        ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSố: 12/CT-UBND\nCHỈ THỊ\nx\n", "province", "Thành phố Hồ Chí Minh"),
        ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HỒ CHÍ MINH\nSố: 12/CT-UBND\nCHỈ THỊ\nx\n", "issuer", "Chủ tịch Ủy ban nhân dân tỉnh Thành phố Hồ Chí Minh"),
        ("UBND TP. HCM\nSỞ TÀI CHÍNH\nSố: 5/STC-NS\nx\n", "province", "Thành phố Hồ Chí Minh"),
        ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HÀ NỘI\nSố: 5/KH-UBND\n", "province", "Hà Nội"),
        ("ỦY BAN NHÂN DÂN\nTHÀNH PHỐ HUẾ\nSố: 5/KH-UBND\n", "province", "Huế"),
        ("BỘ TƯ PHÁP\nSố: 3917/BTP-BTTP\nHà Nội, ngày 01 tháng 7 năm 2025\n", "province", None),  # a ministry belongs to no province
        ("BỘ TƯ PHÁP\nSố: 3917/BTP-BTTP\nHà Nội, ngày 01 tháng 7 năm 2025\n", "issuer", "Bộ Tư pháp"),
        ("Số: /BC-UBND\nBÁO CÁO\nx\nCác Chỉ thị số: 15/CT-TTg\n", "doc_number", None),  # "số:" in the body is no own number
    ],
)
def test_metadata_cases(text, field, value):
    assert getattr(read_metadata(text), field) == value


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("IVX.AB12 3)a\n-⁽¹⁾[]:footnote/NQCPĐđàâăêôơưhỏọ Phần thứ nhất BÁO CÁO số ngày")), max_size=400))
def test_parser_never_crashes_and_spans_are_verbatim(text):
    report = parse_report(text, "x")
    for c in report.citations:
        assert report.text[c.start : c.end] == c.surface
    for s in report.sections:
        assert 1 <= s.start_line <= s.end_line


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=500))
def test_parser_on_any_text(text):
    parse_report(text, "x")
