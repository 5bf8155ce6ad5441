"""The naive baseline: LangChain's RecursiveCharacterTextSplitter (500/50) over the raw files, BM25."""

from __future__ import annotations

from pathlib import Path

import numpy as np


class NaiveBaseline:
    """Raw 500-character chunks ranked by BM25 over the same jieba tokens; no structure, no metadata."""

    def __init__(self, knowledge_dir: Path) -> None:
        from langchain_text_splitters import RecursiveCharacterTextSplitter

        from retrieval.lexical import LexicalIndex, tokenize

        splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)
        self.chunks: list[str] = []
        for path in sorted(Path(knowledge_dir).glob("*.txt")):
            self.chunks.extend(splitter.split_text(path.read_text(encoding="utf-8")))
        self._tokenize = tokenize
        self._index = LexicalIndex()
        self._index.build([str(i) for i in range(len(self.chunks))], [tokenize(c) for c in self.chunks], self.chunks)

    def search(self, query: str, k: int) -> list[str]:
        scores = self._index.scores(self._tokenize(query), query)
        if not len(scores):
            return []
        return [self.chunks[i] for i in np.argsort(-scores)[:k]]
