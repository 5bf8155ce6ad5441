"""Huiqi on Telegram: one python-telegram-bot ``Application`` for polling (development) and webhook (production).

Each handler translates an update into one call of the assistant and the result into Telegram HTML
(``telegram_format``); every outgoing message goes through ``telegram_send`` for flood limits. The
assistant is blocking, so it always runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections import defaultdict
from html import escape
from pathlib import Path
from urllib.parse import urlsplit

from telegram import BotCommand, CallbackQuery, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import InvalidToken, NetworkError, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.assistant import Assistant, QuestionError
from bot.channels import telegram_format as fmt
from bot.channels.telegram_send import send, send_html, typing
from bot.channels.telegram_sessions import ChatSessions
from bot.settings import Settings

log = logging.getLogger("huiqi.telegram")

COMMANDS = (
    ("start", "开始使用与示例问题"),
    ("help", "使用说明"),
    ("policies", "收录的政策文件"),
    ("new", "开始新的对话"),
)
ALLOWED_UPDATES = ("message", "callback_query")


class TelegramSetupError(RuntimeError):
    """Telegram cannot start as configured; the message says what to do."""


def build_application(settings: Settings, assistant: Assistant) -> Application:
    """The bot with its handlers wired to ``assistant``; talks to ``settings.telegram_api_url`` when set."""
    builder = (
        ApplicationBuilder()
        .token(bot_token(settings))
        .concurrent_updates(True)  # one slow answer must not hold up every other chat
        .post_init(publish_commands)
    )
    if settings.telegram_api_url:
        base_url = api_base_url(settings.telegram_api_url)
        builder = builder.base_url(base_url).base_file_url(file_base_url(base_url))
    application = builder.build()
    sessions = ChatSessions(Path(settings.data_dir) / "telegram_sessions.sqlite3")
    TelegramChannel(assistant, sessions).register(application)
    return application


def run_polling(settings: Settings) -> None:
    """``huiqi telegram``: answer by long polling until Ctrl-C.

    Raises:
        TelegramSetupError: no token, a token Telegram rejects, or no Bot API server to reach; the
            message is one sentence saying what to do.
    """
    bot_token(settings)  # before loading the index, so a missing token fails at once
    application = build_application(settings, Assistant(settings))
    log.info("telegram: polling %s", settings.telegram_api_url or "api.telegram.org")
    try:
        application.run_polling(allowed_updates=ALLOWED_UPDATES)
    except InvalidToken:
        raise TelegramSetupError(
            "Telegram rejected TELEGRAM_BOT_TOKEN; copy the token from @BotFather again."
        ) from None
    except NetworkError as exc:  # only at start-up: once running, PTB retries network errors itself
        where = settings.telegram_api_url or "api.telegram.org"
        raise TelegramSetupError(
            f"Could not reach the Telegram Bot API at {where} ({exc}); check the network or HUIQI_TELEGRAM_API_URL."
        ) from None


def bot_token(settings: Settings) -> str:
    token = settings.telegram_bot_token.get_secret_value().strip() if settings.telegram_bot_token else ""
    if not token:
        raise TelegramSetupError("TELEGRAM_BOT_TOKEN is not set; create a bot with @BotFather and export its token.")
    return token


def api_base_url(url: str) -> str:
    """``http://host:8081`` or ``http://host:8081/bot`` -> ``http://host:8081/bot`` (the token goes after it)."""
    url = url.rstrip("/")
    return f"{url}/bot" if urlsplit(url).path in ("", "/") else url


def file_base_url(base_url: str) -> str:
    """``http://host:8081/bot`` -> ``http://host:8081/file/bot``, the Bot API server's layout."""
    head, _, tail = base_url.rpartition("/")
    return f"{head}/file/{tail}"


async def publish_commands(application: Application) -> None:
    """Show the commands in Telegram's menu; the bot works without it, so a failure only warns."""
    try:
        await send(application.bot.set_my_commands, [BotCommand(name, text) for name, text in COMMANDS])
    except TelegramError as exc:
        log.warning("telegram: could not publish the command menu: %s", exc)


class TelegramChannel:
    """The handlers: Telegram updates in, assistant calls, Telegram HTML out."""

    def __init__(self, assistant: Assistant, sessions: ChatSessions) -> None:
        self.assistant = assistant
        self.sessions = sessions
        # Chats are answered concurrently, but within a chat one question at a time, so that a
        # follow-up sent quickly still finds the previous turn in memory and replies keep their order.
        self._chat_locks: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)

    def register(self, application: Application) -> None:
        application.add_handler(CommandHandler("start", self.start))
        application.add_handler(CommandHandler("help", self.help))
        application.add_handler(CommandHandler("policies", self.policies))
        application.add_handler(CommandHandler("new", self.new))
        text = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND
        application.add_handler(MessageHandler(text, self.question))
        application.add_handler(CallbackQueryHandler(self.example, pattern=r"^q:"))
        application.add_handler(CallbackQueryHandler(self.page, pattern=r"^p:"))
        application.add_handler(CallbackQueryHandler(self.source, pattern=r"^c:"))
        application.add_handler(CallbackQueryHandler(self.rate, pattern=r"^r:"))
        application.add_error_handler(self.error)

    # ---- commands ---------------------------------------------------------------------------

    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start: a welcome and three example questions as buttons."""
        await send_html(context.bot, _chat_id(update), [fmt.WELCOME], fmt.examples_keyboard())

    async def help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/help: how to ask, and the commands."""
        await send_html(context.bot, _chat_id(update), [fmt.HELP])

    async def policies(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/policies: the first page of the policy catalogue, with ◀ ▶ buttons."""
        text, markup = fmt.policies_page(await asyncio.to_thread(self.assistant.policies), 0)
        await send_html(context.bot, _chat_id(update), [text], markup)

    async def new(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/new: forget this chat's conversation and start a new session."""
        chat_id = _chat_id(update)
        session_id = await asyncio.to_thread(self.assistant.new_session, self.sessions.get(chat_id))
        self.sessions.replace(chat_id, session_id)
        await send_html(context.bot, chat_id, [fmt.NEW_SESSION])

    # ---- questions --------------------------------------------------------------------------

    async def question(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any other text is a question; in groups only when it mentions or replies to the bot."""
        message = update.effective_message
        if message is None:
            return
        question = fmt.addressed_question(message, context.bot.username, context.bot.id)
        if question is None:
            return
        in_group = message.chat.type in (ChatType.GROUP, ChatType.SUPERGROUP)
        await self._answer(context, message.chat_id, question, reply_to=message.message_id if in_group else None)

    async def example(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An example-question button under /start: ask that question in this chat."""
        query = _query(update)
        await send(query.answer)
        question = fmt.EXAMPLES[int(fmt.parse_callback(query.data)[0])]
        await self._answer(context, _chat_id(update), question, echo=True)

    async def _answer(
        self,
        context: ContextTypes.DEFAULT_TYPE,
        chat_id: int,
        question: str,
        reply_to: int | None = None,
        echo: bool = False,
    ) -> None:
        async with self._chat_locks[chat_id]:
            session_id = self.sessions.get(chat_id) or self.sessions.get_or_start(
                chat_id, self.assistant.new_session()
            )
            try:
                async with typing(context.bot, chat_id):
                    answer = await asyncio.to_thread(self.assistant.ask, question, session_id)
            except QuestionError as exc:  # the question cannot be asked as it is; the message says why
                await send_html(context.bot, chat_id, [escape(str(exc), quote=False)], reply_to=reply_to)
                return
            parts = fmt.answer_parts(answer, question if echo else None)
            await send_html(context.bot, chat_id, parts, fmt.answer_keyboard(answer), reply_to)

    # ---- buttons under answers and the catalogue ---------------------------------------------

    async def page(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """◀ ▶ under the catalogue: show another page in the same message."""
        query = _query(update)
        page = int(fmt.parse_callback(query.data)[0])
        text, markup = fmt.policies_page(await asyncio.to_thread(self.assistant.policies), page)
        await send(query.answer)
        await send(query.edit_message_text, text, parse_mode=ParseMode.HTML, reply_markup=markup)

    async def source(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """查看原文 [n]: send the cited clause's whole verbatim text."""
        query = _query(update)
        clause_id, *rest = fmt.parse_callback(query.data)
        clause = await asyncio.to_thread(self.assistant.kb.get, clause_id)
        if clause is None:
            await send(query.answer, fmt.CLAUSE_GONE, show_alert=True)
            return
        await send(query.answer)
        n = int(rest[0]) if rest else None
        reply_to = query.message.message_id if query.message else None
        await send_html(context.bot, _chat_id(update), fmt.clause_parts(clause, n), reply_to=reply_to)

    async def rate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """👍/👎 under an answer: store the rating and say thanks."""
        query = _query(update)
        rating, answer_id, *rest = fmt.parse_callback(query.data)
        session_id = rest[0] if rest else self.sessions.get(_chat_id(update)) or ""
        await asyncio.to_thread(self.assistant.rate, session_id, answer_id, rating, "", channel="telegram")
        await send(query.answer, fmt.THANKS)

    # ---- failures ---------------------------------------------------------------------------

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any failure in a handler: log it under a request id and apologise once in the chat."""
        request_id = uuid.uuid4().hex[:8]
        log.error("telegram: update failed (request %s)", request_id, exc_info=context.error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        if update.callback_query:  # stop the button's spinner; it may have been answered already
            with contextlib.suppress(TelegramError):
                await update.callback_query.answer()
        try:
            await send_html(context.bot, update.effective_chat.id, [escape(fmt.apology(request_id), quote=False)])
        except TelegramError as exc:
            log.warning("telegram: could not send the apology for request %s: %s", request_id, exc)


def _chat_id(update: Update) -> int:
    if update.effective_chat is None:
        raise ValueError("this update has no chat")
    return update.effective_chat.id


def _query(update: Update) -> CallbackQuery:
    if update.callback_query is None:
        raise ValueError("this update has no callback query")
    return update.callback_query
