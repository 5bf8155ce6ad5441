"""Fixtures for the HTTP API tests: private copies of the shared index, one assistant, real servers."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import httpx
import pytest

from bot.api import create_app
from bot.assistant import Assistant
from bot.settings import Settings
from tests.conftest import make_settings
from tests.support.servers import serve_app

API_KEY = "test-key-1"
OTHER_KEY = "test-key-2"
ADMIN_KEY = "test-admin-key"
WIDGET_ORIGIN = "https://widget.example.org"


def copy_index(indexed_dir: Path, factory: pytest.TempPathFactory, name: str) -> Path:
    target = factory.mktemp(name) / "data"
    shutil.copytree(indexed_dir, target)
    return target


@pytest.fixture(scope="session")
def api_data_dir(indexed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the index for the shared assistant (memory and feedback are written to it)."""
    return copy_index(indexed_dir, tmp_path_factory, "api")


@pytest.fixture(scope="session")
def api_assistant(api_data_dir: Path) -> Assistant:
    """One assistant, shared by the servers that only read the index (apps differ in their settings)."""
    return Assistant(make_settings(api_data_dir))


ServerFactory = Callable[..., AbstractContextManager[str]]


@pytest.fixture(scope="session")
def start_server(api_data_dir: Path, api_assistant: Assistant) -> ServerFactory:
    """``with start_server(**settings_overrides) as url``: the real app under uvicorn on 127.0.0.1."""

    def start(
        assistant: Assistant | None = api_assistant, **overrides: object
    ) -> AbstractContextManager[str]:
        overrides.setdefault("rate_limit_per_minute", 100_000)
        settings: Settings = make_settings(overrides.pop("data_dir", api_data_dir), **overrides)  # type: ignore[arg-type]
        return serve_app(create_app(settings, assistant))

    return start


@pytest.fixture
def client_for() -> Iterator[Callable[..., httpx.Client]]:
    """Makes httpx clients that are closed after the test."""
    clients: list[httpx.Client] = []

    def make(url: str, key: str | None = None, **kwargs: object) -> httpx.Client:
        headers = {"Authorization": f"Bearer {key}"} if key else {}
        client = httpx.Client(base_url=url, headers=headers, timeout=60, **kwargs)  # type: ignore[arg-type]
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.close()
