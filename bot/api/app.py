"""The app factory: ``create_app(settings) -> FastAPI``; the server and the tests both call it."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, Depends, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from starlette.concurrency import run_in_threadpool

from bot.api import answers, catalogue, feedback, health, openai_compat
from bot.api.deps import authenticate, rate_limit
from bot.api.documents import documents_router, upload_limit
from bot.api.errors import install_error_handlers
from bot.api.metrics import ApiMetrics
from bot.api.middleware import BodyLimitMiddleware, RequestContextMiddleware
from bot.api.ratelimit import SlidingWindowLimiter
from bot.api.schemas import ErrorOut
from bot.assistant import Assistant
from bot.settings import Settings

log = logging.getLogger("huiqi.api")

JSON_BODY_LIMIT = 1024 * 1024

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorOut, "description": "The body could not be read (not UTF-8 JSON)."},
    401: {"model": ErrorOut, "description": "An API key is required (HUIQI_API_KEYS is set)."},
    403: {"model": ErrorOut, "description": "The key is not valid, or the endpoint needs the admin key."},
    422: {"model": ErrorOut, "description": "The request is not valid; `error.message` says why."},
    429: {"model": ErrorOut, "description": "Rate limit reached; see the Retry-After header."},
}


def create_app(settings: Settings, assistant: Assistant | None = None) -> FastAPI:
    """Build the HTTP API.

    Args:
        settings: The settings tree; API keys, admin key, rate limit, CORS and upload size come from it.
        assistant: The service to expose. When None it is built at startup (in the lifespan), so
            creating the app stays cheap.

    Returns:
        The FastAPI application, with OpenAPI at ``/docs`` and ``/openapi.json``.
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if app.state.assistant is None:
            try:
                app.state.assistant = await run_in_threadpool(Assistant, settings)
            except Exception as exc:  # e.g. the Chroma server is down: say so in one line, then stop
                log.error("the assistant cannot start: %s", exc)
                raise
            log.info("assistant ready: %d clauses", app.state.assistant.kb.clause_count())
        yield

    app = FastAPI(
        title="Huiqi API",
        summary="惠企: answers to Chinese enterprise-policy questions, each with the clauses that apply.",
        version="1",
        lifespan=lifespan,
    )
    app.state.settings = settings
    app.state.assistant = assistant
    app.state.limiter = SlidingWindowLimiter(settings.rate_limit_per_minute, 60.0)
    app.state.metrics = ApiMetrics(lambda: app.state.assistant.stats if app.state.assistant else None)

    # paths are written out in full ("/v1/ask") so route templates in metrics and logs match URLs
    v1 = APIRouter(
        dependencies=[Depends(authenticate), Depends(rate_limit)],
        responses=ERRORS,
    )
    for module in (answers, catalogue, feedback, openai_compat):
        v1.include_router(module.router)
    v1.include_router(documents_router(settings))
    app.include_router(v1)
    app.include_router(health.router)
    _include_optional_routers(app, settings)

    install_error_handlers(app)
    app.add_middleware(
        BodyLimitMiddleware, default=JSON_BODY_LIMIT, per_path={"/v1/documents": upload_limit(settings)}
    )
    app.add_middleware(RequestContextMiddleware, metrics=app.state.metrics)
    if settings.cors_origins:
        # The widget runs on third-party pages and sends `Authorization: Bearer <data-api-key>`.
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.cors_origins,
            allow_methods=["GET", "POST", "DELETE", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "X-Request-ID"],
            expose_headers=["X-Request-ID", "Retry-After"],
            max_age=600,
        )
    return app


def _include_optional_routers(app: FastAPI, settings: Settings) -> None:
    """The widget/console and the Telegram webhook, when their modules exist."""
    try:
        from bot.web.router import web_router
    except ModuleNotFoundError as exc:
        if exc.name not in ("bot.web", "bot.web.router"):
            raise
    else:
        app.include_router(web_router(settings))

    if settings.telegram_bot_token is None:
        return
    try:
        from bot.channels.telegram_webhook import telegram_webhook_router
    except ModuleNotFoundError as exc:
        if exc.name != "bot.channels.telegram_webhook":
            raise
        return
    if app.state.assistant is None:
        # the webhook router takes the assistant when it is built, so it cannot wait for the lifespan
        app.state.assistant = Assistant(settings)
    app.include_router(telegram_webhook_router(settings, app.state.assistant))
