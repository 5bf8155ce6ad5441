"""Fixtures for retrieval tests: one real USE model per session, small corpora written per test."""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from bot.settings import Settings
from retrieval.embeddings.use_embedder import UseEmbedder
from retrieval.knowledge_base import KnowledgeBase
from tests.conftest import make_settings
from tests.support import make_docs
from tests.support.servers import free_port


class RememberingEmbedder:
    """The real USE model, computing each distinct text once per session.

    Write tests ingest the same small corpus again and again; the vectors are the model's own, only
    not recomputed, which keeps the suite inside its time budget on two cores.
    """

    def __init__(self, model: UseEmbedder) -> None:
        self.name = model.name
        self._model = model
        self._seen: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        with self._lock:
            todo = [t for t in dict.fromkeys(texts) if t not in self._seen]
            if todo:
                self._seen.update(zip(todo, self._model.embed_documents(todo), strict=True))
            return [self._seen[t] for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.embed_documents([text])[0]


@pytest.fixture(scope="session")
def use_embedder() -> RememberingEmbedder:
    return RememberingEmbedder(UseEmbedder())


@pytest.fixture
def corpus_dir(tmp_path: Path) -> Path:
    """Two policies in two formats: the 华阳市 measures (.txt) and the 稳就业 notice (.txt)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    make_docs.write_txt(docs / "measures.txt")
    make_docs.write_second_txt(docs / "employment.txt")
    return docs


@pytest.fixture
def open_kb(use_embedder: RememberingEmbedder) -> Callable[[Settings], KnowledgeBase]:
    """Open a knowledge base on ``settings`` with the session's USE model."""

    def _open(settings: Settings) -> KnowledgeBase:
        return KnowledgeBase(settings, embedder=use_embedder)

    return _open


@pytest.fixture
def fresh_settings(tmp_path: Path) -> Settings:
    """Settings on an empty data directory (embedded Chroma)."""
    return make_settings(tmp_path / "data")


@contextlib.contextmanager
def chroma_server(path: Path, port: int | None = None) -> Iterator[str]:
    """``chroma run`` on 127.0.0.1 in a subprocess, persisting to ``path``; yields its URL, stops it after."""
    cli = Path(sys.executable).with_name("chroma")
    if not cli.exists():
        pytest.skip("the chroma CLI is not installed next to this Python")
    port = port or free_port()
    path.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "ANONYMIZED_TELEMETRY": "False", "CHROMA_ANONYMIZED_TELEMETRY": "False"}
    log = path.parent / f"{path.name}-{port}.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [str(cli), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
        )
        try:
            deadline = time.monotonic() + 60
            while not _listening(port):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"chroma run did not start: {log.read_text(errors='replace')[-2000:]}")
                time.sleep(0.1)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=15)


def _listening(port: int) -> bool:
    with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5):
        return True
    return False
