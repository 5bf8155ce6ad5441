"""Fixtures for LLM mode: the fake OpenAI server on 127.0.0.1 and assistants that talk to it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.assistant import Assistant
from retrieval.knowledge_base import KnowledgeBase
from tests.conftest import KNOWLEDGE, make_settings
from tests.support.fake_openai import FakeOpenAI
from tests.support.servers import serve_app


@pytest.fixture(autouse=True)
def _no_openai_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """The developer's OPENAI_* variables must not reach the code under test."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "OPENAI_API_BASE"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="session")
def fake_server() -> Iterator[tuple[FakeOpenAI, str]]:
    """One fake OpenAI server for the session; tests get it through ``fake``."""
    fake = FakeOpenAI()
    with serve_app(fake.app) as url:
        yield fake, url


@pytest.fixture
def fake(fake_server: tuple[FakeOpenAI, str]) -> FakeOpenAI:
    """The fake OpenAI server with an empty reply queue and request log."""
    fake_server[0].reset()
    return fake_server[0]


@pytest.fixture
def fake_url(fake_server: tuple[FakeOpenAI, str]) -> str:
    return f"{fake_server[1]}/v1"


@pytest.fixture(scope="session")
def llm_kb(tmp_path_factory: pytest.TempPathFactory) -> KnowledgeBase:
    """The bundled knowledge with BM25 only, built once; the LLM tests only read it.

    These tests are about what happens around the model, not about ranking, so they skip the
    embedding model: the index builds in seconds instead of the minute the hybrid one takes.
    """
    kb = KnowledgeBase(make_settings(tmp_path_factory.mktemp("llm-index"), embedding="none"))
    kb.ingest([KNOWLEDGE])
    return kb


@pytest.fixture
def make_assistant(
    fake: FakeOpenAI, fake_url: str, llm_kb: KnowledgeBase, tmp_path: Path
) -> Callable[..., Assistant]:
    """``make_assistant(**overrides)``: a real Assistant in LLM mode against the fake server.

    Memory and feedback go to the test's own directory; the index is the shared one.
    """

    def make(**overrides: object) -> Assistant:
        options: dict[str, object] = {
            "llm_model": "fake-model",
            "llm_base_url": fake_url,
            "llm_api_key": "test-key",
            "llm_timeout": 2,
        }
        options.update(overrides)
        return Assistant(make_settings(tmp_path / "data", **options), kb=llm_kb)

    return make
