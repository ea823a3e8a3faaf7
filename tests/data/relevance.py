"""The relevance test set: queries and the reports relevant to each, judged by reading the documents.

Corpora: "seeds" (corpus/, five provincial reports), "realdocs" (the ten files of ``REALDOCS_JUDGED``
from ../shared/realdocs/: the .docx and the .pdf with a text layer) and "generated" (benchmarks/
generate.py --reports 30 --seed 7: seed text recombined across provinces and years).

Kinds:
- "exact": citation and filtered queries; the reports found must be exactly ``relevant``.
- "topical": every report of ``relevant`` must be found (others may follow).
- "first": ``relevant`` holds one report, which must come first (a document's own number).

Reports are named by the start of their file name. For the generated corpus, ``relevant`` is
None and ``needle`` names what a relevant report says: the reports whose text holds it (read from
the files with a regular expression, not from the engine) — the generated reports differ only
in what was drawn into them, so holding the passage is what makes one relevant.
Each row carries the reason it was judged so.
"""
from __future__ import annotations

S0, S1, S2, S3, S4 = "000", "001", "002", "003", "004"  # Bình Dương 2020, Bình Phước 2023, Bắc Giang 2020, Hà Tĩnh 2021, Bến Tre 2020
ALL = {S0, S1, S2, S3, S4}

QUERIES = [
    # --- seeds: topical ------------------------------------------------------------------------
    ("seeds", "giải ngân vốn đầu tư công", "topical", ALL, "every report reviews disbursement of public investment"),
    ("seeds", "giai ngan von dau tu cong", "topical", ALL, "the same, typed without accents"),
    ("seeds", "covid", "topical", ALL, "2020–2021 reports on the epidemic; 001 (2023) on recovery after it"),
    ("seeds", "phòng, chống dịch Covid-19", "topical", {S0, S2, S3, S4}, "epidemic control sections of the 2020–2021 reports"),
    ("seeds", "xâm nhập mặn", "topical", {S4}, "only Bến Tre reports salinity intrusion (10 mentions)"),
    ("seeds", "cải cách hành chính", "topical", ALL, "each reviews administrative reform (PAR Index, TTHC)"),
    ("seeds", "CCHC", "topical", ALL, "the abbreviation: the same reports as written out"),
    ("seeds", "chuyển đổi số", "topical", {S3, S4}, "Hà Tĩnh's plan and Bến Tre's Đề án chuyển đổi số"),
    ("seeds", "CĐS", "topical", {S3, S4}, "the abbreviation of chuyển đổi số"),
    ("seeds", "chính quyền điện tử", "topical", {S1, S2, S3}, "e-government tasks in 001, 002, 003"),
    ("seeds", "tiếp công dân", "topical", {S0, S1, S2}, "citizen reception in 000, 001, 002"),
    ("seeds", "khiếu nại, tố cáo", "topical", ALL, "complaints and denunciations handled in each"),
    ("seeds", "nông thôn mới", "topical", {S0, S2, S3, S4}, "new rural development; 004 also writes NTM"),
    ("seeds", "NTM", "topical", {S0, S2, S3, S4}, "the abbreviation of nông thôn mới"),
    ("seeds", "OCOP", "topical", {S3, S4}, "one commune one product in Hà Tĩnh and Bến Tre"),
    ("seeds", "mỗi xã một sản phẩm", "topical", {S3, S4}, "003 spells it out, 004 writes only OCOP"),
    ("seeds", "an sinh xã hội", "topical", ALL, "social security in every report"),
    ("seeds", "dịch tả lợn châu Phi", "topical", {S0, S2}, "African swine fever in Bình Dương and Bắc Giang"),
    ("seeds", "bầu cử Quốc hội", "topical", {S3}, "the 2021 elections, only in the 2021 report"),
    ("seeds", "biến đổi khí hậu", "topical", {S2, S4}, "climate change in 002 and 004"),
    ("seeds", "tội phạm ma túy", "topical", {S0, S4}, "drug crime in 000 and 004"),
    ("seeds", "tai nạn giao thông", "topical", {S2, S4}, "traffic accident figures in 002 and 004"),
    ("seeds", "xuất khẩu", "topical", ALL, "exports in every report"),
    ("seeds", "chỉ số năng lực cạnh tranh cấp tỉnh PCI", "topical", ALL, "every report ranks its PCI"),
    ("seeds", "quy hoạch tỉnh thời kỳ 2021-2030", "topical", ALL, "000 writes “giai đoạn 2021-2030”, the others “thời kỳ”"),
    ("seeds", "thu hút đầu tư nước ngoài FDI", "topical", {S0, S1, S2, S3}, "foreign investment: “vốn đầu tư nước ngoài”, “FDI”"),
    ("seeds", "GPMB", "topical", {S0, S1, S2, S4}, "site clearance: 001 writes GPMB, the others spell it out"),
    ("seeds", "tình hình kinh tế - xã hội", "topical", ALL, "each reviews the socio-economic situation"),
    ("seeds", "NSNN", "topical", {S0, S1, S2, S4}, "state budget revenue (“thu ngân sách nhà nước”, NSNN); 003 has none"),
    ("seeds", "du lịch", "topical", {S0, S1, S2, S4}, "tourism in 000, 001, 002, 004"),
    # --- seeds: citations and filters (exact) ---------------------------------------------------
    ("seeds", "Nghị quyết 84/NQ-CP", "exact", {S0, S2, S4}, "000 and 002 cite it dated, 004 undated"),
    ("seeds", "84/nq-cp", "exact", {S0, S2, S4}, "the same instrument in lower case"),
    ("seeds", "instrument:84/NQ-CP", "exact", {S0, S2, S4}, "the same as a filter typed in the box"),
    ("seeds", '"84/NQ-CP"', "exact", {S0, S2, S4}, "the same in quotes"),
    ("seeds", "42/NQ-CP", "exact", {S0, S4}, "Nghị quyết 42/NQ-CP on Covid-19 support in 000 and 004"),
    ("seeds", "11/CT-TTg", "exact", {S0, S4}, "Chỉ thị 11/CT-TTg in 000 and 004"),
    ("seeds", "36-NQ/TW", "exact", {S0}, "a Party resolution only 000 cites"),
    ("seeds", "01/NQ-CP", "exact", {S0, S1, S3, S4}, "the yearly Government resolution 01/NQ-CP, any year"),
    ("seeds", 'covid province:"Bến Tre"', "exact", {S4}, "Bến Tre is 004"),
    ("seeds", "đầu tư year:2020", "exact", {S0, S2, S4}, "the three reports about 2020"),
    ("seeds", "nông thôn mới period:năm", "exact", {S4}, "004 is the only whole-year report"),
    ("seeds", "165/BC-UBND", "first", {S0}, "000's own number, in its annex caption “Báo cáo số 165 /BC-UBND”"),
    # --- real documents -----------------------------------------------------------------------------
    ("realdocs", "phòng, chống ma túy", "topical", {"dev_12"}, "the plan of the national drug-control programme"),
    ("realdocs", "mưa lớn", "topical", {"dev_24"}, "Huế's warning of heavy rain"),
    ("realdocs", "PCTT", "topical", {"dev_24"}, "the disaster-prevention command's notice"),
    ("realdocs", "luật sư", "topical", {"dev_21"}, "the Ministry of Justice letter on the bar association"),
    ("realdocs", "tổ chức, hoạt động và quản lý hội", "topical", {"dev_04"}, "the report on associations"),
    ("realdocs", "Chỉ số cải cách hành chính", "topical", {"dev_01", "dev_03", "dev_11", "dev_14", "dev_19"}, "the PAR Index documents"),
    ("realdocs", "CCHC", "topical", {"dev_01", "dev_03", "dev_11", "dev_14", "dev_19"}, "the same, abbreviated"),
    ("realdocs", "thi đua cải cách hành chính", "topical", {"dev_11"}, "the emulation plan for administrative reform"),
    ("realdocs", "SIPAS", "topical", {"dev_03", "dev_11", "dev_19"}, "the satisfaction index in the index documents"),
    ("realdocs", "PCI", "topical", {"dev_03", "dev_19"}, "the competitiveness index in the index documents"),
    ("realdocs", "dịch vụ công trực tuyến", "topical", {"dev_01", "dev_02", "dev_03", "dev_19"}, "online public services"),
    ("realdocs", "766/QĐ-TTg", "exact", {"dev_02", "dev_03"}, "the service-quality decision cited by 02 and 03"),
    ("realdocs", "19-NQ/TW", "exact", {"dev_01"}, "cited in the PAR Index table"),
    ("realdocs", "62-KL/TW", "exact", {"dev_01"}, "cited in the PAR Index table"),
    ("realdocs", "3917/BTP-BTTP", "first", {"dev_21"}, "its own number, “Số: 3917/BTP-BTTP”"),
    # --- generated corpus -----------------------------------------------------------------------
    ("generated", "xâm nhập mặn", "topical", None, r"xâm nhập mặn"),
    ("generated", "bầu cử", "topical", None, r"bầu cử"),
    ("generated", "giải ngân vốn đầu tư công", "topical", None, r"giải ngân vốn đầu tư công"),
    ("generated", "35/NQ-CP", "exact", None, r"(?<![\d/])35/NQ-CP"),
    ("generated", "79/NQ-CP", "exact", None, r"(?<![\d/])79/NQ-CP"),
]


# The files of ../shared/realdocs/ the "realdocs" queries were judged on (reports outside this list
# were not read for these queries, so they are not indexed for them).
REALDOCS_JUDGED = (
    "dev_01_lam-dong-bc-cham-diem-par-index-2025.docx",
    "dev_02_lam-dong-hcc-bc-chat-luong-phuc-vu-2025.docx",
    "dev_03_lam-dong-snv-bc-cac-chi-so-2025.docx",
    "dev_04_lam-dong-bc-to-chuc-quan-ly-hoi-2025.docx",
    "dev_11_lam-dong-kh-thi-dua-cchc-2026.docx",
    "dev_12_lam-dong-kh-ctmtqg-pcmt-2030.docx",
    "dev_14_lam-dong-qd-cong-bo-chi-so-cchc-2025.docx",
    "dev_19_lam-dong-cv-cai-thien-chi-so-2025.docx",
    "dev_21_bo-tu-phap-cv-3917-2025.pdf",
    "dev_24_thua-thien-hue-tb-254-pctt-2022.pdf",
)
