"""Any OpenAI-compatible /embeddings endpoint (OpenAI, DeepSeek, Qwen, vLLM, Ollama)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from langchain_core.embeddings import Embeddings

from retrieval.embeddings.base import EmbeddingError

if TYPE_CHECKING:
    from retrieval.settings import RetrievalSettings

_BATCH = 64


class OpenAIEmbedder(Embeddings):
    """Calls ``POST {base_url}/embeddings`` with the official client."""

    def __init__(self, model: str, base_url: str | None, api_key: str | None, timeout: float = 30.0) -> None:
        import openai

        if not api_key:
            raise EmbeddingError(
                "The openai embedding needs an API key: set HUIQI_EMBEDDING_API_KEY (or OPENAI_API_KEY)."
            )
        self.name = f"openai:{model}"
        self._model = model
        self._client = openai.OpenAI(base_url=base_url, api_key=api_key, timeout=timeout, max_retries=1)

    @classmethod
    def from_settings(cls, settings: RetrievalSettings) -> OpenAIEmbedder:
        import os

        # OPENAI_* are the conventional variables of every OpenAI-compatible client; HUIQI_* win.
        return cls(
            model=settings.embedding_model,
            base_url=settings.embedding_base_url or os.environ.get("OPENAI_BASE_URL"),
            api_key=settings.embedding_api_key or os.environ.get("OPENAI_API_KEY"),
        )

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        out: list[list[float]] = []
        for i in range(0, len(texts), _BATCH):
            response = self._client.embeddings.create(model=self._model, input=texts[i : i + _BATCH])
            out.extend(item.embedding for item in sorted(response.data, key=lambda d: d.index))
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]
