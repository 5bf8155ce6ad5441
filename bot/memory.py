"""Conversation memory per session id, in SQLite."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from pathlib import Path

from bot.sqlite_store import SqliteStore


@dataclass(frozen=True)
class Turn:
    question: str
    standalone: str
    answer: str
    doc_numbers: tuple[str, ...]


class Memory(SqliteStore):
    """Stores each turn; ``recent`` gives the last few for follow-up resolution."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            path,
            "CREATE TABLE IF NOT EXISTS turns (id INTEGER PRIMARY KEY AUTOINCREMENT, session_id TEXT NOT NULL,"
            " question TEXT, standalone TEXT, answer TEXT, doc_numbers TEXT, created REAL)",
            "CREATE INDEX IF NOT EXISTS turns_session ON turns(session_id, id)",
        )

    def add(self, session_id: str, turn: Turn) -> None:
        with self._lock, self._conn:
            self._conn.execute(
                "INSERT INTO turns (session_id, question, standalone, answer, doc_numbers, created)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (session_id, turn.question, turn.standalone, turn.answer,
                 json.dumps(list(turn.doc_numbers), ensure_ascii=False), time.time()),
            )

    def recent(self, session_id: str, limit: int = 6) -> list[Turn]:
        with self._lock:
            rows = self._conn.execute(
                "SELECT question, standalone, answer, doc_numbers FROM turns WHERE session_id = ?"
                " ORDER BY id DESC LIMIT ?",
                (session_id, limit),
            ).fetchall()
        return [Turn(q, s, a, tuple(json.loads(d or "[]"))) for q, s, a, d in reversed(rows)]

    def clear(self, session_id: str) -> None:
        with self._lock, self._conn:
            self._conn.execute("DELETE FROM turns WHERE session_id = ?", (session_id,))
