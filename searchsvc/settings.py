"""Every setting once: name, default, help. Environment variables SEARCHSVC_<NAME> override."""
from __future__ import annotations

import os
from dataclasses import dataclass

__all__ = ["SETTINGS", "get"]


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS = {
    s.name: s
    for s in [
        Setting("corpus", "corpus", "thư mục chứa các văn bản (.txt, .docx, .doc, .pdf, .html)"),
        Setting("index", "index", "thư mục chỉ mục"),
        Setting("host", "127.0.0.1", "địa chỉ máy chủ web"),
        Setting("port", 8000, "cổng máy chủ web"),
        Setting("workers", os.cpu_count() or 1, "số tiến trình phục vụ (mặc định: số lõi CPU)"),
        Setting("ocr_cache", os.path.join(os.path.expanduser("~"), ".cache", "searchsvc", "ocr"),
                "thư mục lưu kết quả OCR theo mã băm tệp (rỗng: không lưu)"),
        Setting("lock_timeout", 120.0, "số giây một lượt lập chỉ mục chờ lượt khác"),
    ]
}


def get(name: str):
    """The value of a setting: SEARCHSVC_<NAME> from the environment, else its default."""
    setting = SETTINGS[name]
    raw = os.environ.get(f"SEARCHSVC_{name.upper()}")
    if raw is None:
        return setting.default
    return type(setting.default)(raw)
