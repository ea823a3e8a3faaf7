"""Run the web app under gunicorn (a production WSGI server), indexing the corpus first if needed."""
from __future__ import annotations

import sys
from pathlib import Path

from .indexing import build_index, current_generation, tty_progress

__all__ = ["serve"]


def serve(*, index_dir: str, corpus: str, host: str, port: int, workers: int) -> int:
    from gunicorn.app.base import BaseApplication

    if current_generation(index_dir) is None:
        if not Path(corpus).is_dir():
            print(f"Lỗi: chưa có chỉ mục ở {index_dir} và không thấy thư mục báo cáo {corpus}.", file=sys.stderr)
            return 1
        print(f"Chưa có chỉ mục: đang lập chỉ mục từ {corpus} …", file=sys.stderr)
        summary = build_index(corpus, index_dir, progress=tty_progress)
        print(f"Đã lập chỉ mục {summary.reports} báo cáo, {summary.sections} mục.", file=sys.stderr)

    class Application(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", max(1, workers))
            self.cfg.set("threads", 4)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("timeout", 60)
            self.cfg.set("accesslog", "-")

        def load(self):
            from .web import create_app

            return create_app({"INDEX_DIR": str(Path(index_dir).resolve()), "CORPUS_DIR": str(Path(corpus).resolve())})

    print(f"Đang phục vụ tại http://{host}:{port}/ ({workers} tiến trình)", file=sys.stderr)
    Application().run()
    return 0
