"""BM25 over jieba tokens (bm25s), with the domain dictionary and abbreviation expansion."""

from __future__ import annotations

import json
import logging
import re
import threading
from pathlib import Path

import numpy as np

from retrieval.vocabulary import ABBREVIATIONS, DOMAIN_WORDS, STOPWORDS

_TOKEN_OK = re.compile(r"[\w\u4e00-\u9fff%％]")
_jieba_lock = threading.Lock()
_jieba_ready = False


def _jieba():  # type: ignore[no-untyped-def]
    global _jieba_ready
    import jieba

    with _jieba_lock:
        if not _jieba_ready:
            jieba.setLogLevel(logging.WARNING)
            for word in DOMAIN_WORDS:
                jieba.add_word(word, freq=200000)
            for word in ABBREVIATIONS:
                jieba.add_word(word, freq=200000)
            jieba.initialize()
            _jieba_ready = True
    return jieba


def tokenize(text: str) -> list[str]:
    """Search-mode jieba tokens without stopwords and punctuation."""
    jieba = _jieba()
    return [
        tok
        for tok in (t.strip().lower() for t in jieba.lcut_for_search(text))
        if tok and tok not in STOPWORDS and _TOKEN_OK.search(tok)
    ]


def expand_query(text: str) -> str:
    """Append the full words behind the abbreviations found in a question."""
    extra = [full for short, fulls in ABBREVIATIONS.items() if short in text for full in fulls]
    return text + (" " + " ".join(extra) if extra else "")


def query_tokens(text: str) -> list[str]:
    return tokenize(expand_query(text))


class LexicalIndex:
    """BM25 over all clause tokens; small enough to score every clause for every query."""

    def __init__(self) -> None:
        self._bm25: object | None = None
        self._vocab: dict[str, int] = {}
        self.ids: list[str] = []

    def build(self, ids: list[str], tokens: list[list[str]]) -> None:
        import bm25s

        self.ids = list(ids)
        if not ids:
            self._bm25 = None
            return
        bm25 = bm25s.BM25(k1=1.2, b=0.75)
        bm25.index(tokens, show_progress=False)
        self._bm25 = bm25
        self._vocab = dict(bm25.vocab_dict)

    def scores(self, tokens: list[str]) -> np.ndarray:
        """BM25 score of every clause, in ``self.ids`` order."""
        if self._bm25 is None:
            return np.zeros(0, dtype=np.float32)
        known = [t for t in tokens if t in self._vocab]
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._bm25.get_scores(known), dtype=np.float32)  # type: ignore[attr-defined]

    def save(self, directory: Path) -> None:
        import bm25s

        directory.mkdir(parents=True, exist_ok=True)
        if isinstance(self._bm25, bm25s.BM25):
            self._bm25.save(str(directory), show_progress=False)
        (directory / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        import bm25s

        index = cls()
        ids_file = directory / "ids.json"
        if not ids_file.exists():
            return index
        index.ids = json.loads(ids_file.read_text(encoding="utf-8"))
        if index.ids:
            bm25 = bm25s.BM25.load(str(directory), show_progress=False)
            index._bm25 = bm25
            index._vocab = dict(bm25.vocab_dict)
        return index
