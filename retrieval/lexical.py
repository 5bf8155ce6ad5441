"""BM25 over jieba tokens (bm25s), with the domain dictionary and abbreviation expansion."""

from __future__ import annotations

import functools
import json
import logging
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from retrieval.vocabulary import ABBREVIATIONS, ASKING_WORDS, DOMAIN_WORDS, QUESTION_FORMS, STOPWORDS

if TYPE_CHECKING:
    from retrieval.types import Clause

_TOKEN_OK = re.compile(r"[\w\u4e00-\u9fff%％]")
_jieba_lock = threading.Lock()
_jieba_ready = False


def _jieba() -> Any:
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


def clause_words(clause: Clause) -> frozenset[str]:
    """The words a clause is indexed by (title, 文号, heading path, text), which coverage counts."""
    return frozenset(tokenize(clause.index_text()))


@functools.lru_cache(maxsize=16384)  # the same sentences of the same clauses, answer after answer
def text_words(text: str) -> frozenset[str]:
    """The words of a sentence or heading, as ``tokenize`` cuts them, cut once and kept."""
    return frozenset(tokenize(text))


def tokenize(text: str) -> list[str]:
    """Search-mode jieba tokens without stopwords and punctuation."""
    jieba = _jieba()
    return [
        tok
        for tok in (t.strip().lower() for t in jieba.lcut_for_search(text))
        if tok and tok not in STOPWORDS and _TOKEN_OK.search(tok)
    ]


def expand_query(text: str) -> str:
    """Append the full words behind the abbreviations and question forms found in a question."""
    extra = [full for short, fulls in ABBREVIATIONS.items() if short in text for full in fulls]
    extra += [word for pattern, words in QUESTION_FORMS if pattern.search(text) for word in words]
    return text + (" " + " ".join(extra) if extra else "")


def query_tokens(text: str) -> list[str]:
    return list(_query_tokens(text))


@functools.lru_cache(maxsize=4096)  # callers ask the same things; jieba is most of a warm search
def _query_tokens(text: str) -> tuple[str, ...]:
    return tuple(tokenize(expand_query(text)))


@functools.lru_cache(maxsize=4096)
def query_groups(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """Each word of the question with the words that can stand for it in a clause.

    Coverage counts a word as found when any of its stand-ins is, so expanding "利息" to
    "贴息 利率" helps ranking without making the question look less covered.
    """
    groups: dict[str, set[str]] = {}
    tokens = tokenize(text)
    asked = [t for t in tokens if t not in ASKING_WORDS] or tokens
    # "小升规" is cut into 升规 and 小升规 too: one word, weighed once
    asked = [t for t in asked if not (t in ABBREVIATIONS and any(t != u and t in u and u in ABBREVIATIONS for u in asked))]
    for token in asked:
        members = groups.setdefault(token, {token})
        for short, fulls in ABBREVIATIONS.items():
            if token == short or (len(token) >= 2 and token in short and short in text):
                for full in fulls:
                    members.update(tokenize(full))
    return tuple((token, frozenset(members)) for token, members in groups.items())


_NOT_WORD = re.compile(r"[^\w\u4e00-\u9fff%％]")


def bigrams(text: str) -> list[str]:
    """Overlapping character pairs: robust where jieba cuts a question and a clause differently."""
    flat = _NOT_WORD.sub("", text.lower())
    return [flat[i : i + 2] for i in range(len(flat) - 1)]


class _Bm25:
    """One bm25s index with its vocabulary (unknown query terms are dropped before scoring)."""

    def __init__(self, model: object) -> None:
        self.model = model
        self.vocab: dict[str, int] = dict(model.vocab_dict)  # type: ignore[attr-defined]

    @classmethod
    def build(cls, docs: list[list[str]]) -> _Bm25:
        import bm25s

        model = bm25s.BM25(k1=1.2, b=0.75)
        model.index(docs, show_progress=False)
        return cls(model)

    def scores(self, terms: list[str], n: int) -> np.ndarray:
        known = [t for t in terms if t in self.vocab]
        if not known:
            return np.zeros(n, dtype=np.float32)
        return np.asarray(self.model.get_scores(known), dtype=np.float32)  # type: ignore[attr-defined]


class LexicalIndex:
    """BM25 over jieba words, blended with BM25 over character bigrams; scores every clause per query.

    On the eval set the word index alone misses clauses whose wording jieba segments differently
    from the question; the bigram index catches those (eval/RESULTS.md has the comparison).
    """

    BIGRAM_WEIGHT = 0.7

    def __init__(self) -> None:
        self._words: _Bm25 | None = None
        self._pairs: _Bm25 | None = None
        self.ids: list[str] = []

    def build(self, ids: list[str], tokens: list[list[str]], texts: list[str]) -> None:
        self.ids = list(ids)
        if not ids:
            self._words = self._pairs = None
            return
        self._words = _Bm25.build(tokens)
        self._pairs = _Bm25.build([bigrams(t) for t in texts])

    def scores(self, tokens: list[str], text: str) -> np.ndarray:
        """Blended, max-normalised BM25 score of every clause, in ``self.ids`` order."""
        n = len(self.ids)
        if self._words is None or self._pairs is None:
            return np.zeros(n, dtype=np.float32)
        words = self._words.scores(tokens, n)
        pairs = self._pairs.scores(bigrams(text), n)
        w = self.BIGRAM_WEIGHT
        return (1 - w) * words / (words.max() or 1.0) + w * pairs / (pairs.max() or 1.0)

    def save(self, directory: Path) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        for name, index in (("words", self._words), ("bigrams", self._pairs)):
            if index is not None:
                index.model.save(str(directory / name), show_progress=False)  # type: ignore[attr-defined]
        (directory / "ids.json").write_text(json.dumps(self.ids), encoding="utf-8")

    @classmethod
    def load(cls, directory: Path) -> LexicalIndex:
        import bm25s

        index = cls()
        ids_file = directory / "ids.json"
        if not ids_file.exists() or not (directory / "bigrams").exists():
            return index
        index.ids = json.loads(ids_file.read_text(encoding="utf-8"))
        if index.ids:
            index._words = _Bm25(bm25s.BM25.load(str(directory / "words"), show_progress=False))
            index._pairs = _Bm25(bm25s.BM25.load(str(directory / "bigrams"), show_progress=False))
        return index
