"""Pluggable embedding providers; each is imported only when chosen, so the default stays light.

Adding a provider is one module with a class that has ``embed_documents`` and ``embed_query``
(LangChain's ``Embeddings`` interface) plus one line in ``_PROVIDERS``.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from retrieval.embeddings.base import Embedder, EmbeddingError

if TYPE_CHECKING:
    from retrieval.settings import RetrievalSettings

__all__ = ["Embedder", "EmbeddingError", "make_embedder"]

# provider -> (module, class, extra that installs it)
_PROVIDERS: dict[str, tuple[str, str, str]] = {
    "use": ("retrieval.embeddings.use_embedder", "UseEmbedder", "huiqi"),
    "e5": ("retrieval.embeddings.e5_embedder", "E5Embedder", "huiqi[e5]"),
    "openai": ("retrieval.embeddings.openai_embedder", "OpenAIEmbedder", "huiqi"),
    "sentence-transformers": ("retrieval.embeddings.st_embedder", "SentenceTransformerEmbedder", "huiqi[st]"),
}


def make_embedder(settings: RetrievalSettings) -> Embedder | None:
    """The embedder that ``settings.embedding`` names, or None for BM25-only retrieval."""
    if settings.embedding == "none":
        return None
    module_name, class_name, extra = _PROVIDERS[settings.embedding]
    try:
        module = importlib.import_module(module_name)
        # Providers import their package when built, so a missing one shows up here too.
        embedder: Embedder = getattr(module, class_name).from_settings(settings)
    except ImportError as exc:
        raise EmbeddingError(
            f"The '{settings.embedding}' embedding needs a package that is not installed ({exc.name}); "
            f"install it with: pip install '{extra}'."
        ) from exc
    return embedder
