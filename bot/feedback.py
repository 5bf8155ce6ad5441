"""👍/👎 feedback on answers, shared by the API, Telegram and the widget (SQLite)."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path
from typing import Any


class FeedbackStore:
    """Append-only ratings; export gives them all for review."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False)
        self._lock = threading.Lock()
        with self._lock, self._conn:
            self._conn.execute(
                "CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT,"
                " answer_id TEXT, rating TEXT CHECK (rating IN ('up','down')), comment TEXT, channel TEXT,"
                " created REAL)"
            )

    def add(self, session_id: str, answer_id: str, rating: str, comment: str = "", channel: str = "api") -> int:
        if rating not in ("up", "down"):
            raise ValueError("rating must be 'up' or 'down'.")
        with self._lock, self._conn:
            cur = self._conn.execute(
                "INSERT INTO feedback (session_id, answer_id, rating, comment, channel, created)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, answer_id, rating, comment, channel, time.time()),
            )
        return int(cur.lastrowid or 0)

    def export(self) -> list[dict[str, Any]]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT id, session_id, answer_id, rating, comment, channel, created FROM feedback ORDER BY id"
            ).fetchall()
        keys = ("id", "session_id", "answer_id", "rating", "comment", "channel", "created")
        return [dict(zip(keys, row, strict=True)) for row in rows]
