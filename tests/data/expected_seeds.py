"""Independent expected answers for the five seed reports.

Written by reading /work/shared/seeds/*.txt (identical to /work/main/corpus/*.txt)
by eye, with grep/sed only as reading aids.  No searchsvc code was used.

Conventions
-----------
* Line numbers are 1-based, counting newline-separated lines of the raw UTF-8 file.
* Dates are ISO "YYYY-MM-DD".
* Every string quoted from a report is copied exactly as written.  The seeds
  are NFC except parts of 002:41 and 003:33 (NFD); the two TRICKY entries
  for those lines quote them byte-exact with backslash-u escapes for the
  combining marks.
* The report id is the file stem.
"""
from __future__ import annotations

R0 = "000_bbd1df693d80d1cb"  # Bình Dương, 6 tháng đầu năm 2020, kiểm điểm chỉ đạo điều hành
R1 = "001_ffc53ab4c4f31481"  # Bình Phước, 6 tháng đầu năm 2023, tình hình công tác
R2 = "002_acdedd4f53924217"  # Bắc Giang, 6 tháng đầu năm 2020, báo cáo tóm tắt KT-XH (dự thảo)
R3 = "003_f8c2a2f27f6281a1"  # Hà Tĩnh, 6 tháng đầu năm 2021, kiểm điểm chỉ đạo điều hành
R4 = "004_41c8df0f7ff6743b"  # Bến Tre, năm 2020, kiểm điểm chỉ đạo điều hành

REPORT_IDS = [R0, R1, R2, R3, R4]

# ---------------------------------------------------------------------------
# 1. REPORTS
# ---------------------------------------------------------------------------
# top_headings: (line, label, heading_start).  heading_start = first <=30
# characters of the text after the label on the SAME line (right-stripped), so
# `text_after_label.startswith(heading_start)` holds.  For headings whose label
# stands alone on its line ("Phần thứ nhất", "PHỤ LỤC", "PHỤ LỤC III") the
# text after the label is empty, heading_start is "" and the title line is
# given in HEADING_TITLES below.

REPORTS: dict[str, dict] = {
    R0: {
        # PROVINCE: no header/place-date line at all (file starts with the
        # bold title on lines 3-5).  Evidence from the body:
        #   l.59  "Ban Chỉ huy lâm thời Phòng thủ dân sự tỉnh Bình Dương"
        #   l.65  "Bình Dương đã thực hiện cách ly y tế"
        #   l.117 "lập Quy hoạch tỉnh Bình Dương giai đoạn 2021-2030"
        #   l.119 "thành lập thành phố Dĩ An, thành phố Thuận An và 04 phường
        #          thuộc thị xã Tân Uyên, tỉnh Bình Dương"
        #   l.95  districts Bàu Bàng, Bắc Tân Uyên, Phú Giáo; l.201 "của tỉnh
        #          Bình Dương"; signer l.254 Trần Thanh Liêm (Chủ tịch UBND Bình Dương).
        "province": "Bình Dương",
        # YEAR/PERIOD: title l.3-5 "KIỂM ĐIỂM CHỈ ĐẠO, ĐIỀU HÀNH CỦA UBND TỈNH
        # / 6 THÁNG ĐẦU NĂM 2020**"; l.236 "báo cáo ... 6 tháng đầu năm 2020 và
        # định hướng ... 6 tháng cuối năm 2020".
        "year": 2020,
        "period": "6 tháng đầu năm",
        # DATE: no place-date line; the annex lines give "ngày 01/7/2020":
        #   l.260 "(Kèm theo Báo cáo số 11/UBND ngày 01/7/2020)"
        #   l.275 "(Kèm theo Báo cáo số 165/BG-QHND-NĐCP, ngày 01/7/2020)"
        #   l.289 "(Kèm theo Báo cáo số 165 /BC-UBND ngày 01/7/2020)"
        "report_date": "2020-07-01",
        # NUMBER: taken from the only well-formed annex line, l.289
        # ("165 /BC-UBND", space before the slash removed).  l.260 ("11/UBND")
        # and l.275 ("165/BG-QHND-NĐCP") are garbled versions of it.
        "doc_number": "165/BC-UBND",
        "top_headings": [
            (9, "I", "KIỂM ĐIỂM VIỆC THỰC HIỆN QUY C"),
            (51, "II", "KIỂM ĐIỂM CHỈ ĐẠO, ĐIỀU HÀNH T"),
            (189, "III", "ĐÁNH GIÁ CHUNG"),
            (205, "IV", "ĐỊNH HƯỚNG CHỈ ĐẠO, ĐIỀU HÀNH"),
            # l.268 bare "PHỤ LỤC" (no numeral); title on l.272 in **bold**.
            # (The first annex, l.259 "Kết quả thực hiện Chương trình công tác
            # của Chính phủ, Thủ tướng Chính phủ", has NO "PHỤ LỤC" label line
            # and is therefore not listed.)
            (268, "PHỤ LỤC", ""),
            # l.285 "PHỤ LỤC III"; title on l.287.
            (285, "PHỤ LỤC III", ""),
        ],
    },
    R1: {
        # PROVINCE: place-date line l.3 "Bình Phước, ngày 14 tháng 6 năm 2023";
        # also l.47 "tỉnh Bình Phước", l.51 "Chơn Thành (Bình Phước)", l.63, l.67.
        "province": "Bình Phước",
        # YEAR/PERIOD: title l.6-7 "Tình hình công tác 6 tháng đầu năm và /
        # Chương trình công tác 6 tháng cuối năm 2023" -> reviewed period is
        # the first half of 2023 (heading A, l.11).
        "year": 2023,
        "period": "6 tháng đầu năm",
        # DATE: l.3 "ngày 14 tháng 6 năm 2023".
        "report_date": "2023-06-14",
        # NUMBER: no "Số:" line and no annex line.
        "doc_number": None,
        "top_headings": [
            (11, "A", "TÌNH HÌNH CÔNG TÁC 6 THÁNG ĐẦU"),
            (13, "I", "Kết quả chủ yếu"),
            (81, "II", "Đánh giá chung"),
            (107, "B", "CHƯƠNG TRÌNH CÔNG TÁC 6 THÁNG"),
        ],
    },
    R2: {
        # PROVINCE: header has no province (l.1 " BÁO CÁO TÓM TẮT").  Body:
        #   l.10 "của cả nước nói chung và tỉnh Bắc Giang nói riêng"
        #   l.22 "vải thiều của tỉnh Bắc Giang"; l.27 "địa phận tỉnh Bắc Giang";
        #   l.32 "Bắc Giang là tỉnh đầu tiên"; l.105 "Quy hoạch tỉnh tỉnh Bắc Giang";
        #   districts/places: huyện Tân Yên (l.19), KCN Đình Trám, Vân Trung (l.52),
        #   Lục Ngạn, Lục Nam, Hiệp Hòa (l.127).
        "province": "Bắc Giang",
        # YEAR/PERIOD: title l.2-4 "... 6 tháng đầu năm; ... 6 tháng cuối năm
        # 2020"; l.6-8 "Phần thứ nhất / TÌNH HÌNH KINH TẾ - XÃ HỘI 6 THÁNG ĐẦU
        # NĂM"; l.52 "Sáu tháng đầu năm 2020".
        "year": 2020,
        "period": "6 tháng đầu năm",
        # DATE/NUMBER: none; the document is a draft (l.156 "Dự thảo").
        "report_date": None,
        "doc_number": None,
        "top_headings": [
            (6, "Phần thứ nhất", ""),  # title on l.8
            (11, "A", "KẾT QUẢ ĐẠT ĐƯỢC"),  # line has two trailing spaces
            (12, "I", "LĨNH VỰC KINH TẾ, ĐẦU TƯ VÀ TÀ"),
            (35, "II", "LĨNH VỰC VĂN HÓA, XÃ HỘI"),
            (44, "III", "LĨNH VỰC NỘI CHÍNH"),  # one trailing space
            (54, "B", "ĐÁNH GIÁ CHUNG"),
            (56, "I", "KẾT QUẢ NỔI BẬT"),
            (62, "II", "MỘT SỐ TỒN TẠI HẠN CHẾ"),
            (91, "Phần thứ hai", ""),  # title on l.93
            (94, "I", "DỰ BÁO TĂNG TRƯỞNG VÀ CÁC MỤC"),
            (101, "II", "NHIỆM VỤ VÀ GIẢI PHÁP CHỦ YẾU"),
        ],
    },
    R3: {
        # PROVINCE: header (l.1-4) has none.  Body:
        #   l.14 "của cả nước nói chung và Hà Tĩnh nói riêng"
        #   l.16 "Đề án “Thí điểm xây dựng tỉnh Hà Tĩnh đạt chuẩn nông thôn mới"
        #   l.22 "cảng Vũng Áng, tỉnh Hà Tĩnh"; l.28 "Quy hoạch tỉnh Hà Tĩnh";
        #   l.30 "thành phố Hà Tĩnh, huyện Kỳ Anh, huyện Lộc Hà"; l.40 "lao động
        #   Hà Tĩnh"; Khu kinh tế Vũng Áng (l.16, l.32).
        "province": "Hà Tĩnh",
        # YEAR/PERIOD: title l.2-3 "Kiểm điểm công tác chỉ đạo, điều hành / của
        # Ủy ban nhân dân tỉnh 6 tháng đầu năm 2021".
        "year": 2021,
        "period": "6 tháng đầu năm",
        # DATE/NUMBER: none (l.4 only says "kỳ họp thứ 2, HĐND tỉnh khóa XVIII").
        "report_date": None,
        "doc_number": None,
        "top_headings": [
            (8, "Phần thứ nhất", ""),  # title on l.9
            (11, "I", "CHỈ ĐẠO ĐIỀU HÀNH PHÁT TRIỂN K"),
            (41, "II", "THỰC HIỆN QUY CHẾ LÀM VIỆC VÀ"),
            (62, "Phần thứ hai", ""),  # title on l.63-64 (split over two lines)
        ],
    },
    R4: {
        # PROVINCE: place-date line l.5 "Bến Tre, ngày tháng 11 năm 2020";
        # heading l.13 "... (UBND) tỉnh Bến Tre năm 2020"; l.135 "tỉnh Bến Tre".
        "province": "Bến Tre",
        # YEAR/PERIOD: title l.9 "Kiểm điểm công tác chỉ đạo, điều hành năm
        # 2020 và nhiệm vụ, giải pháp ... năm 2021" -> reviews the whole year 2020.
        "year": 2020,
        "period": "năm",
        # DATE: l.5 "ngày tháng 11 năm 2020" -- the day is blank -> None.
        "report_date": None,
        # NUMBER: l.3 "Số: /BC-UBND" -- blank number -> None.  (l.183 cites
        # "Báo cáo số 491/BC-UBND ngày 06/11/2020" = the EARLIER report this
        # one replaces; it is not this report's own number.)
        "doc_number": None,
        "top_headings": [
            (13, "I", "Kiểm điểm công tác chỉ đạo, đi"),
            (133, "II", "Đánh giá chung"),
            (155, "III", "Nhiệm vụ, giải pháp trọng tâm"),
        ],
    },
}

# Title lines of headings whose label stands alone on its line:
# (report_id, label_line) -> (title_line, first ~30 chars of the title line as written)
HEADING_TITLES: dict[tuple[str, int], tuple[int, str]] = {
    (R0, 268): (272, "**Kết quả thực hiện nhiệm vụ d"),  # bold markers as written; l.273 continues "giao cho địa phương**"
    (R0, 285): (287, "Thông kê nhiệm vụ giao các Bộ"),
    (R2, 6): (8, "TÌNH HÌNH KINH TẾ - XÃ HỘI 6 T"),
    (R2, 91): (93, "MỘT SỐ NHIỆM VỤ, GIẢI PHÁP CHỦ"),
    (R3, 8): (9, "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH 6"),
    (R3, 62): (63, "MỘT SỐ NHIỆM VỤ TRỌNG TÂM TRON"),  # continues on l.64 "CHỈ ĐẠO, ĐIỀU HÀNH 6 THÁNG CUỐI NĂM"
}

# ---------------------------------------------------------------------------
# 2. INSTRUMENTS (one entry per distinct canonical+date, in order of first mention)
# ---------------------------------------------------------------------------


INSTRUMENTS: dict[str, list[dict]] = {
    R0: [
        # l.7 "Nghị quyết số 01/NQ-CP ngày 01/01/2020 của Chính phủ"; again l.13.
        {"canonical": "01/NQ-CP", "type": "Nghị quyết", "date": "2020-01-01", "year": 2020, "issuer_code": "CP", "issuer": "Chính phủ"},
        # l.7 "Ủy ban nhân dân (UBND) tỉnh đã chủ động xây dựng Kế hoạch số
        # 266/KH-UBND ngày 20/01/2020" (issuer = subject UBND tỉnh, also = code).
        {"canonical": "266/KH-UBND", "type": "Kế hoạch", "date": "2020-01-20", "year": 2020, "issuer_code": "UBND", "issuer": "Ủy ban nhân dân tỉnh"},
        # l.15 "Nghị quyết số 36-NQ/TW ngày 22/10/2018 của Hội nghị lần thứ 8
        # Ban Chấp hành Trung ương khóa XII⁽²⁾"
        {"canonical": "36-NQ/TW", "type": "Nghị quyết", "date": "2018-10-22", "year": 2018, "issuer_code": "TW", "issuer": "Ban Chấp hành Trung ương"},
        # l.15 "Nghị quyết số 50-NQ/TW ngày 20/8/2019⁽³⁾," ... (footnote lines
        # 17-21) ... l.23 "Nghị quyết số 52-NQ/TW ngày 27/9/2019⁽⁴⁾, Chỉ thị số
        # 36-CT/TW ngày 16/8/2019⁽⁵⁾ của Bộ Chính trị."  The trailing
        # "của Bộ Chính trị" closes the list 50-NQ/TW, 52-NQ/TW, 36-CT/TW.
        {"canonical": "50-NQ/TW", "type": "Nghị quyết", "date": "2019-08-20", "year": 2019, "issuer_code": "TW", "issuer": "Bộ Chính trị"},
        {"canonical": "52-NQ/TW", "type": "Nghị quyết", "date": "2019-09-27", "year": 2019, "issuer_code": "TW", "issuer": "Bộ Chính trị"},
        {"canonical": "36-CT/TW", "type": "Chỉ thị", "date": "2019-08-16", "year": 2019, "issuer_code": "TW", "issuer": "Bộ Chính trị"},
        # l.59 "các Chỉ thị số: 15/CT-TTg ngày 27/3/2020, 16/CT-TTg ngày
        # 31/3/2020 của Thủ tướng Chính phủ"
        {"canonical": "15/CT-TTg", "type": "Chỉ thị", "date": "2020-03-27", "year": 2020, "issuer_code": "TTg", "issuer": "Thủ tướng Chính phủ"},
        {"canonical": "16/CT-TTg", "type": "Chỉ thị", "date": "2020-03-31", "year": 2020, "issuer_code": "TTg", "issuer": "Thủ tướng Chính phủ"},
        # l.75 "theo Nghị quyết số 42/NQ-CP." -- no date anywhere in THIS report.
        {"canonical": "42/NQ-CP", "type": "Nghị quyết", "date": None, "year": None, "issuer_code": "CP", "issuer": "Chính phủ"},
        # l.81 "các Nghị quyết số 35/NQ-CP ngày 16/5/2016⁽⁸⁾, 02/NQ-CP ngày
        # 01/01/2020⁽⁹⁾ của Chính phủ và Chỉ thị số 07/CT-TTg ngày"
        # [footnotes l.83, l.85] l.87 "04/02/2020⁽¹⁰⁾ của Thủ tướng Chính phủ"
        {"canonical": "35/NQ-CP", "type": "Nghị quyết", "date": "2016-05-16", "year": 2016, "issuer_code": "CP", "issuer": "Chính phủ"},
        {"canonical": "02/NQ-CP", "type": "Nghị quyết", "date": "2020-01-01", "year": 2020, "issuer_code": "CP", "issuer": "Chính phủ"},
        {"canonical": "07/CT-TTg", "type": "Chỉ thị", "date": "2020-02-04", "year": 2020, "issuer_code": "TTg", "issuer": "Thủ tướng Chính phủ"},
        # l.87 "theo Nghị quyết số 68/NQ-CP ngày 12/5/2020 của Chính phủ"
        {"canonical": "68/NQ-CP", "type": "Nghị quyết", "date": "2020-05-12", "year": 2020, "issuer_code": "CP", "issuer": "Chính phủ"},
        # l.91 "theo chỉ đạo của Thủ tướng Chính phủ tại Quyết định số
        # 283/QĐ-TTg ngày 19/02/2020"
        {"canonical": "283/QĐ-TTg", "type": "Quyết định", "date": "2020-02-19", "year": 2020, "issuer_code": "TTg", "issuer": "Thủ tướng Chính phủ"},
        # l.93 "Quyết định số 357/QĐ-TTg ngày 10/3/2020⁽¹¹⁾, Quyết định số
        # 703/QĐ-TTg ngày 28/5/2020⁽¹²⁾, Chỉ thị số 25/CT-TTg ngày 04/6/2020⁽¹³⁾
        # của Thủ tướng Chính phủ"
        {"canonical": "357/QĐ-TTg", "type": "Quyết định", "date": "2020-03-10", "year": 2020, "issuer_code": "TTg", "issuer": "Thủ tướng Chính phủ"},
        {"canonical": "703/QĐ-TTg", "type": "Quyết định", "date": "2020-05-28", "year": 2020, "issuer_code": "TTg", "issuer": "Thủ tướng Chính phủ"},
        {"canonical": "25/CT-TTg", "type": "Chỉ thị", "date": "2020-06-04", "year": 2020, "issuer_code": "TTg", "issuer": "Thủ tướng Chính phủ"},
        # l.101 (footnote ⁽¹¹⁾ text) "Kết luận số 54-KL/TW ngày 07/8/2019 của Bộ Chính trị"
        {"canonical": "54-KL/TW", "type": "Kết luận", "date": "2019-08-07", "year": 2019, "issuer_code": "TW", "issuer": "Bộ Chính trị"},
        # l.119 "Nghị quyết số 857/NQ-UBTVQH14 ngày 10/01/2020 của Ủy ban
        # Thường vụ Quốc hội"
        {"canonical": "857/NQ-UBTVQH14", "type": "Nghị quyết", "date": "2020-01-10", "year": 2020, "issuer_code": "UBTVQH14", "issuer": "Ủy ban Thường vụ Quốc hội"},
        # l.127 (footnote ⁽¹⁴⁾ text) "Các Nghị quyết số: 30/NQ-CP ngày
        # 12/3/2020, 58/NQ-CP ngày 27/4/2020 của Chính phủ."
        {"canonical": "30/NQ-CP", "type": "Nghị quyết", "date": "2020-03-12", "year": 2020, "issuer_code": "CP", "issuer": "Chính phủ"},
        {"canonical": "58/NQ-CP", "type": "Nghị quyết", "date": "2020-04-27", "year": 2020, "issuer_code": "CP", "issuer": "Chính phủ"},
        # l.133 "Quyết định số 628/QĐ-TTg ngày 11/5/2020⁽¹⁵⁾, Chỉ thị số
        # 24/CT-TTg ngày 28/5/2020⁽¹⁶⁾ của Thủ tướng Chính phủ"
        {"canonical": "628/QĐ-TTg", "type": "Quyết định", "date": "2020-05-11", "year": 2020, "issuer_code": "TTg", "issuer": "Thủ tướng Chính phủ"},
        {"canonical": "24/CT-TTg", "type": "Chỉ thị", "date": "2020-05-28", "year": 2020, "issuer_code": "TTg", "issuer": "Thủ tướng Chính phủ"},
        # l.135 "Chỉ thị số 09/CT-TTg ngày 18/02/2020 của Thủ tướng Chính phủ"
        {"canonical": "09/CT-TTg", "type": "Chỉ thị", "date": "2020-02-18", "year": 2020, "issuer_code": "TTg", "issuer": "Thủ tướng Chính phủ"},
        # l.141 "Chỉ thị số 17/CT-TTg ngày 13/4/2020 của Thủ tướng Chính phủ"
        {"canonical": "17/CT-TTg", "type": "Chỉ thị", "date": "2020-04-13", "year": 2020, "issuer_code": "TTg", "issuer": "Thủ tướng Chính phủ"},
        # l.143 (footnote ⁽¹⁵⁾ text) "Kết luận số 51-KL/TW ngày 30/5/2019 của Ban Bí thư"
        {"canonical": "51-KL/TW", "type": "Kết luận", "date": "2019-05-30", "year": 2019, "issuer_code": "TW", "issuer": "Ban Bí thư"},
        # l.151 "Nghị quyết số 116/NQ-CP ngày 06/12/2019 của Chính phủ⁽¹⁷⁾"
        {"canonical": "116/NQ-CP", "type": "Nghị quyết", "date": "2019-12-06", "year": 2019, "issuer_code": "CP", "issuer": "Chính phủ"},
        # l.163 (footnote ⁽¹⁷⁾ text) "Nghị quyết số 82/2019/QH14 ngày 14/6/2019
        # của Quốc hội".  The symbol has no type abbreviation; the type WORD
        # written is "Nghị quyết", so type = "Nghị quyết" (not "Luật").
        {"canonical": "82/2019/QH14", "type": "Nghị quyết", "date": "2019-06-14", "year": 2019, "issuer_code": "QH14", "issuer": "Quốc hội"},
        # l.169 "Nghị quyết số 17/NQ-CP ngày 07/3/2019 của Chính phủ⁽¹⁸⁾"
        {"canonical": "17/NQ-CP", "type": "Nghị quyết", "date": "2019-03-07", "year": 2019, "issuer_code": "CP", "issuer": "Chính phủ"},
        # l.169 "Quyết định số 19/2014/QĐ-TTg ngày 05/3/2014 của Thủ tướng Chính phủ"
        {"canonical": "19/2014/QĐ-TTg", "type": "Quyết định", "date": "2014-03-05", "year": 2014, "issuer_code": "TTg", "issuer": "Thủ tướng Chính phủ"},
        # l.213 "Kết luận số 77-KL/TW ngày 05/6/2020 của Bộ Chính trị⁽²¹⁾,
        # Nghị quyết số 84/NQ-CP ngày 29/5/2020⁽²²⁾ và Chỉ thị số 11/CT-TTg
        # ngày 04/3/2020⁽²³⁾ của Thủ tướng Chính phủ."
        {"canonical": "77-KL/TW", "type": "Kết luận", "date": "2020-06-05", "year": 2020, "issuer_code": "TW", "issuer": "Bộ Chính trị"},
        # The trailing "của Thủ tướng Chính phủ" grammatically closes the
        # "84/NQ-CP ... và 11/CT-TTg" pair, but a Nghị quyết -CP is issued by
        # the Government: issuer taken from the code (see TRICKY).
        {"canonical": "84/NQ-CP", "type": "Nghị quyết", "date": "2020-05-29", "year": 2020, "issuer_code": "CP", "issuer": "Chính phủ"},
        {"canonical": "11/CT-TTg", "type": "Chỉ thị", "date": "2020-03-04", "year": 2020, "issuer_code": "TTg", "issuer": "Thủ tướng Chính phủ"},
        # l.213 "Quyết định số 15/2020/QĐ-TTg ngày 24/4/2020 của Thủ tướng Chính phủ"
        {"canonical": "15/2020/QĐ-TTg", "type": "Quyết định", "date": "2020-04-24", "year": 2020, "issuer_code": "TTg", "issuer": "Thủ tướng Chính phủ"},
        # l.292 (annex table row, twice) "Nghị định số 04/2019/NĐ-CP ngày
        # 11/01/2019 của Chính phủ"
        {"canonical": "04/2019/NĐ-CP", "type": "Nghị định", "date": "2019-01-11", "year": 2019, "issuer_code": "CP", "issuer": "Chính phủ"},
    ],
    R1: [
        # l.19 "Nghị quyết số 40/NQ-HĐND ngày 09/12/2022 của HĐND tỉnh"
        {"canonical": "40/NQ-HĐND", "type": "Nghị quyết", "date": "2022-12-09", "year": 2022, "issuer_code": "HĐND", "issuer": "Hội đồng nhân dân tỉnh"},
        # l.21 "UBND tỉnh đã ban hành Chương trình hành động số 36/CTr-UBND ngày
        # 03/02/2023" (type word "Chương trình hành động" -> Chương trình)
        {"canonical": "36/CTr-UBND", "type": "Chương trình", "date": "2023-02-03", "year": 2023, "issuer_code": "UBND", "issuer": "Ủy ban nhân dân tỉnh"},
        # l.21 "Nghị quyết số 01/NQ-CP ngày 06/01/2023 của Chính phủ"; again l.41 (no date).
        {"canonical": "01/NQ-CP", "type": "Nghị quyết", "date": "2023-01-06", "year": 2023, "issuer_code": "CP", "issuer": "Chính phủ"},
        # l.21 "Nghị quyết số 11/NQ-CP ngày 30/01/2022 của Chính phủ"
        {"canonical": "11/NQ-CP", "type": "Nghị quyết", "date": "2022-01-30", "year": 2022, "issuer_code": "CP", "issuer": "Chính phủ"},
        # l.43 "đã trình Thủ tướng Chính phủ tại Tờ trình số 40/TTr-UBND ngày
        # 17/5/2023" -- Thủ tướng is the RECIPIENT; issuer = UBND tỉnh (code).
        {"canonical": "40/TTr-UBND", "type": "Tờ trình", "date": "2023-05-17", "year": 2023, "issuer_code": "UBND", "issuer": "Ủy ban nhân dân tỉnh"},
        # l.45 "Chương trình hành động số 17-CTr/TU ngày 30/9/2021 của Tỉnh ủy"; again l.119.
        {"canonical": "17-CTr/TU", "type": "Chương trình", "date": "2021-09-30", "year": 2021, "issuer_code": "TU", "issuer": "Tỉnh ủy"},
        # l.55 "Nghị quyết số 04-NQ/TU ngày 18/5/2021 của Tỉnh ủy"; again l.127.
        {"canonical": "04-NQ/TU", "type": "Nghị quyết", "date": "2021-05-18", "year": 2021, "issuer_code": "TU", "issuer": "Tỉnh ủy"},
        # l.57 "Quyết định số 764-QĐ/TU ngày 30/11/2022 của Ban Thường vụ Tỉnh ủy"
        {"canonical": "764-QĐ/TU", "type": "Quyết định", "date": "2022-11-30", "year": 2022, "issuer_code": "TU", "issuer": "Ban Thường vụ Tỉnh ủy"},
        # l.123 "theo chỉ đạo của Thủ tướng Chính phủ tại Công điện số
        # 280/CĐ-TTg ngày 19/4/2023, Công điện số 365/CĐ-TTg ngày 04/5/2023,
        # Công điện số 470/CĐ-TTg ngày 26/5/2023"
        {"canonical": "280/CĐ-TTg", "type": "Công điện", "date": "2023-04-19", "year": 2023, "issuer_code": "TTg", "issuer": "Thủ tướng Chính phủ"},
        {"canonical": "365/CĐ-TTg", "type": "Công điện", "date": "2023-05-04", "year": 2023, "issuer_code": "TTg", "issuer": "Thủ tướng Chính phủ"},
        {"canonical": "470/CĐ-TTg", "type": "Công điện", "date": "2023-05-26", "year": 2023, "issuer_code": "TTg", "issuer": "Thủ tướng Chính phủ"},
        # l.123 "chỉ đạo của Chủ tịch UBND tỉnh tại Công văn số 1567/UBND-NC
        # ngày 12/5/2023" -- "Chủ tịch UBND tỉnh" is not in the normalized
        # list; mapped to "Ủy ban nhân dân tỉnh" (= issuer_code UBND).
        {"canonical": "1567/UBND-NC", "type": "Công văn", "date": "2023-05-12", "year": 2023, "issuer_code": "UBND", "issuer": "Ủy ban nhân dân tỉnh"},
    ],
    R2: [
        # l.118 "theo Nghị quyết số 84/NQ-CP ngày 29/5/2020 của Chính phủ"
        {"canonical": "84/NQ-CP", "type": "Nghị quyết", "date": "2020-05-29", "year": 2020, "issuer_code": "CP", "issuer": "Chính phủ"},
        # l.121 "theo đúng tinh thần Chỉ thị số 10/CT-UBND ngày 09/6/2020."
        # (issuer not stated -> from code)
        {"canonical": "10/CT-UBND", "type": "Chỉ thị", "date": "2020-06-09", "year": 2020, "issuer_code": "UBND", "issuer": "Ủy ban nhân dân tỉnh"},
        # l.124 "Chỉ thị 19-CT/TU ngày 11/06/2020 của Ban Thường vụ Tỉnh ủy"
        {"canonical": "19-CT/TU", "type": "Chỉ thị", "date": "2020-06-11", "year": 2020, "issuer_code": "TU", "issuer": "Ban Thường vụ Tỉnh ủy"},
        # l.147 "Chỉ thị 02/CT-UBND ngày 10/01/2020 của Chủ tịch UBND tỉnh"
        # ("Chủ tịch UBND tỉnh" -> "Ủy ban nhân dân tỉnh")
        {"canonical": "02/CT-UBND", "type": "Chỉ thị", "date": "2020-01-10", "year": 2020, "issuer_code": "UBND", "issuer": "Ủy ban nhân dân tỉnh"},
    ],
    R3: [
        # l.12 "Kịp thời ban hành Chương trình số 04/CTr-UBND ngày 06/01/2021"
        # (subject UBND tỉnh); again l.70.
        {"canonical": "04/CTr-UBND", "type": "Chương trình", "date": "2021-01-06", "year": 2021, "issuer_code": "UBND", "issuer": "Ủy ban nhân dân tỉnh"},
        # l.12, inside footnote [2: ...]: "Nghị quyết số 01/NQ-CP ngày
        # 01/01/2021 của Chính phủ"
        {"canonical": "01/NQ-CP", "type": "Nghị quyết", "date": "2021-01-01", "year": 2021, "issuer_code": "CP", "issuer": "Chính phủ"},
        # l.12 "Nghị quyết số 02-NQ/TU ngày 02/12/2020 của Ban Chấp hành Đảng
        # bộ tỉnh" (= the provincial Party Committee -> "Tỉnh ủy")
        {"canonical": "02-NQ/TU", "type": "Nghị quyết", "date": "2020-12-02", "year": 2020, "issuer_code": "TU", "issuer": "Tỉnh ủy"},
        # l.12 "Nghị quyết số 244/2020/NQ-HĐND ngày 08/12/2020 của HĐND tỉnh"
        {"canonical": "244/2020/NQ-HĐND", "type": "Nghị quyết", "date": "2020-12-08", "year": 2020, "issuer_code": "HĐND", "issuer": "Hội đồng nhân dân tỉnh"},
        # l.44 "Quy chế làm việc của UBND tỉnh (ban hành kèm theo Quyết định số
        # 55/2017/QĐ-UBND ngày 29/12/2017)" (issuer not stated with "của" -> code)
        {"canonical": "55/2017/QĐ-UBND", "type": "Quyết định", "date": "2017-12-29", "year": 2017, "issuer_code": "UBND", "issuer": "Ủy ban nhân dân tỉnh"},
        # l.46 "Quy chế làm việc của Ban Chấp hành Đảng bộ tỉnh khoá XIX (ban
        # hành kèm theo Quyết định số 60-QĐ/TU ngày 22/12/2020)"
        {"canonical": "60-QĐ/TU", "type": "Quyết định", "date": "2020-12-22", "year": 2020, "issuer_code": "TU", "issuer": "Tỉnh ủy"},
        # l.46 "(ban hành kèm theo Quyết định số 304-QĐ/TU ngày 05/01/2017)"
        {"canonical": "304-QĐ/TU", "type": "Quyết định", "date": "2017-01-05", "year": 2017, "issuer_code": "TU", "issuer": "Tỉnh ủy"},
        # l.69 "theo Kết luận số 23-KL/TU, ngày 21/6/2021 của Ban Chấp hành
        # Đảng bộ tỉnh" (comma before "ngày"; BCH Đảng bộ tỉnh -> "Tỉnh ủy")
        {"canonical": "23-KL/TU", "type": "Kết luận", "date": "2021-06-21", "year": 2021, "issuer_code": "TU", "issuer": "Tỉnh ủy"},
        # l.70 "Kế hoạch số 67/KH-UBND ngày 12/3/2021"
        {"canonical": "67/KH-UBND", "type": "Kế hoạch", "date": "2021-03-12", "year": 2021, "issuer_code": "UBND", "issuer": "Ủy ban nhân dân tỉnh"},
    ],
    R4: [
        # l.21 "Nghị quyết 01/NQ-CP ngày 01/01/2020 của Chính phủ"
        {"canonical": "01/NQ-CP", "type": "Nghị quyết", "date": "2020-01-01", "year": 2020, "issuer_code": "CP", "issuer": "Chính phủ"},
        # l.21 "Nghị quyết 07-NQ/TU ngày 06/12/2019 của Tỉnh ủy"
        {"canonical": "07-NQ/TU", "type": "Nghị quyết", "date": "2019-12-06", "year": 2019, "issuer_code": "TU", "issuer": "Tỉnh ủy"},
        # l.21 "Nghị quyết số 21/2019/NQ-HĐND ngày 06/12/2019 của Hội đồng nhân dân tỉnh"
        {"canonical": "21/2019/NQ-HĐND", "type": "Nghị quyết", "date": "2019-12-06", "year": 2019, "issuer_code": "HĐND", "issuer": "Hội đồng nhân dân tỉnh"},
        # l.21 "UBND tỉnh đã ban hành Kế hoạch số 328/KH-UBND về những nhiệm
        # vụ..." -- no date anywhere in the report.
        {"canonical": "328/KH-UBND", "type": "Kế hoạch", "date": None, "year": None, "issuer_code": "UBND", "issuer": "Ủy ban nhân dân tỉnh"},
        # l.53 "Nghị quyết 42/NQ-CP của Chính phủ" (no date) and l.71 "Nghị
        # quyết số 42/NQ-CP ngày 9/4/2020 của Chính phủ" -> one instrument,
        # dated from the LATER full mention.
        {"canonical": "42/NQ-CP", "type": "Nghị quyết", "date": "2020-04-09", "year": 2020, "issuer_code": "CP", "issuer": "Chính phủ"},
        # l.55 "chỉ đạo của Thủ tướng Chính phủ tại Chỉ thị số 11/CT-TTg,
        # Nghị quyết 84/NQ-CP và các văn bản có liên quan" -- no dates.
        {"canonical": "11/CT-TTg", "type": "Chỉ thị", "date": None, "year": None, "issuer_code": "TTg", "issuer": "Thủ tướng Chính phủ"},
        # 84/NQ-CP: Government resolution (code CP), even though the sentence
        # is introduced by "chỉ đạo của Thủ tướng Chính phủ" (see TRICKY).
        {"canonical": "84/NQ-CP", "type": "Nghị quyết", "date": None, "year": None, "issuer_code": "CP", "issuer": "Chính phủ"},
        # l.91 "Nghị quyết 02/NQ-CP ngày 01/01/2020 của Chính phủ"
        {"canonical": "02/NQ-CP", "type": "Nghị quyết", "date": "2020-01-01", "year": 2020, "issuer_code": "CP", "issuer": "Chính phủ"},
        # l.183 "*Báo cáo này thay thế Báo cáo số 491/BC-UBND ngày 06/11/2020
        # của UBND tỉnh ...*" -- an earlier report that this one replaces; a
        # normal mention, not this report's own number.
        {"canonical": "491/BC-UBND", "type": "Báo cáo", "date": "2020-11-06", "year": 2020, "issuer_code": "UBND", "issuer": "Ủy ban nhân dân tỉnh"},
    ],
}

# ---------------------------------------------------------------------------
# 3. MENTIONS (line, canonical, resolved date), in document order
# ---------------------------------------------------------------------------
# Same-line mentions are in left-to-right order.

MENTIONS: dict[str, list[tuple[int, str, str | None]]] = {
    R0: [
        (7, "01/NQ-CP", "2020-01-01"),
        (7, "266/KH-UBND", "2020-01-20"),
        (13, "01/NQ-CP", "2020-01-01"),  # "Nghị quyết 01/NQ-CP ngày 01/01/2020" (no "số")
        (15, "36-NQ/TW", "2018-10-22"),
        (15, "50-NQ/TW", "2019-08-20"),
        (23, "52-NQ/TW", "2019-09-27"),
        (23, "36-CT/TW", "2019-08-16"),
        (59, "15/CT-TTg", "2020-03-27"),
        (59, "16/CT-TTg", "2020-03-31"),
        (75, "42/NQ-CP", None),
        (81, "35/NQ-CP", "2016-05-16"),
        (81, "02/NQ-CP", "2020-01-01"),
        (81, "07/CT-TTg", "2020-02-04"),  # "ngày" at end of l.81, date on l.87
        (87, "68/NQ-CP", "2020-05-12"),
        (91, "283/QĐ-TTg", "2020-02-19"),
        (93, "357/QĐ-TTg", "2020-03-10"),
        (93, "703/QĐ-TTg", "2020-05-28"),
        (93, "25/CT-TTg", "2020-06-04"),
        (101, "54-KL/TW", "2019-08-07"),  # footnote ⁽¹¹⁾ text line
        (119, "857/NQ-UBTVQH14", "2020-01-10"),
        (127, "30/NQ-CP", "2020-03-12"),  # footnote ⁽¹⁴⁾ text line
        (127, "58/NQ-CP", "2020-04-27"),  # footnote ⁽¹⁴⁾ text line
        (133, "628/QĐ-TTg", "2020-05-11"),
        (133, "24/CT-TTg", "2020-05-28"),
        (135, "09/CT-TTg", "2020-02-18"),
        (141, "17/CT-TTg", "2020-04-13"),
        (143, "51-KL/TW", "2019-05-30"),  # footnote ⁽¹⁵⁾ text line
        (151, "116/NQ-CP", "2019-12-06"),
        (163, "82/2019/QH14", "2019-06-14"),  # footnote ⁽¹⁷⁾ text line
        (169, "17/NQ-CP", "2019-03-07"),
        (169, "19/2014/QĐ-TTg", "2014-03-05"),
        (213, "77-KL/TW", "2020-06-05"),
        (213, "84/NQ-CP", "2020-05-29"),
        (213, "11/CT-TTg", "2020-03-04"),
        (213, "15/2020/QĐ-TTg", "2020-04-24"),
        (292, "04/2019/NĐ-CP", "2019-01-11"),  # annex table, column 2
        (292, "04/2019/NĐ-CP", "2019-01-11"),  # same row, "Ghi chú" column
        # EXCLUDED (own number, see OWN_NUMBER): l.260 "11/UBND",
        # l.275 "165/BG-QHND-NĐCP", l.289 "165 /BC-UBND".
    ],
    R1: [
        (19, "40/NQ-HĐND", "2022-12-09"),
        (21, "36/CTr-UBND", "2023-02-03"),
        (21, "01/NQ-CP", "2023-01-06"),
        (21, "11/NQ-CP", "2022-01-30"),
        (41, "01/NQ-CP", "2023-01-06"),  # short re-mention, resolved to l.21
        (43, "40/TTr-UBND", "2023-05-17"),
        (45, "17-CTr/TU", "2021-09-30"),
        (55, "04-NQ/TU", "2021-05-18"),
        (57, "764-QĐ/TU", "2022-11-30"),
        (119, "17-CTr/TU", "2021-09-30"),  # lower-case "chương trình hành động số"
        (123, "280/CĐ-TTg", "2023-04-19"),
        (123, "365/CĐ-TTg", "2023-05-04"),
        (123, "470/CĐ-TTg", "2023-05-26"),
        (123, "1567/UBND-NC", "2023-05-12"),
        (127, "04-NQ/TU", "2021-05-18"),
    ],
    R2: [
        (118, "84/NQ-CP", "2020-05-29"),
        (121, "10/CT-UBND", "2020-06-09"),
        (124, "19-CT/TU", "2020-06-11"),
        (147, "02/CT-UBND", "2020-01-10"),
    ],
    R3: [
        (12, "04/CTr-UBND", "2021-01-06"),
        (12, "01/NQ-CP", "2021-01-01"),  # inside inline footnote note [2: ...]
        (12, "02-NQ/TU", "2020-12-02"),  # inside inline footnote note [2: ...]
        (12, "244/2020/NQ-HĐND", "2020-12-08"),  # inside inline footnote note [2: ...]
        (44, "55/2017/QĐ-UBND", "2017-12-29"),
        (46, "60-QĐ/TU", "2020-12-22"),
        (46, "304-QĐ/TU", "2017-01-05"),
        (69, "23-KL/TU", "2021-06-21"),
        (70, "04/CTr-UBND", "2021-01-06"),
        (70, "67/KH-UBND", "2021-03-12"),
    ],
    R4: [
        (21, "01/NQ-CP", "2020-01-01"),
        (21, "07-NQ/TU", "2019-12-06"),
        (21, "21/2019/NQ-HĐND", "2019-12-06"),
        (21, "328/KH-UBND", None),
        (53, "42/NQ-CP", "2020-04-09"),  # dated only by the later mention on l.71
        (55, "11/CT-TTg", None),
        (55, "84/NQ-CP", None),
        (71, "42/NQ-CP", "2020-04-09"),
        (91, "02/NQ-CP", "2020-01-01"),
        (183, "491/BC-UBND", "2020-11-06"),
        # EXCLUDED (own number): l.3 "Số: /BC-UBND" (blank number).
    ],
}

# ---------------------------------------------------------------------------
# 4. FOOTNOTES (marker as written, first body line of the marker, note line)
# ---------------------------------------------------------------------------
# Formats (DOMAIN.md lists three):
#   R0: superscript "⁽N⁾" markers, note text on its own line starting with the
#       marker, placed below the paragraph -- often after a page break, so
#       several notes interrupt running text (e.g. l.15 -> notes l.17-21 ->
#       sentence continues l.23; ⁽⁷⁾ body l.43, note l.63).  23 notes.
#   R1: none.  ("(1)" ... "(10)" on l.43-67 are an enumeration, not footnotes.)
#   R2: none.
#   R3: "[footnoteRef:N]" marker (spelled "footnoteRef", not "footnote" as in
#       DOMAIN.md) with the note "[N:  text]" inline at the END OF THE SAME
#       line (two spaces after the colon).  Notes start at 2 (no note 1).
#   R4: none.
FOOTNOTES: dict[str, list[tuple[str, int, int]]] = {
    R0: [
        ("⁽¹⁾", 13, 17),
        ("⁽²⁾", 15, 19),
        ("⁽³⁾", 15, 21),
        ("⁽⁴⁾", 23, 37),
        ("⁽⁵⁾", 23, 39),
        ("⁽⁶⁾", 35, 41),
        ("⁽⁷⁾", 43, 63),
        ("⁽⁸⁾", 81, 83),
        ("⁽⁹⁾", 81, 85),
        ("⁽¹⁰⁾", 87, 99),
        ("⁽¹¹⁾", 93, 101),
        ("⁽¹²⁾", 93, 103),
        ("⁽¹³⁾", 93, 105),
        ("⁽¹⁴⁾", 113, 127),
        ("⁽¹⁵⁾", 133, 143),
        ("⁽¹⁶⁾", 133, 145),
        ("⁽¹⁷⁾", 151, 163),
        ("⁽¹⁸⁾", 169, 179),
        ("⁽¹⁹⁾", 177, 181),
        ("⁽²⁰⁾", 191, 193),
        ("⁽²¹⁾", 213, 223),
        ("⁽²²⁾", 213, 225),
        ("⁽²³⁾", 213, 227),
    ],
    R1: [],
    R2: [],
    R3: [
        ("[footnoteRef:2]", 12, 12),
        ("[footnoteRef:3]", 14, 14),
        ("[footnoteRef:4]", 28, 28),
        ("[footnoteRef:5]", 44, 44),
        ("[footnoteRef:6]", 46, 46),
        ("[footnoteRef:7]", 46, 46),
    ],
    R4: [],
}

FOOTNOTE_FORMAT: dict[str, str | None] = {
    R0: "superscript",  # ⁽N⁾ marker, note on its own line below
    R1: None,
    R2: None,
    R3: "footnoteRef-inline",  # [footnoteRef:N] + inline [N: ...]
    R4: None,
}

# ---------------------------------------------------------------------------
# 5. NUMBER_ONLY, OWN_NUMBER, TRICKY
# ---------------------------------------------------------------------------
# Type word + number WITHOUT a symbol ("Nghị quyết số 84"): none in the seeds
# (checked with grep for every type word followed by "số"/":"/digits).
# "Nghị quyết Trung ương 6 (khóa XII)" (R0 l.165, l.221), "Nghị quyết Trung
# ương 7 Khóa X" (R0 l.101), "Nghị quyết Trung ương 8 khóa XI" (R0 l.143) name
# a plenum, not an instrument number, and are not mentions.
NUMBER_ONLY: list[tuple[str, int, str]] = []

# The report's own number lines (never counted as mentions).
OWN_NUMBER: list[tuple[str, int, str]] = [
    # Annex of the first (unlabelled) appendix; garbled number "11/UBND" but
    # same date as the others -- treated as an own-number line, not a mention.
    (R0, 260, "(Kèm theo Báo cáo số 11/UBND ngày 01/7/2020)"),
    # Garbled symbol "BG-QHND-NĐCP", comma before "ngày".
    (R0, 275, "(Kèm theo Báo cáo số 165/BG-QHND-NĐCP, ngày 01/7/2020)"),
    # The clean one (space before "/"): source of doc_number and report_date.
    (R0, 289, "(Kèm theo Báo cáo số 165 /BC-UBND ngày 01/7/2020)"),
    # Blank number in the header.
    (R4, 3, "Số: /BC-UBND"),
]

TRICKY: list[tuple[str, int, str, str]] = [
    # ---- R0 (Bình Dương) ----
    (R0, 3, "**BÁO CÁO", "document title wrapped in markdown **bold** over l.3-5 (closing ** after '2020' on l.5); title, not a heading; no header/place-date/province lines"),
    (R0, 13, "Nghị quyết 01/NQ-CP ngày 01/01/2020 của Chính phủ⁽¹⁾", "type word without 'số'; repeat of l.7; footnote marker glued to the issuer"),
    (R0, 15, "Nghị quyết số 36-NQ/TW ngày 22/10/2018 của Hội nghị lần thứ 8 Ban Chấp hành Trung ương khóa XII⁽²⁾", "Party hyphen form; issuer phrased 'Hội nghị lần thứ 8 Ban Chấp hành Trung ương' -> 'Ban Chấp hành Trung ương'. Number 36 also used by 36-CT/TW (l.23), a different instrument"),
    (R0, 15, "Nghị quyết số 50-NQ/TW ngày 20/8/2019⁽³⁾,", "reference list broken by footnote lines 17-21; it continues on l.23 and its shared issuer 'của Bộ Chính trị' (l.23) applies to 50-NQ/TW, 52-NQ/TW and 36-CT/TW"),
    (R0, 31, "chỉ đạo thực hiện tốt việc báo cáo", "paragraph starting lower-case (continuation after a page break)"),
    (R0, 35, "3.1 Thực hiện Chương trình công tác của UBND tỉnh: UBND tỉnh chú trọng", "numbered heading without trailing dot ('3.1' vs '1.2.' on l.69) that runs into body text after a colon"),
    (R0, 59, "các Chỉ thị số: 15/CT-TTg ngày 27/3/2020, 16/CT-TTg ngày 31/3/2020 của Thủ tướng Chính phủ", "list sharing one type word, 'số:' with colon, one shared issuer"),
    (R0, 75, "theo Nghị quyết số 42/NQ-CP.", "no date anywhere in this report -> date None (the 9/4/2020 date appears only in report 004)"),
    (R0, 81, "các Nghị quyết số 35/NQ-CP ngày 16/5/2016⁽⁸⁾, 02/NQ-CP ngày 01/01/2020⁽⁹⁾ của Chính phủ", "list sharing one type word; footnote markers glued to the dates"),
    (R0, 81, "Chỉ thị số 07/CT-TTg ngày", "line/page break INSIDE a reference: the date '04/02/2020⁽¹⁰⁾ của Thủ tướng Chính phủ' is on l.87, after footnote lines 83 and 85"),
    (R0, 101, "⁽¹¹⁾ Quyết định ban hành Kế hoạch triển khai Kết luận số 54-KL/TW ngày 07/8/2019 của Bộ Chính trị", "instrument cited only inside a footnote text line (also l.127, l.143, l.163)"),
    (R0, 119, "Nghị quyết số 857/NQ-UBTVQH14", "issuer code with legislature suffix 'UBTVQH14'"),
    (R0, 127, "⁽¹⁴⁾ Các Nghị quyết số: 30/NQ-CP ngày 12/3/2020, 58/NQ-CP ngày 27/4/2020 của Chính phủ.", "list form with 'số:' inside a footnote; the footnote expands the bare 'theo các Nghị quyết của Chính phủ⁽¹⁴⁾' of l.113"),
    (R0, 163, "Nghị quyết số 82/2019/QH14 ngày 14/6/2019 của Quốc hội", "symbol without type abbreviation; type from the written word 'Nghị quyết' (not 'Luật')"),
    (R0, 193, "đứng thứ 1763 tỉnh/thành", "garbled figure (17/63) -- not an instrument; also '13/63', '25/63' are ranks"),
    (R0, 173, "Lễ 30/4, 1/5, 19/5", "day/month dates without year -- not instruments"),
    (R0, 213, "Nghị quyết số 84/NQ-CP ngày 29/5/2020⁽²²⁾ và Chỉ thị số 11/CT-TTg ngày 04/3/2020⁽²³⁾ của Thủ tướng Chính phủ", "shared trailing issuer would wrongly make 84/NQ-CP a Prime-Minister act; issuer kept as 'Chính phủ' from code CP (judgement call)"),
    (R0, 207, "1. Các cấp, các ngành tiếp tục quán triệt sâu sắc tinh thần", "numbered item that is heading and long paragraph at once (all of IV.1-9, l.207-234)"),
    (R0, 233, " ", "line containing only a space; l.234 '9.' follows a stray blank"),
    (R0, 240, "- VPCP (vụ III, Vụ Tổng hợp), Q/Khu 7;", "'Q/Khu' is an abbreviation, not an instrument; 'vụ III' is not a Roman heading"),
    (R0, 259, "Kết quả thực hiện Chương trình công tác của Chính phủ, Thủ tướng Chính phủ", "first appendix title with NO 'PHỤ LỤC' label line (so not in top_headings); tab-separated table l.262-264"),
    (R0, 260, "(Kèm theo Báo cáo số 11/UBND ngày 01/7/2020)", "own-number annex line with a garbled number (11 instead of 165, no type abbreviation) -- not a mention"),
    (R0, 268, "PHỤ LỤC", "appendix label without numeral, title on l.272 wrapped in **bold** across l.272-273"),
    (R0, 275, "(Kèm theo Báo cáo số 165/BG-QHND-NĐCP, ngày 01/7/2020)", "own-number line with garbled symbol and comma before 'ngày' -- not a mention"),
    (R0, 280, " - + Số nhiệm vụ đã hoàn thành, 42, trong đó", "bullet with leading space and combined '- +' markers"),
    (R0, 289, "(Kèm theo Báo cáo số 165 /BC-UBND ngày 01/7/2020)", "own number with a space before '/' -- gives doc_number 165/BC-UBND and report_date 2020-07-01"),
    (R0, 292, "Nghị định số 04/2019/NĐ-CP ngày 11/01/2019 của Chính phủ", "tab-separated annex table row with two mentions of the same instrument on one line (column 2 and, inside '(Khoản 2 Điều 27 Nghị định số ...)', the last column)"),
    # ---- R1 (Bình Phước) ----
    (R1, 3, "Bình Phước, ngày 14 tháng 6 năm 2023", "place-date line in 'ngày .. tháng .. năm' form; province only here and in the body"),
    (R1, 21, "Chương trình hành động số 36/CTr-UBND ngày 03/02/2023", "multi-word type 'Chương trình hành động' -> 'Chương trình'; mixed-case abbreviation 'CTr'"),
    (R1, 41, "Nghị quyết số 01/NQ-CP của Chính phủ", "short re-mention resolved to l.21 (2023-01-06); 01/NQ-CP of 2020 (R0, R4) and 2021 (R3) are different resolutions"),
    (R1, 43, "(1) Hoàn chỉnh Quy hoạch tỉnh", "parenthesised enumeration (1)..(10), l.43-67 -- not footnote markers, not headings above arabic level"),
    (R1, 43, "đã trình Thủ tướng Chính phủ tại Tờ trình số 40/TTr-UBND ngày 17/5/2023", "'Thủ tướng Chính phủ' is the recipient; issuer is UBND tỉnh (code UBND)"),
    (R1, 45, "Chương trình hành động số 17-CTr/TU ngày 30/9/2021 của Tỉnh ủy", "Party hyphen form with mixed-case 'CTr'"),
    (R1, 45, "(*Đề án tái cơ cấu toàn diện phát triển ngành Nông nghiệp", "italic span and parenthesis broken across a page break, continues on l.47"),
    (R1, 57, "Quyết định số 764-QĐ/TU ngày 30/11/2022 của Ban Thường vụ Tỉnh ủy", "issuer more specific than code TU -> 'Ban Thường vụ Tỉnh ủy'"),
    (R1, 63, "Trong quý I/2023", "'I/2023' is a quarter, not an instrument"),
    (R1, 119, "chương trình hành động số 17-CTr/TU ngày 30/9/2021 của Tỉnh ủy", "lower-case type word"),
    (R1, 123, "Công điện số 280/CĐ-TTg ngày 19/4/2023, Công điện số 365/CĐ-TTg ngày 04/5/2023, Công điện số 470/CĐ-TTg ngày 26/5/2023", "list with repeated type word; issuer stated BEFORE the list ('chỉ đạo của Thủ tướng Chính phủ tại')"),
    (R1, 123, "chỉ đạo của Chủ tịch UBND tỉnh tại Công văn số 1567/UBND-NC ngày 12/5/2023", "official letter: no type abbreviation, issuer_code UBND; 'Chủ tịch UBND tỉnh' normalized to 'Ủy ban nhân dân tỉnh'"),
    # ---- R2 (Bắc Giang) ----
    (R2, 1, " BÁO CÁO TÓM TẮT", "title with leading space; no number, date or province in the header"),
    (R2, 6, "Phần thứ nhất", "Part label alone on its line, title on l.8 (same for 'Phần thứ hai' l.91 -> l.93)"),
    (R2, 11, "A. KẾT QUẢ ĐẠT ĐƯỢC  ", "heading with trailing spaces, directly after a body paragraph (no blank line)"),
    (R2, 13, "1. Tăng trưởng kinh tế dù thấp hơn cùng kỳ nhiều năm trước", "numbered heading that is also the first sentence of a long paragraph"),
    (R2, 15, "2.1. Sản xuất công nghiệp có bước phục hồi nhanh", "duplicated numbering: '2.1.' on l.15 AND l.16 (second one should be 2.2.)"),
    (R2, 16, "2.1. Xây dựng tăng trưởng khá", "duplicated numbering '2.1.' (second occurrence)"),
    (R2, 27, "6.1.Công tác quản lý vốn đầu tư công", "no space after the number"),
    # surface quoted byte-exact: the heading text is NFD from "tác" on (71 combining marks in the line)
    (R2, 41, "4. Công ta\u0301c qua\u0309n ly\u0301 nha\u0300 nươ\u0301c vê\u0300 KHCN", "arabic-numbered heading whose text is partly NFD (combining U+0300/0301/0309/0323) -- NFC-normalize before matching '4. Công tác quản lý nhà nước về KHCN'"),
    (R2, 48, " 3. Công tác thanh tra, chống tham nhũng được chú trọng.", "numbered heading with a leading space (also l.49 ' 4.')"),
    (R2, 68, "Hạ tầng các\u00a0khu, cụm công nghiệp\u00a0chậm", "non-breaking spaces inside text (also l.112)"),
    (R2, 103, "Nghị quyết của Chỉnh phủ, Tỉnh ủy, HĐND tỉnh", "typo 'Chỉnh phủ'; bare type word without number -- not a mention"),
    (R2, 124, "Chỉ thị 19-CT/TU ngày 11/06/2020 của Ban Thường vụ Tỉnh ủy", "type word without 'số'; Party hyphen form; zero-padded month"),
    (R2, 147, "Chỉ thị 02/CT-UBND ngày 10/01/2020 của Chủ tịch UBND tỉnh", "'Chủ tịch UBND tỉnh' normalized to 'Ủy ban nhân dân tỉnh'"),
    (R2, 156, "Dự thảo", "unsigned draft: no number, no date"),
    # ---- R3 (Hà Tĩnh) ----
    (R3, 1, " BÁO CÁO", "title with leading space; province not in header (found in body)"),
    (R3, 5, "\t\t", "line of tabs only"),
    (R3, 12, "[footnoteRef:2]", "footnote marker spelled '[footnoteRef:N]'; its note '[2:  Nghị quyết số 01/NQ-CP ... 244/2020/NQ-HĐND ...]' is inline at the end of the SAME line and holds three references"),
    (R3, 12, "Nghị quyết số 02-NQ/TU ngày 02/12/2020 của Ban Chấp hành Đảng bộ tỉnh", "issuer 'Ban Chấp hành Đảng bộ tỉnh' normalized to 'Tỉnh ủy' (also 23-KL/TU l.69)"),
    # surface quoted byte-exact (5 combining marks in this body line)
    (R3, 33, "đươ\u0323c triê\u0309n khai có hiê\u0323u qua\u0309", "body text partly NFD (combining U+0309/0323) in the middle of an otherwise NFC line"),
    (R3, 43, "a. Thực hiện nguyên tắc làm việc, công tác phối hợp", "letter sub-heading 'a.' with a dot (not 'a)'); also 'b.' l.50, 'c.' l.53"),
    (R3, 44, "(ban hành kèm theo Quyết định số 55/2017/QĐ-UBND ngày 29/12/2017)", "reference in parentheses, issuer implicit"),
    (R3, 46, "[footnoteRef:7] .", "two footnote markers on one line, space before the full stop; notes 6 and 7 inline at line end"),
    (R3, 62, "Phần thứ hai", "Part label alone; title split over two lines l.63-64"),
    (R3, 69, "Kết luận số 23-KL/TU, ngày 21/6/2021 của Ban Chấp hành Đảng bộ tỉnh", "comma between symbol and 'ngày'"),
    # ---- R4 (Bến Tre) ----
    (R4, 3, "Số: /BC-UBND", "'Số:' with blank number -> doc_number None; not a mention"),
    (R4, 5, "Bến Tre, ngày tháng 11 năm 2020", "'ngày .. tháng .. năm' form with the day left blank -> report_date None"),
    (R4, 21, "Nghị quyết 01/NQ-CP ngày 01/01/2020 của Chính phủ; Nghị quyết 07-NQ/TU ngày 06/12/2019 của Tỉnh ủy", "type word without 'số'; Party hyphen form"),
    (R4, 21, "Kế hoạch số 328/KH-UBND về những nhiệm vụ", "no date anywhere -> None"),
    (R4, 53, "Nghị quyết 42/NQ-CP của Chính phủ", "dated only by a LATER full mention (l.71 'ngày 9/4/2020', single-digit day): resolved forward to 2020-04-09"),
    (R4, 55, "chỉ đạo của Thủ tướng Chính phủ tại Chỉ thị số 11/CT-TTg, Nghị quyết 84/NQ-CP", "list mixing two types under one 'của Thủ tướng Chính phủ'; 84/NQ-CP kept as 'Chính phủ'; no dates"),
    (R4, 155, "III. Nhiệm vụ, giải pháp trọng tâm trong chỉ đạo, điều hành năm 2020", "heading says 2020 but the section is about 2021 (l.157)"),
    (R4, 183, "*Báo cáo này thay thế Báo cáo số 491/BC-UBND ngày 06/11/2020 của UBND tỉnh", "italic; cites the EARLIER report this one supersedes -- a mention, not the own number"),
]

# ---------------------------------------------------------------------------
# Reconciliation (done by regex r"\d+(?:/\d{4})?[/-][A-Za-zĐđ][\wĐđ/-]*" over
# each file, every hit checked by eye):
#   R0: 39 hits = 37 MENTIONS + 2 own-number (l.260 "11/UBND",
#       l.275 "165/BG-QHND-NĐCP"); l.289 "165 /BC-UBND" does not match the
#       regex (space) and is own-number too.  Ranks like "13/63", "37/42",
#       "46/46", "42/42" and dates do not match (digit after slash).
#   R1: 15 hits = 15 MENTIONS ("I/2023" on l.63 does not match).
#   R2: 4 hits = 4 MENTIONS.
#   R3: 10 hits = 10 MENTIONS.
#   R4: 10 hits = 10 MENTIONS (l.3 "Số: /BC-UBND" has no number).
# Counts: instruments R0 35, R1 12, R2 4, R3 9, R4 9 = 69;
#         mentions    R0 37, R1 15, R2 4, R3 10, R4 10 = 76.
# ---------------------------------------------------------------------------
