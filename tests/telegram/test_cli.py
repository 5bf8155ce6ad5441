"""``huiqi telegram`` as a user runs it: a separate process polling the fake Bot API, stopped with Ctrl-C."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import KNOWLEDGE, ROOT
from tests.support.fake_telegram import Call, FakeTelegram

pytestmark = pytest.mark.integration


def wait_for(fake: FakeTelegram, method: str, process: subprocess.Popen[str], timeout: float = 90.0) -> Call:
    deadline = time.monotonic() + timeout
    while not fake.calls(method):
        if process.poll() is not None:
            raise AssertionError(f"huiqi telegram exited early: {process.communicate()[1][-2000:]}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"no {method} from huiqi telegram")
        time.sleep(0.05)
    return fake.calls(method)[0]


def test_huiqi_telegram_polls_answers_and_stops_on_ctrl_c(data_dir: Path, telegram_api: FakeTelegram) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUIQI_", "OPENAI_", "TELEGRAM_"))}
    env |= {
        "TELEGRAM_BOT_TOKEN": telegram_api.token,
        "HUIQI_TELEGRAM_API_URL": telegram_api.api_url,
        "HUIQI_DATA_DIR": str(data_dir),
        "HUIQI_KNOWLEDGE_DIR": str(KNOWLEDGE),
    }
    telegram_api.push_message("小微企业贷款有哪些支持政策？")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "telegram"], cwd=ROOT, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    try:
        reply = wait_for(telegram_api, "sendMessage", process)
        assert "《" in reply.params["text"]
        assert telegram_api.calls("setMyCommands")  # the command menu is published at start-up
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=30)
    assert process.returncode == 0, stderr[-2000:]
