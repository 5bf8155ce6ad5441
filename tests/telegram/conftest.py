"""Fixtures for the Telegram channel: the fake Bot API on 127.0.0.1 and a polling bot pointed at it."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from telegram.ext import Application

from bot.assistant import Assistant
from bot.channels.telegram_channel import ALLOWED_UPDATES, build_application
from bot.settings import Settings
from bot.types import Answer
from retrieval.types import Filters
from tests.conftest import make_settings
from tests.support.fake_telegram import Call, FakeTelegram
from tests.support.servers import serve_app


class ScriptedAssistant(Assistant):
    """The real assistant with two knobs: fail the next question, or repeat answers past one message."""

    fail_next = False
    stretch = 1

    def ask(self, question: str, session_id: str | None = None, filters: Filters | None = None) -> Answer:
        if self.fail_next:
            self.fail_next = False
            raise RuntimeError("simulated failure inside the assistant")
        answer = super().ask(question, session_id, filters)
        answer.answer = "\n\n".join([answer.answer] * self.stretch)
        return answer


@pytest.fixture
def telegram_api() -> Iterator[FakeTelegram]:
    """The fake Bot API, served; ``api_url`` is what HUIQI_TELEGRAM_API_URL would be."""
    fake = FakeTelegram()
    with serve_app(fake.app) as url:
        fake.api_url = f"{url}/bot"
        yield fake


@pytest.fixture
def bot_settings(data_dir: Path, telegram_api: FakeTelegram) -> Settings:
    return make_settings(data_dir, telegram_bot_token=telegram_api.token, telegram_api_url=telegram_api.api_url)


@pytest.fixture
def assistant(bot_settings: Settings) -> ScriptedAssistant:
    return ScriptedAssistant(bot_settings)


@pytest.fixture
async def polling_bot(bot_settings: Settings, assistant: ScriptedAssistant) -> AsyncIterator[Application]:
    """The real Application, long-polling the fake (what ``run_polling`` does, minus signal handling)."""
    application = build_application(bot_settings, assistant)
    async with application:
        assert application.updater is not None
        await application.updater.start_polling(timeout=1, allowed_updates=ALLOWED_UPDATES)
        await application.start()
        try:
            yield application
        finally:
            await application.updater.stop()
            await application.stop()


class Chat:
    """Drives one chat: push an update, wait until the bot has fully handled it, return what it sent."""

    def __init__(self, fake: FakeTelegram, application: Application, **where: Any) -> None:
        self.fake = fake
        self.application = application
        self.where = where  # chat_id / chat_type for message updates
        self.last_update: dict[str, Any] = {}

    async def say(self, text: str, **kwargs: Any) -> list[Call]:
        return await self._settle(self.fake.message_update(text, **{**self.where, **kwargs}))

    async def press(self, data: str, message: dict[str, Any]) -> list[Call]:
        return await self._settle(self.fake.callback_update(data, message))

    async def _settle(self, update: dict[str, Any]) -> list[Call]:
        before = len(self.fake.calls())
        self.last_update = self.fake.push(update)
        await self.fake.wait_confirmed(update["update_id"])
        # Fetched updates are in the queue; each is marked done only after its handlers finished.
        await self.application.update_queue.join()
        return [c for c in self.fake.calls()[before:] if c.method != "getUpdates"]


@pytest.fixture
def chat(telegram_api: FakeTelegram, polling_bot: Application) -> Chat:
    return Chat(telegram_api, polling_bot)


def sent(calls: list[Call], method: str = "sendMessage") -> list[Call]:
    """The successful calls of ``method`` among ``calls``."""
    return [c for c in calls if c.method == method and c.status == 200]
