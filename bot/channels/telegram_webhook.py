"""Telegram in production: Telegram POSTs each update to ``/channels/telegram/webhook`` on Huiqi's server.

The same ``Application`` as polling (``build_application``) handles the update. It is started on the
first update, inside the server's event loop, and stopped when the server shuts down (the router's
lifespan, which FastAPI merges into the app's on ``include_router``). Register the URL once with
``setWebhook`` and ``secret_token`` = ``HUIQI_TELEGRAM_SECRET`` (see docs/telegram.md).
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Header, HTTPException, Request, Response
from telegram import Update

from bot.assistant import Assistant
from bot.channels.telegram_channel import build_application, publish_commands
from bot.settings import Settings

log = logging.getLogger("huiqi.telegram")

WEBHOOK_PATH = "/channels/telegram/webhook"


class TelegramWebhook:
    """The Application behind the webhook route: started lazily, shut down with the server."""

    def __init__(self, settings: Settings, assistant: Assistant) -> None:
        self.application = build_application(settings, assistant)
        self._secret = settings.telegram_secret.get_secret_value() if settings.telegram_secret else ""
        self._lock = asyncio.Lock()
        self.router = self._build_router()

    def accepts(self, token: str | None) -> bool:
        """Only Telegram knows the secret; without one configured, nothing is accepted."""
        return bool(self._secret) and token is not None and hmac.compare_digest(token.encode(), self._secret.encode())

    async def handle(self, data: dict[str, Any]) -> None:
        """Process one update from Telegram; handler failures end in the channel's apology, not here."""
        await self._ensure_started()
        await self.application.process_update(Update.de_json(data, self.application.bot))

    async def shutdown(self) -> None:
        async with self._lock:
            if self.application.running:
                await self.application.stop()
            await self.application.shutdown()

    async def _ensure_started(self) -> None:
        async with self._lock:
            if self.application.running:
                return
            await self.application.initialize()
            await publish_commands(self.application)
            await self.application.start()
            log.info("telegram: webhook application started")

    def _build_router(self) -> APIRouter:
        @asynccontextmanager
        async def lifespan(_app: Any) -> AsyncIterator[None]:
            yield
            await self.shutdown()

        router = APIRouter(lifespan=lifespan)

        @router.post(WEBHOOK_PATH, include_in_schema=False)
        async def telegram_webhook(
            request: Request,
            secret: Annotated[str | None, Header(alias="X-Telegram-Bot-Api-Secret-Token")] = None,
        ) -> Response:
            if not self.accepts(secret):
                raise HTTPException(status_code=403, detail="Wrong or missing X-Telegram-Bot-Api-Secret-Token.")
            try:
                data = await request.json()
            except ValueError:
                raise HTTPException(status_code=400, detail="The body is not JSON.") from None
            if not isinstance(data, dict) or not isinstance(data.get("update_id"), int):
                raise HTTPException(status_code=400, detail="The body is not a Telegram update.")
            await self.handle(data)
            return Response(status_code=200)

        return router


def telegram_webhook_router(settings: Settings, assistant: Assistant) -> APIRouter:
    """``POST /channels/telegram/webhook`` for ``create_app`` to include when a bot token is set."""
    return TelegramWebhook(settings, assistant).router
