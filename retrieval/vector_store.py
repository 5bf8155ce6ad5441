"""Chroma through LangChain: embedded and persistent by default, or a Chroma server by URL."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from retrieval.cache import LRUCache
from retrieval.embeddings import Embedder
from retrieval.types import Clause, Filters

_QUERY_CACHE_SIZE = 2048


class StoreError(RuntimeError):
    """Chroma cannot be reached or used; the message says what to do."""


class VectorStore:
    """The clause vectors. Ids are the clauses' content hashes, so writes are upserts."""

    def __init__(
        self, embedder: Embedder, collection: str, data_dir: Path, chroma_url: str | None, vector_chars: int = 0
    ) -> None:
        import chromadb
        from chromadb.config import Settings as ChromaSettings
        from langchain_chroma import Chroma

        client_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        try:
            if chroma_url:
                url = urlparse(chroma_url)
                client: Any = chromadb.HttpClient(
                    host=url.hostname or "127.0.0.1",
                    port=url.port or (443 if url.scheme == "https" else 8000),
                    ssl=url.scheme == "https",
                    settings=client_settings,
                )
                client.heartbeat()
            else:
                path = data_dir / "chroma"
                path.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(path), settings=client_settings)
        except Exception as exc:
            where = chroma_url or str(data_dir / "chroma")
            raise StoreError(
                f"Cannot open the Chroma store at {where} ({type(exc).__name__}); "
                "check that the Chroma server is running or that the data directory is writable."
            ) from exc
        self.where = chroma_url or str(data_dir / "chroma")
        self._client = client
        self._embedder = embedder
        self._vector_chars = vector_chars
        self._query_cache: LRUCache[list[float]] = LRUCache(_QUERY_CACHE_SIZE)  # a vector depends on the text only
        # embedding_function is LangChain's: Chroma's own default (which downloads a model) is never used.
        self._store = Chroma(
            client=client,
            collection_name=collection,
            embedding_function=embedder,  # type: ignore[arg-type]
            collection_metadata={"hnsw:space": "cosine"},
        )

    def upsert(self, clauses: list[Clause]) -> None:
        if not clauses:
            return
        with self._reachable():
            self._store.add_texts(
                texts=[c.vector_text(self._vector_chars) for c in clauses],
                metadatas=[c.metadata() for c in clauses],
                ids=[c.id for c in clauses],
            )

    def update_metadata(self, clauses: list[Clause]) -> None:
        """New metadata for stored clauses whose embedded text is unchanged: no re-embedding."""
        if clauses:
            with self._reachable():
                self._store._collection.update(ids=[c.id for c in clauses], metadatas=[c.metadata() for c in clauses])

    def delete(self, ids: list[str]) -> None:
        if ids:
            with self._reachable():
                self._store.delete(ids=ids)

    def count(self) -> int:
        with self._reachable():
            return int(self._store._collection.count())

    def ids(self) -> set[str]:
        with self._reachable():
            return set(self._store._collection.get(include=[])["ids"])

    def query(self, text: str, k: int, filters: Filters | None = None) -> list[tuple[str, float]]:
        """Ids of the ``k`` nearest clauses with cosine similarity."""
        where = _where(filters)
        vector = self._query_cache.get(text)
        if vector is None:
            vector = self._embedder.embed_query(text)
            self._query_cache.put(text, vector)
        with self._reachable():
            # Straight to the collection, distances only: LangChain's search would also fetch every
            # hit's document and metadata, which the knowledge base already holds (2-3x slower).
            results = self._store._collection.query(
                query_embeddings=vector, n_results=k, where=where, include=["distances"]
            )
        distances = (results.get("distances") or [[]])[0]
        return [(str(i), 1.0 - float(d)) for i, d in zip(results["ids"][0], distances, strict=False)]

    @contextlib.contextmanager
    def _reachable(self) -> Iterator[None]:
        """A Chroma server that went away after start-up becomes one clear StoreError."""
        import httpx

        try:
            yield
        except (httpx.TransportError, ConnectionError) as exc:
            raise StoreError(
                f"Chroma at {self.where} does not answer ({type(exc).__name__}); "
                "check that the Chroma server is running, then try again."
            ) from exc

    def ping(self) -> bool:
        try:
            self._client.heartbeat()
            return True
        except Exception:
            return False


def _where(filters: Filters | None) -> dict[str, Any] | None:
    if filters is None:
        return None
    exact = {k: v for k, v in (("level", filters.level), ("doc_number", filters.doc_number), ("source", filters.source)) if v}
    if not exact:
        return None
    if len(exact) == 1:
        key, value = next(iter(exact.items()))
        return {key: value}
    return {"$and": [{k: v} for k, v in exact.items()]}
