"""A sentence-transformers model loaded from a local directory (optional extra ``huiqi[st]``)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from langchain_core.embeddings import Embeddings

from retrieval.embeddings.base import EmbeddingError

if TYPE_CHECKING:
    from retrieval.settings import RetrievalSettings


class SentenceTransformerEmbedder(Embeddings):
    """Never downloads: the model must already be on disk."""

    def __init__(self, model_dir: str) -> None:
        path = Path(model_dir)
        if not path.is_dir():
            raise EmbeddingError(
                f"HUIQI_EMBEDDING_MODEL must be a local model directory for sentence-transformers; "
                f"'{model_dir}' is not one."
            )
        from sentence_transformers import SentenceTransformer

        self.name = f"st:{path.name}"
        self._model: Any = SentenceTransformer(str(path), device="cpu", local_files_only=True)

    @classmethod
    def from_settings(cls, settings: RetrievalSettings) -> SentenceTransformerEmbedder:
        return cls(settings.embedding_model)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        vectors = self._model.encode(list(texts), normalize_embeddings=True, batch_size=32)
        return [list(map(float, v)) for v in vectors]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]
