"""Webhook mode: Telegram POSTs updates to the router; only requests carrying the secret token are handled."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from bot.assistant import Assistant
from bot.channels.telegram_webhook import WEBHOOK_PATH, TelegramWebhook, telegram_webhook_router
from bot.settings import Settings
from tests.conftest import make_settings
from tests.support.fake_telegram import FakeTelegram, telegram_html_errors
from tests.support.servers import serve_app

pytestmark = pytest.mark.integration

SECRET = "b6f1c0e2-webhook-secret"


def webhook_settings(data_dir: Path, fake: FakeTelegram, secret: str | None) -> Settings:
    return make_settings(data_dir, telegram_bot_token=fake.token, telegram_api_url=fake.api_url, telegram_secret=secret)


@pytest.fixture
def webhook(data_dir: Path, telegram_api: FakeTelegram) -> TelegramWebhook:
    settings = webhook_settings(data_dir, telegram_api, SECRET)
    return TelegramWebhook(settings, Assistant(settings))


@pytest.fixture
def webhook_url(webhook: TelegramWebhook) -> Iterator[str]:
    app = FastAPI()
    app.include_router(webhook.router)
    with serve_app(app) as url:
        yield f"{url}{WEBHOOK_PATH}"
    assert not webhook.application.running  # the router's lifespan stopped the bot with the server


def post(url: str, update: dict[str, object], secret: str | None) -> httpx.Response:
    headers = {"X-Telegram-Bot-Api-Secret-Token": secret} if secret is not None else {}
    return httpx.post(url, json=update, headers=headers, timeout=60)


def test_the_webhook_refuses_a_wrong_secret_and_answers_the_right_one(
    webhook_url: str, telegram_api: FakeTelegram
) -> None:
    update = telegram_api.message_update("小微企业贷款有哪些支持政策？")
    assert post(webhook_url, update, "wrong-secret").status_code == 403
    assert post(webhook_url, update, None).status_code == 403
    assert telegram_api.calls() == []  # refused before the bot even started

    assert post(webhook_url, update, SECRET).status_code == 200
    (reply,) = [c for c in telegram_api.calls("sendMessage") if c.status == 200]
    assert "《" in reply.params["text"]
    assert telegram_html_errors(reply.params["text"]) == []
    assert [c.method for c in telegram_api.calls()][:1] == ["getMe"]  # started lazily, on the first update

    assert post(webhook_url, {"not": "an update"}, SECRET).status_code == 400


def test_without_a_configured_secret_every_request_is_refused(data_dir: Path, telegram_api: FakeTelegram) -> None:
    settings = webhook_settings(data_dir, telegram_api, None)
    app = FastAPI()
    app.include_router(telegram_webhook_router(settings, Assistant(settings)))
    with serve_app(app) as url:
        update = telegram_api.message_update("小微企业贷款有哪些支持政策？")
        assert post(f"{url}{WEBHOOK_PATH}", update, "").status_code == 403
        assert post(f"{url}{WEBHOOK_PATH}", update, "anything").status_code == 403
    assert telegram_api.calls() == []
