"""One way to open the small SQLite stores (memory, feedback, chat sessions) shared by threads."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path


class SqliteStore:
    """A connection usable from any thread, guarded by one lock, with its tables created.

    WAL without a disk sync per write: a turn or a rating lost to a power cut is acceptable, a
    27 ms sync on every answer is not.
    """

    def __init__(self, path: Path, *schema: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock, self._conn:
            self._conn.execute("PRAGMA journal_mode=WAL")
            self._conn.execute("PRAGMA synchronous=NORMAL")
            for statement in schema:
                self._conn.execute(statement)
