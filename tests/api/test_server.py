"""``serve()``, the entry point of ``huiqi serve``: a real process, its JSON access log, its shutdown."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from tests.api.conftest import API_KEY
from tests.support.servers import free_port, wait_for_port

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
SERVE = "import sys; from bot.api.server import serve; from bot.settings import Settings; serve(Settings(), '127.0.0.1', int(sys.argv[1]))"


def test_serve_logs_one_json_line_per_request_without_the_key(indexed_dir: Path, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"  # a process of its own gets a copy of its own
    shutil.copytree(indexed_dir, data_dir)
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUIQI_", "OPENAI_", "TELEGRAM_"))}
    env.update(HUIQI_DATA_DIR=str(data_dir), HUIQI_API_KEYS=API_KEY, PYTHONPATH=str(ROOT))
    log = tmp_path / "server.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", SERVE, str(port)], env=env, cwd=ROOT, stdout=out, stderr=out
        )
        try:
            wait_for_port(port, timeout=120)
            headers = {"Authorization": f"Bearer {API_KEY}", "X-Request-ID": "serve-test-1"}
            response = httpx.post(
                f"http://127.0.0.1:{port}/v1/search",
                json={"query": "一次性扩岗补助"},
                headers=headers,
                timeout=60,
            )
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    assert response.status_code == 200
    text = log.read_text(encoding="utf-8")
    assert "Application shutdown complete" in text  # SIGTERM drains and shuts down cleanly
    lines = [json.loads(line) for line in text.splitlines() if line.startswith("{")]
    (mine,) = [line for line in lines if line["request_id"] == "serve-test-1"]
    assert mine["method"] == "POST"
    assert mine["route"] == "/v1/search"
    assert mine["status"] == 200
    assert mine["ms"] > 0
    assert API_KEY not in text
