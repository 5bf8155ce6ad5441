"""👍/👎 feedback on answers, shared by the API, Telegram and the widget (SQLite)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from bot.sqlite_store import SqliteStore


class FeedbackStore(SqliteStore):
    """Append-only ratings; export gives them all for review."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            "CREATE TABLE IF NOT EXISTS feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT,"
            " answer_id TEXT, rating TEXT CHECK (rating IN ('up','down')), comment TEXT, channel TEXT,"
            " created REAL)",
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
