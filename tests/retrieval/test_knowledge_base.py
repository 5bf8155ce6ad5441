"""Index behaviour: idempotent re-runs, replaced and pruned files, interrupted ingests, filters, hits."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.settings import Settings
from retrieval import knowledge_base
from retrieval.knowledge_base import KnowledgeBase
from retrieval.lexical import clause_words
from retrieval.types import Clause, Filters
from tests.conftest import ROOT, make_settings
from tests.support import make_docs

AWARD_QUESTION = "首次认定高新技术企业给多少奖励"
OpenKb = Callable[[Settings], KnowledgeBase]


def _store_ids(kb: KnowledgeBase) -> set[str]:
    assert kb._store is not None
    return kb._store.ids()


def _all_ids(kb: KnowledgeBase) -> set[str]:
    return {c.id for p in kb.policies() for c in kb.policy_clauses(p.policy_id)}


def test_rerun_on_unchanged_files_changes_nothing(
    corpus_dir: Path, open_kb: OpenKb, fresh_settings: Settings
) -> None:
    kb = open_kb(fresh_settings)
    first = kb.ingest([corpus_dir])
    assert (first.files, first.unchanged, first.skipped) == (2, 0, [])
    assert first.added == first.clauses == kb.clause_count()
    ids = _store_ids(kb)
    assert ids == _all_ids(kb)
    manifest = (fresh_settings.data_dir / "manifest.json").read_bytes()

    again = kb.ingest([corpus_dir])
    assert (again.files, again.unchanged, again.added, again.removed) == (2, 2, 0, 0)
    assert _store_ids(kb) == ids

    reopened = open_kb(fresh_settings)  # a new process would see the same: state is on disk
    third = reopened.ingest([corpus_dir])
    assert (third.unchanged, third.added) == (2, 0)
    assert _store_ids(reopened) == ids
    assert (fresh_settings.data_dir / "manifest.json").read_bytes() == manifest


def test_a_changed_file_replaces_its_clauses(
    corpus_dir: Path, open_kb: OpenKb, fresh_settings: Settings
) -> None:
    kb = open_kb(fresh_settings)
    kb.ingest([corpus_dir])
    before = kb.search(AWARD_QUESTION, k=1)[0].clause
    assert "给予20万元一次性奖励" in before.text
    employment_ids = {c.id for c in kb.policy_clauses(make_docs.SECOND_DOC_NUMBER)}

    path = corpus_dir / "measures.txt"
    path.write_text(
        path.read_text(encoding="utf-8").replace("给予 20 万元一次性奖励", "给予 30 万元一次性奖励"),
        encoding="utf-8",
    )
    report = kb.ingest([corpus_dir])

    assert (report.unchanged, report.added, report.removed) == (1, 1, 1)
    after = kb.search(AWARD_QUESTION, k=1)[0].clause
    assert "给予30万元一次性奖励" in after.text
    assert after.path == before.path
    assert before.id not in _store_ids(kb)
    assert kb.get(before.id) is None
    assert all(h.clause.id != before.id for h in kb.search("20万元一次性奖励 高新技术企业", k=20))
    assert employment_ids <= _store_ids(kb)  # the other file is untouched
    assert len(_store_ids(kb)) == kb.clause_count()


def test_prune_removes_the_clauses_of_files_that_are_gone(
    corpus_dir: Path, open_kb: OpenKb, fresh_settings: Settings
) -> None:
    kb = open_kb(fresh_settings)
    kb.ingest([corpus_dir])
    gone = {c.id for c in kb.policy_clauses(make_docs.SECOND_DOC_NUMBER)}
    assert gone
    (corpus_dir / "employment.txt").unlink()

    kept = kb.ingest([corpus_dir])  # without prune, a missing file is not a reason to forget it
    assert kept.pruned == []
    assert gone <= _store_ids(kb)

    pruned = kb.ingest([corpus_dir], prune=True)
    assert pruned.pruned == ["employment.txt"]
    assert pruned.removed == len(gone)
    assert kb.sources() == ["measures.txt"]
    assert not gone & _store_ids(kb)
    assert all(h.clause.source == "measures.txt" for h in kb.search("一次性扩岗补助 高校毕业生", k=10))
    assert open_kb(fresh_settings).sources() == ["measures.txt"]


def test_an_error_during_ingest_keeps_the_files_already_done(
    corpus_dir: Path, open_kb: OpenKb, fresh_settings: Settings
) -> None:
    kb = open_kb(fresh_settings)
    seen: list[str] = []

    def stop_at_second(name: str) -> None:
        seen.append(name)
        if len(seen) == 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        kb.ingest([corpus_dir], progress=stop_at_second)
    assert kb.sources() == [seen[0]]
    assert kb.search(AWARD_QUESTION if seen[0] == "measures.txt" else "一次性扩岗补助")
    finished = open_kb(fresh_settings).ingest([corpus_dir])
    assert (finished.unchanged, finished.files) == (1, 2)
    assert finished.added > 0


_INGEST_UNTIL_KILLED = textwrap.dedent(
    """
    import os, sys
    from pathlib import Path
    from retrieval.knowledge_base import KnowledgeBase
    from retrieval.settings import RetrievalSettings

    settings = RetrievalSettings(_env_file=None, data_dir=Path(sys.argv[1]), chroma_url=None, embedding="use")
    calls = []

    def progress(name):
        calls.append(name)
        if len(calls) == 3:
            os._exit(3)  # as abrupt as a kill: no cleanup, no flush

    KnowledgeBase(settings).ingest([Path(sys.argv[2])], progress=progress)
    """
)


def test_a_killed_ingest_leaves_a_usable_index_and_a_rerun_completes_it(
    tmp_path: Path, corpus_dir: Path, open_kb: OpenKb
) -> None:
    make_docs.write_docx(corpus_dir / "measures.docx")
    data_dir = tmp_path / "killed"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUIQI_", "OPENAI_"))}
    done = subprocess.run(
        [sys.executable, "-c", _INGEST_UNTIL_KILLED, str(data_dir), str(corpus_dir)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 3, done.stderr[-2000:]

    settings = make_settings(data_dir)
    kb = open_kb(settings)
    assert kb.sources() == ["employment.txt", "measures.docx"]  # sorted order: two files were committed
    assert _store_ids(kb) == _all_ids(kb)
    assert kb.search("一次性扩岗补助 每人多少")[0].clause.source == "employment.txt"

    report = kb.ingest([corpus_dir])
    assert (report.files, report.unchanged) == (3, 2)
    assert kb.sources() == ["employment.txt", "measures.docx", "measures.txt"]
    assert len(_store_ids(kb)) == kb.clause_count()


# ---- reading the shared index of knowledge/ ------------------------------------------------------


@pytest.fixture(scope="module")
def shared_kb(shared_settings: Settings) -> KnowledgeBase:
    """The session's index of knowledge/, opened with the embedder it was built with (the default)."""
    return KnowledgeBase(shared_settings)


@pytest.mark.parametrize(
    ("filters", "check"),
    [
        (Filters(level="国家"), lambda c: c.level == "国家"),
        (Filters(level="省"), lambda c: c.level == "省"),
        (Filters(region="河南"), lambda c: "河南" in c.region),
        (Filters(doc_number="国发〔2022〕12号"), lambda c: c.doc_number == "国发〔2022〕12号"),
        (Filters(doc_number="国发 〔2022〕 12号"), lambda c: c.doc_number == "国发〔2022〕12号"),
        (
            Filters(source="jinhua-2023-traditional-industry-reply.txt"),
            lambda c: c.source == "jinhua-2023-traditional-industry-reply.txt",
        ),
        (
            Filters(level="市", issuer="安阳市金融工作局"),
            lambda c: c.level == "市" and "安阳市金融工作局" in c.issuer,
        ),
    ],
    ids=[
        "level-national",
        "level-province",
        "region",
        "doc-number",
        "doc-number-spaced",
        "source",
        "level+issuer",
    ],
)
def test_filters_restrict_hits(
    shared_kb: KnowledgeBase, filters: Filters, check: Callable[..., bool]
) -> None:
    hits = shared_kb.search("企业研发费用补助和贷款贴息", k=10, filters=filters)
    assert hits, filters
    assert all(check(h.clause) for h in hits), [(h.clause.level, h.clause.doc_number) for h in hits]


def test_a_filter_nothing_matches_returns_no_hits(shared_kb: KnowledgeBase) -> None:
    assert shared_kb.search("研发费用补助", filters=Filters(doc_number="国发〔1999〕1号")) == []


def test_search_returns_citable_hits(shared_kb: KnowledgeBase) -> None:
    hits = shared_kb.search("首次认定高新技术企业奖励多少钱", k=5)
    assert len(hits) == 5
    scores = [h.score for h in hits]
    assert scores == sorted(scores, reverse=True)
    row = hits[0].to_dict()
    assert {
        "id",
        "text",
        "title",
        "doc_number",
        "clause",
        "path",
        "source",
        "level",
        "region",
        "span",
        "score",
    } <= set(row)
    assert row["text"] == hits[0].clause.text
    assert row["title"]
    assert row["clause"]
    assert row["source"].endswith(".txt")
    assert isinstance(row["score"], float)
    assert any("高新技术企业" in h.clause.text and "万元" in h.clause.text for h in hits)
    start, end = row["span"]
    assert 0 <= start < end


def test_blank_questions_find_nothing(shared_kb: KnowledgeBase) -> None:
    assert shared_kb.search("   ") == []


def test_catalog_overrides_and_policy_listing(shared_kb: KnowledgeBase) -> None:
    policies = {p.source: p for p in shared_kb.policies() if not p.source.startswith("anyang")}
    notice = policies["henan-2022-industrial-growth-notice.txt"]
    assert notice.title == "河南省发展和改革委员会 河南省工业和信息化厅关于促进工业经济平稳增长的通知"
    assert notice.doc_number == "豫发改工业〔2022〕349号"
    assert (notice.level, notice.region, notice.date) == ("省", "河南省", "2022-04-24")
    assert notice.clause_count == len(shared_kb.policy_clauses(notice.policy_id)) > 0
    # the same notice also sits inside the compilation: a 文号 finds both copies
    sources = {c.source for c in shared_kb.policy_clauses("豫发改工业〔2022〕349号")}
    assert sources == {
        "henan-2022-industrial-growth-notice.txt",
        "anyang-2022-enterprise-policy-compilation.txt",
    }
    assert shared_kb.ready() == (True, "ok")


def test_a_repeated_search_is_answered_from_the_cache_until_the_index_changes(
    corpus_dir: Path, open_kb: OpenKb, fresh_settings: Settings, tmp_path: Path
) -> None:
    kb = open_kb(fresh_settings)
    kb.ingest([corpus_dir])
    first = kb.search(AWARD_QUESTION, k=3)
    second = kb.search(AWARD_QUESTION, k=3)
    assert second == first
    assert all(a is b for a, b in zip(first, second, strict=True))  # the very hits: served from the cache

    newer = tmp_path / "newer.txt"
    newer.write_text(
        "华阳市人民政府关于加大高新技术企业奖励的通知\n\n华政〔2024〕9号\n\n一、首次认定奖励\n\n"
        "对首次认定高新技术企业的，给多少奖励：一次性奖励80万元。\n",
        encoding="utf-8",
    )
    kb.ingest([newer])
    assert len(kb._view.results) == 0  # a new index version starts with an empty cache
    after = kb.search(AWARD_QUESTION, k=3)
    assert any("80万元" in h.clause.text for h in after)


def test_embedding_less_of_each_clause_re_embeds_the_index(
    corpus_dir: Path, open_kb: OpenKb, fresh_settings: Settings
) -> None:
    kb = open_kb(fresh_settings)
    whole = kb.ingest([corpus_dir])
    shorter = fresh_settings.model_copy(update={"vector_chars": 80})
    cut = open_kb(shorter)
    assert cut.embedder_name == f"{kb.embedder_name}/80"
    again = cut.ingest([corpus_dir])
    assert again.unchanged == 0
    assert again.added == whole.clauses
    assert cut.search(AWARD_QUESTION, k=1)
    clause = cut.policy_clauses(cut.policies()[0].policy_id)[0]
    assert cut._store is not None
    stored = cut._store._store._collection.get(ids=[clause.id], include=["documents"])["documents"]
    assert stored == [clause.index_text()[:80]]  # what the model embedded


def test_new_metadata_for_unchanged_text_is_stored_without_re_embedding(
    corpus_dir: Path, open_kb: OpenKb, fresh_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = open_kb(fresh_settings)
    kb.ingest([corpus_dir])
    ids = {c.id for c in kb.policy_clauses(make_docs.SECOND_DOC_NUMBER)}
    (corpus_dir / "catalog.json").write_text(
        '{"employment.txt": {"issuer": "华阳市就业工作领导小组办公室"}}', encoding="utf-8"
    )
    embedded: list[str] = []
    real = kb._embedder.embed_documents  # type: ignore[union-attr]
    monkeypatch.setattr(kb._embedder, "embed_documents", lambda texts: embedded.extend(texts) or real(texts))

    report = kb.ingest([corpus_dir])

    assert (report.unchanged, report.added, report.removed, report.updated) == (1, 0, 0, len(ids))
    assert embedded == []  # the issuer is not in the embedded text: nothing to re-embed
    assert {c.issuer for c in kb.policy_clauses(make_docs.SECOND_DOC_NUMBER)} == {"华阳市就业工作领导小组办公室"}
    assert kb._store is not None
    stored = kb._store._store._collection.get(ids=sorted(ids), include=["metadatas"])["metadatas"]
    assert {m["issuer"] for m in stored} == {"华阳市就业工作领导小组办公室"}
    assert kb.search("就业", k=3, filters=Filters(issuer="华阳市就业工作领导小组办公室"))


def test_a_newer_pipeline_re_reads_unchanged_files(
    corpus_dir: Path, open_kb: OpenKb, fresh_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = open_kb(fresh_settings)
    first = kb.ingest([corpus_dir])
    monkeypatch.setattr("retrieval.knowledge_base.PIPELINE_VERSION", "newer")
    # the newer pipeline also cuts words differently: BM25 must be rebuilt on the same ids
    cut = knowledge_base.tokenize
    monkeypatch.setattr("retrieval.knowledge_base.tokenize", lambda text: [*cut(text), "新词表"])
    newer = open_kb(fresh_settings)
    ids, old_lexical = _store_ids(newer), newer._lexical
    embedded: list[str] = []
    real = newer._embedder.embed_documents  # type: ignore[union-attr]
    monkeypatch.setattr(newer._embedder, "embed_documents", lambda texts: embedded.extend(texts) or real(texts))

    again = newer.ingest([corpus_dir])

    assert (again.unchanged, again.added, again.removed, again.updated) == (0, 0, 0, 0)
    assert again.clauses == first.clauses
    assert embedded == []  # same text, same vectors
    assert _store_ids(newer) == ids
    assert newer._lexical is not old_lexical
    assert all("新词表" in tokens for tokens in newer._view.token_sets)

    longer = fresh_settings.model_copy(update={"max_clause_chars": 200})
    resplit = open_kb(longer).ingest([corpus_dir])
    assert resplit.unchanged == 0  # another clause size splits every file anew


def test_the_words_of_a_clause_are_read_from_the_index_as_they_were_cut(shared_kb: KnowledgeBase) -> None:
    hits = shared_kb.search("首次认定高新技术企业奖励", k=3)
    assert hits
    for hit in hits:
        assert shared_kb.words(hit.clause) == clause_words(hit.clause)
    outside = Clause(text="一个不在索引里的条款：奖励10万元。", title="别处的政策", source="elsewhere.txt")
    assert shared_kb.words(outside) == clause_words(outside)


def test_a_search_by_words_alone_computes_no_query_vector(shared_kb: KnowledgeBase) -> None:
    store = shared_kb._store
    assert store is not None
    asked: list[str] = []
    query = store.query

    def counting(text: str, *args: object, **kwargs: object) -> object:
        asked.append(text)
        return query(text, *args, **kwargs)

    store.query = counting  # type: ignore[method-assign]
    try:
        words_only = shared_kb.search(AWARD_QUESTION + "？", k=3, vectors=False)
        assert asked == []
        assert any("奖励" in h.clause.text for h in words_only)
        shared_kb.search(AWARD_QUESTION + "？", k=3)  # the same text with vectors is another search
        assert asked == [AWARD_QUESTION + "？"]
    finally:
        store.query = query  # type: ignore[method-assign]
