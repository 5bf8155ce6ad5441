"""Which assistant session each Telegram chat is in, kept in SQLite so a restart does not lose it."""

from __future__ import annotations

from pathlib import Path

from bot.sqlite_store import SqliteStore


class ChatSessions(SqliteStore):
    """chat id -> the chat's current session id; ``/new`` replaces it."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            "CREATE TABLE IF NOT EXISTS chat_sessions (chat_id INTEGER PRIMARY KEY, session_id TEXT NOT NULL)",
        )

    def get(self, chat_id: int) -> str | None:
        with self._lock:
            row = self._conn.execute("SELECT session_id FROM chat_sessions WHERE chat_id = ?", (chat_id,)).fetchone()
        return str(row[0]) if row else None

    def get_or_start(self, chat_id: int, session_id: str) -> str:
        """The chat's session, or ``session_id`` when it has none yet (first writer wins)."""
        with self._lock, self._conn:
            self._conn.execute(
                "INSERT OR IGNORE INTO chat_sessions (chat_id, session_id) VALUES (?, ?)", (chat_id, session_id)
            )
            row = self._conn.execute("SELECT session_id FROM chat_sessions WHERE chat_id = ?", (chat_id,)).fetchone()
        return str(row[0])

    def replace(self, chat_id: int, session_id: str) -> None:
        with self._lock, self._conn:
            self._conn.execute(
                "INSERT OR REPLACE INTO chat_sessions (chat_id, session_id) VALUES (?, ?)", (chat_id, session_id)
            )

    def close(self) -> None:
        with self._lock:
            self._conn.close()
