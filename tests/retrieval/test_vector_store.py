"""One contract for the vector store, run against embedded Chroma and a real Chroma server.

Each backend subclasses :class:`VectorStoreContract` and overrides one fixture, ``backend_settings``.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.settings import Settings
from retrieval.chunker import split_clauses
from retrieval.knowledge_base import KnowledgeBase
from retrieval.policy_splitter import split_policies
from retrieval.types import Clause, Filters
from retrieval.vector_store import StoreError, VectorStore
from tests.conftest import make_settings
from tests.retrieval.conftest import RememberingEmbedder, chroma_server
from tests.support import make_docs
from tests.support.servers import free_port

AWARD_QUESTION = "首次认定高新技术企业给多少奖励"


@pytest.fixture(scope="module")
def clauses() -> list[Clause]:
    out: list[Clause] = []
    for source, text in (
        ("measures.txt", make_docs.measures_text()),
        ("employment.txt", make_docs.SECOND_TEXT),
    ):
        for policy in split_policies(text, source):
            out.extend(split_clauses(text, policy))
    return out


class VectorStoreContract:
    """What every vector backend must do for the knowledge base."""

    @pytest.fixture
    def backend_settings(self, tmp_path: Path) -> Settings:
        raise NotImplementedError("each backend overrides backend_settings")

    @pytest.fixture
    def open_store(
        self, backend_settings: Settings, use_embedder: RememberingEmbedder
    ) -> Callable[[], VectorStore]:
        def _open() -> VectorStore:
            s = backend_settings
            return VectorStore(use_embedder, s.collection, Path(s.data_dir), s.chroma_url)

        return _open

    @pytest.fixture
    def store(self, open_store: Callable[[], VectorStore], clauses: list[Clause]) -> VectorStore:
        store = open_store()
        store.upsert(clauses)
        return store

    def test_every_clause_has_one_vector_and_upserts_are_idempotent(
        self, store: VectorStore, clauses: list[Clause]
    ) -> None:
        assert store.count() == len(clauses)
        store.upsert(clauses)
        assert store.count() == len(clauses)
        assert store.ids() == {c.id for c in clauses}

    def test_the_nearest_vector_answers_the_question(self, store: VectorStore, clauses: list[Clause]) -> None:
        results = store.query(AWARD_QUESTION, k=3)
        assert len(results) == 3
        by_id = {c.id: c for c in clauses}
        assert "（二）首次认定高新技术企业奖励" in by_id[results[0][0]].path
        sims = [sim for _, sim in results]
        assert sims == sorted(sims, reverse=True)
        assert all(-1.0001 <= s <= 1.0001 for s in sims)

    @pytest.mark.parametrize(
        ("filters", "sources"),
        [
            (Filters(source="employment.txt"), {"employment.txt"}),
            (Filters(doc_number=make_docs.DOC_NUMBER), {"measures.txt"}),
            (Filters(level="市", source="measures.txt"), {"measures.txt"}),
            (Filters(level="国家"), set()),
        ],
    )
    def test_filters_apply_inside_the_store(
        self, store: VectorStore, clauses: list[Clause], filters: Filters, sources: set[str]
    ) -> None:
        by_id = {c.id: c for c in clauses}
        found = store.query("补助和奖励", k=len(clauses), filters=filters)
        assert {by_id[i].source for i, _ in found} == sources
        if sources:
            assert len(found) == sum(1 for c in clauses if filters.matches(c))

    def test_deleted_vectors_are_gone(self, store: VectorStore, clauses: list[Clause]) -> None:
        doomed = [c.id for c in clauses[:2]]
        store.delete(doomed)
        store.delete([])  # nothing to do is not an error
        assert store.count() == len(clauses) - 2
        assert not set(doomed) & {i for i, _ in store.query(AWARD_QUESTION, k=len(clauses))}

    def test_a_reopened_store_sees_the_same_vectors(
        self, store: VectorStore, open_store: Callable[[], VectorStore]
    ) -> None:
        again = open_store()
        assert again.count() == store.count()
        assert again.query(AWARD_QUESTION, k=1) == store.query(AWARD_QUESTION, k=1)
        assert again.ping()

    def test_the_knowledge_base_keeps_store_and_index_in_step(
        self, backend_settings: Settings, corpus_dir: Path, use_embedder: RememberingEmbedder
    ) -> None:
        kb = KnowledgeBase(backend_settings, embedder=use_embedder)
        kb.ingest([corpus_dir])
        assert kb.ready() == (True, "ok")
        assert kb._store is not None
        assert kb._store.ids() == {c.id for c in kb._clauses.values()}
        path = corpus_dir / "measures.txt"
        path.write_text(path.read_text(encoding="utf-8").replace("20 万元", "25 万元"), encoding="utf-8")
        (corpus_dir / "employment.txt").unlink()
        report = kb.ingest([corpus_dir], prune=True)
        assert report.pruned == ["employment.txt"]
        assert kb._store.ids() == {c.id for c in kb._clauses.values()}
        assert "25万元" in kb.search(AWARD_QUESTION, k=1)[0].clause.text
        reopened = KnowledgeBase(backend_settings, embedder=use_embedder)
        assert reopened.ingest([corpus_dir]).unchanged == 1


class TestEmbeddedChroma(VectorStoreContract):
    @pytest.fixture
    def backend_settings(self, tmp_path: Path) -> Settings:
        return make_settings(tmp_path / "data")


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with chroma_server(tmp_path_factory.mktemp("chroma") / "server") as url:
        yield url


@pytest.mark.integration
class TestChromaServer(VectorStoreContract):
    @pytest.fixture
    def backend_settings(self, tmp_path: Path, chroma_url: str) -> Settings:
        # one collection per test: the server outlives the test, the collection does not matter after
        return make_settings(tmp_path / "data", chroma_url=chroma_url, collection=f"t{uuid.uuid4().hex[:12]}")


def test_a_missing_chroma_server_is_one_clear_sentence(
    tmp_path: Path, use_embedder: RememberingEmbedder
) -> None:
    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    with pytest.raises(StoreError) as caught:
        KnowledgeBase(make_settings(tmp_path / "data", chroma_url=url), embedder=use_embedder)
    message = str(caught.value)
    assert url in message
    assert "check that the Chroma server is running" in message
    assert "\n" not in message


@pytest.mark.integration
def test_a_chroma_server_that_goes_away_fails_clearly_and_loses_nothing(
    tmp_path: Path, corpus_dir: Path, use_embedder: RememberingEmbedder
) -> None:
    port = free_port()
    server_dir = tmp_path / "server"
    settings = make_settings(tmp_path / "data", chroma_url=f"http://127.0.0.1:{port}")
    with chroma_server(server_dir, port):
        kb = KnowledgeBase(settings, embedder=use_embedder)
        kb.ingest([corpus_dir])
        count = kb.clause_count()
        top = kb.search(AWARD_QUESTION, k=1)[0].clause.id

    ready, why = kb.ready()
    assert not ready
    assert "does not answer" in why
    with pytest.raises(StoreError, match="check that the Chroma server is running"):
        kb.search(AWARD_QUESTION)
    make_docs.write_docx(corpus_dir / "measures.docx")
    with pytest.raises(StoreError, match=r"^Chroma at http://127\.0\.0\.1:\d+ does not answer"):
        kb.ingest([corpus_dir])
    assert kb.sources() == ["employment.txt", "measures.txt"]  # what was stored stays stored

    with chroma_server(server_dir, port):  # same data, back again
        back = KnowledgeBase(settings, embedder=use_embedder)
        assert back.clause_count() == count
        assert back._store is not None
        assert back._store.count() == count
        assert back.search(AWARD_QUESTION, k=1)[0].clause.id == top
        report = back.ingest([corpus_dir])
        assert (report.unchanged, report.files) == (2, 3)
