"""Shared fixtures: the bundled knowledge indexed once per test session into a temporary directory."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.settings import Settings
from retrieval.knowledge_base import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
KNOWLEDGE = ROOT / "knowledge"


def make_settings(data_dir: Path, **overrides: object) -> Settings:
    """Settings for tests: nothing from the developer's environment leaks in."""
    base: dict[str, object] = {
        "data_dir": data_dir,
        "knowledge_dir": KNOWLEDGE,
        "chroma_url": None,
        "llm_model": None,
        "api_keys": [],
        "admin_key": None,
        "telegram_bot_token": None,
    }
    base.update(overrides)
    return Settings(_env_file=None, **base)  # type: ignore[arg-type]


@pytest.fixture(scope="session")
def indexed_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the bundled knowledge ingested (done once: ~20 s)."""
    data_dir = tmp_path_factory.mktemp("indexed")
    kb = KnowledgeBase(make_settings(data_dir))
    report = kb.ingest([KNOWLEDGE])
    assert report.clauses > 500, report
    return data_dir


@pytest.fixture
def data_dir(indexed_dir: Path, tmp_path: Path) -> Path:
    """A private copy of the indexed data directory, for tests that write."""
    target = tmp_path / "data"
    shutil.copytree(indexed_dir, target)
    return target


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return make_settings(data_dir)


@pytest.fixture(scope="session")
def shared_settings(indexed_dir: Path) -> Settings:
    """Settings on the shared index, for read-only tests."""
    return make_settings(indexed_dir)
