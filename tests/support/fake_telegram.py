"""A fake Telegram Bot API for tests: updates from a queue, every call recorded, Telegram's HTML rules enforced.

Served over real HTTP on 127.0.0.1 (``tests/support/servers.serve_app``), so python-telegram-bot's own
request code, polling loop and parsing are exercised for real::

    fake = FakeTelegram()
    with serve_app(fake.app) as url:
        settings = make_settings(data_dir, telegram_bot_token=fake.token, telegram_api_url=f"{url}/bot")
        update = fake.push_message("小微企业贷款有哪些支持政策？")
        ...  # the bot polls getUpdates and answers
        await fake.wait_confirmed(update["update_id"])
        assert "《" in fake.calls("sendMessage")[-1].params["text"]

Like Telegram, ``sendMessage``/``editMessageText`` answer 400 for HTML Telegram would refuse (unknown or
unbalanced tags, bare ``<``/``&``, more than 4096 characters) and for callback data over 64 bytes.
``fail_next`` makes the next call of a method fail, e.g. with a 429 flood limit.
"""

from __future__ import annotations

import asyncio
import html
import itertools
import json
import re
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

BOT_USER = {"id": 7000001, "is_bot": True, "first_name": "惠企", "username": "huiqi_test_bot",
            "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}
USER_ID = 1001
USER = {"id": USER_ID, "is_bot": False, "first_name": "张三", "language_code": "zh-hans"}
ALLOWED_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
                "tg-emoji", "code", "pre", "blockquote"}
TEXT_PARAMS = {"text", "caption", "callback_query_id", "action", "parse_mode", "secret_token", "url"}
LONG_POLL_CAP = 0.25  # seconds a getUpdates call waits at most, so shutting down never hangs


@dataclass
class Call:
    """One Bot API request the fake received, and what it answered."""

    method: str
    params: dict[str, Any]
    status: int = 200
    result: Any = None

    def buttons(self) -> dict[str, str]:
        """Inline buttons of this message: text -> callback data."""
        rows = (self.params.get("reply_markup") or {}).get("inline_keyboard", [])
        return {b["text"]: b.get("callback_data", "") for row in rows for b in row}


@dataclass
class _Failure:
    status: int
    description: str
    parameters: dict[str, Any] = field(default_factory=dict)


class FakeTelegram:
    """The update queue and the call log; ``app`` is the ASGI app to serve."""

    token = "123456:TEST-TOKEN"
    bot_user = BOT_USER

    def __init__(self) -> None:
        self.api_url = ""  # set by whoever serves it: f"{url}/bot"
        self._lock = threading.Lock()
        self._updates: list[dict[str, Any]] = []
        self._calls: list[Call] = []
        self._failures: dict[str, deque[_Failure]] = defaultdict(deque)
        self._chats: dict[int, dict[str, Any]] = {}
        self._update_ids = itertools.count(1)
        self._message_ids = itertools.count(1)
        self.app = self._build_app()

    # ---- what tests call ------------------------------------------------------------------

    def message_update(
        self,
        text: str,
        chat_id: int = USER_ID,
        chat_type: str = "private",
        user: dict[str, Any] | None = None,
        reply_to: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        """An update carrying a text message (commands and @mentions get their entities), not queued."""
        chat = {"id": chat_id, "type": chat_type}
        chat.update({"first_name": "张三"} if chat_type == "private" else {"title": "企业服务群"})
        with self._lock:
            self._chats[chat_id] = chat
        message: dict[str, Any] = {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": chat,
            "from": user or USER,
            "text": text,
        }
        entities = _entities(text)
        if entities:
            message["entities"] = entities
        if reply_to:
            message["reply_to_message"] = reply_to
        return {"update_id": next(self._update_ids), "message": message}

    def callback_update(self, data: str, message: dict[str, Any], user: dict[str, Any] | None = None) -> dict[str, Any]:
        """An update for pressing a button with ``data`` under the bot's ``message``, not queued."""
        update_id = next(self._update_ids)
        query = {"id": f"cq{update_id}", "from": user or USER, "chat_instance": "ci-1", "message": message,
                 "data": data}
        return {"update_id": update_id, "callback_query": query}

    def push(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue an update for the bot's next getUpdates."""
        with self._lock:
            self._updates.append(update)
        return update

    def push_message(self, text: str, **kwargs: Any) -> dict[str, Any]:
        return self.push(self.message_update(text, **kwargs))

    def fail_next(self, method: str, status: int = 429, retry_after: int = 1) -> None:
        """Make the next call of ``method`` fail (a 429 flood limit by default)."""
        if status == 429:
            failure = _Failure(429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after})
        else:
            failure = _Failure(status, "Bad Request: injected failure")
        with self._lock:
            self._failures[method].append(failure)

    def calls(self, method: str | None = None) -> list[Call]:
        with self._lock:
            return [c for c in self._calls if method is None or c.method == method]

    async def wait_confirmed(self, update_id: int, timeout: float = 30.0) -> None:
        """Wait until the bot has fetched ``update_id`` and asked for the ones after it."""
        deadline = time.monotonic() + timeout
        while not any(c.params.get("offset", 0) > update_id for c in self.calls("getUpdates")):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the bot never fetched update {update_id}")
            await asyncio.sleep(0.01)

    # ---- the Bot API ----------------------------------------------------------------------

    def _build_app(self) -> FastAPI:
        app = FastAPI()

        @app.post("/bot{token}/{method}")
        async def bot_api(token: str, method: str, request: Request) -> JSONResponse:
            if token != self.token:
                return _error(401, "Unauthorized")
            params = _decode(dict(await request.form()))
            if method == "getUpdates":
                return _ok(await self._get_updates(params))
            with self._lock:
                failure = self._failures[method].popleft() if self._failures[method] else None
            problem = _check(method, params)
            if failure or problem:
                self._record(Call(method, params, failure.status if failure else 400))
                if failure:
                    return _error(failure.status, failure.description, failure.parameters)
                return _error(400, problem)
            result = self._result(method, params)
            if result is None:
                self._record(Call(method, params, 404))
                return _error(404, f"Not Found: the fake does not implement {method}")
            self._record(Call(method, params, 200, result))
            return _ok(result)

        return app

    async def _get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        offset = int(params.get("offset") or 0)
        self._record(Call("getUpdates", params))
        deadline = time.monotonic() + min(float(params.get("timeout") or 0), LONG_POLL_CAP)
        while True:
            with self._lock:
                self._updates = [u for u in self._updates if u["update_id"] >= offset]  # older ones confirmed
                ready = list(self._updates)
            if ready or time.monotonic() >= deadline:
                return ready
            await asyncio.sleep(0.01)

    def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method in {"sendChatAction", "answerCallbackQuery", "deleteWebhook", "setWebhook", "setMyCommands"}:
            return True
        if method == "sendMessage":
            return self._message(params, next(self._message_ids))
        if method == "editMessageText":
            return self._message(params, int(params["message_id"]))
        return None

    def _message(self, params: dict[str, Any], message_id: int) -> dict[str, Any]:
        chat_id = int(params["chat_id"])
        with self._lock:
            chat = self._chats.get(chat_id, {"id": chat_id, "type": "private"})
        message = {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": BOT_USER,
                   "text": visible_text(str(params["text"]))}
        if params.get("reply_markup"):
            message["reply_markup"] = params["reply_markup"]
        return message

    def _record(self, call: Call) -> None:
        with self._lock:
            self._calls.append(call)


# ---- Telegram's rules -----------------------------------------------------------------------


def telegram_html_errors(text: str) -> list[str]:
    """What Telegram would refuse in ``text`` sent with parse_mode=HTML (empty when it is fine)."""
    checker = _HTMLChecker()
    checker.feed(text)
    checker.close()
    errors = checker.errors + [f"unclosed <{tag}>" for tag in checker.stack]
    if len(visible_text(text)) > 4096:
        errors.append("message is too long")
    if not visible_text(text).strip():
        errors.append("message text is empty")
    return errors


def visible_text(text: str) -> str:
    """The text a reader sees: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]*>", "", text))


class _HTMLChecker(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ALLOWED_TAGS:
            self.errors.append(f"unsupported start tag <{tag}>")
        self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"can't find end tag corresponding to </{tag}>")
        else:
            self.stack.pop()

    def handle_entityref(self, name: str) -> None:
        if name not in {"lt", "gt", "amp", "quot"}:
            self.errors.append(f"unsupported entity &{name};")

    def handle_data(self, data: str) -> None:
        if "<" in data or "&" in data:
            self.errors.append(f"unescaped < or & in {data[:40]!r}")


def _check(method: str, params: dict[str, Any]) -> str:
    if method in {"sendMessage", "editMessageText"}:
        if params.get("parse_mode") == "HTML":
            errors = telegram_html_errors(str(params.get("text", "")))
            if errors:
                return f"Bad Request: can't parse entities: {'; '.join(errors)}"
        elif len(str(params.get("text", ""))) > 4096:
            return "Bad Request: message is too long"
    rows = (params.get("reply_markup") or {}).get("inline_keyboard", [])
    if any(len(b.get("callback_data", "").encode()) > 64 for row in rows for b in row):
        return "Bad Request: BUTTON_DATA_INVALID"
    return ""


def _entities(text: str) -> list[dict[str, Any]]:
    def utf16(s: str) -> int:
        return len(s.encode("utf-16-le")) // 2

    found = []
    command = re.match(r"/\w+(@\w+)?", text)
    if command:
        found.append({"type": "bot_command", "offset": 0, "length": utf16(command.group())})
    for mention in re.finditer(r"(?<![\w/])@\w+", text):
        found.append({"type": "mention", "offset": utf16(text[: mention.start()]), "length": utf16(mention.group())})
    return found


def _decode(form: dict[str, Any]) -> dict[str, Any]:
    """python-telegram-bot sends form fields whose non-string values are JSON-encoded."""
    params: dict[str, Any] = {}
    for key, value in form.items():
        if key in TEXT_PARAMS or not isinstance(value, str):
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params


def _ok(result: Any) -> JSONResponse:
    return JSONResponse({"ok": True, "result": result})


def _error(status: int, description: str, parameters: dict[str, Any] | None = None) -> JSONResponse:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return JSONResponse(body, status_code=status)
