"""Outgoing Bot API calls: flood-limit retries for every message, and the "typing…" indicator."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import logging
import warnings
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from typing import ParamSpec, TypeVar

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters
from telegram.constants import ChatAction, ParseMode
from telegram.error import RetryAfter, TelegramError
from telegram.warnings import PTBDeprecationWarning

log = logging.getLogger("huiqi.telegram")

P = ParamSpec("P")
T = TypeVar("T")

MAX_TRIES = 3
MAX_WAIT_SECONDS = 60.0  # a longer flood ban is not worth holding the handler for
TYPING_RENEW_SECONDS = 4.5  # Telegram shows a chat action for about 5 s
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


async def send(call: Callable[P, Awaitable[T]], *args: P.args, **kwargs: P.kwargs) -> T:
    """Await a Bot API call; on a flood limit (HTTP 429) wait as told and try again, up to 3 tries."""
    attempt = 1
    while True:
        try:
            return await call(*args, **kwargs)
        except RetryAfter as exc:
            wait = retry_seconds(exc)
            if attempt >= MAX_TRIES or wait > MAX_WAIT_SECONDS:
                raise
            name = getattr(call, "__name__", "call")
            log.warning("telegram flood limit on %s: retry %d/%d in %.0f s", name, attempt, MAX_TRIES - 1, wait)
            await asyncio.sleep(wait)
            attempt += 1


def retry_seconds(exc: RetryAfter) -> float:
    """Seconds Telegram asked us to wait (PTB 22 gives int or timedelta, depending on PTB_TIMEDELTA)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, dtm.timedelta) else float(value)


async def send_html(
    bot: Bot,
    chat_id: int,
    parts: Sequence[str],
    markup: InlineKeyboardMarkup | None = None,
    reply_to: int | None = None,
) -> None:
    """Send HTML messages in order: the first replies to ``reply_to``, the last carries ``markup``."""
    for i, text in enumerate(parts):
        reply = ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to and i == 0 else None
        await send(
            bot.send_message,
            chat_id=chat_id,
            text=text,
            parse_mode=ParseMode.HTML,
            reply_markup=markup if i == len(parts) - 1 else None,
            reply_parameters=reply,
            link_preview_options=NO_PREVIEW,
        )


@contextlib.asynccontextmanager
async def typing(bot: Bot, chat_id: int) -> AsyncIterator[None]:
    """Show "typing…" in the chat while the body runs, renewed until it ends."""
    await _chat_action(bot, chat_id)
    renew = asyncio.create_task(_keep_typing(bot, chat_id))
    try:
        yield
    finally:
        renew.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await renew


async def _keep_typing(bot: Bot, chat_id: int) -> None:
    while True:
        await asyncio.sleep(TYPING_RENEW_SECONDS)
        await _chat_action(bot, chat_id)


async def _chat_action(bot: Bot, chat_id: int) -> None:
    # Cosmetic: a failed or rate-limited chat action must never hold up or fail the answer.
    try:
        await bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)
    except TelegramError as exc:
        log.debug("telegram chat action failed: %s", exc)
