"""Helper processes of an indexing run (its workers, which parse and may write) that end with it."""
from __future__ import annotations

import os
import threading
import time

__all__ = ["exit_with_parent"]


def exit_with_parent() -> None:
    """Call in a helper process: it exits when the process that started it is gone (``kill -9``
    of an indexing run), instead of waiting for work forever."""
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)
