"""A fake OpenAI-compatible server for tests: canned chat replies from a queue, deterministic embeddings.

Served over real HTTP on 127.0.0.1 (``tests/support/servers.serve_app``), so the ``openai`` client and
LangChain are exercised for real::

    fake = FakeOpenAI()
    with serve_app(fake.app) as url:
        fake.push_text("根据条款……[1]")
        ...  # a client with base_url=f"{url}/v1"
        assert fake.chat_requests()[0]["messages"][0]["role"] == "system"

Replies are consumed one per ``POST /v1/chat/completions``; an empty queue answers HTTP 500 with a
message saying so, which makes a missing ``push_*`` in a test obvious.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import itertools
import json
import math
import struct
import threading
import time
from collections import deque
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse

EMBEDDING_DIM = 64


@dataclass
class Reply:
    """One canned answer to a chat completion request."""

    text: str = ""
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200  # anything else answers an OpenAI-style error body
    delay: float = 0.0  # seconds to wait before answering (past the client timeout = a timeout)


@dataclass
class Recorded:
    """A request the fake received."""

    path: str
    headers: dict[str, str]
    body: dict[str, Any]


class FakeOpenAI:
    """Holds the reply queue and the requests log; ``app`` is the ASGI app to serve."""

    def __init__(self) -> None:
        self._replies: deque[Reply] = deque()
        self._requests: list[Recorded] = []
        self._lock = threading.Lock()
        self._ids = itertools.count(1)
        self.app = self._build_app()

    # ---- what tests call ------------------------------------------------------------------

    def push_text(self, text: str, delay: float = 0.0) -> None:
        """Queue a plain assistant message (after ``delay`` seconds)."""
        self._push(Reply(text=text, delay=delay))

    def push_tool_call(self, name: str, arguments: dict[str, Any], text: str = "") -> None:
        """Queue an assistant message that calls one tool."""
        self.push_tool_calls([(name, arguments)], text)

    def push_tool_calls(self, calls: list[tuple[str, dict[str, Any]]], text: str = "") -> None:
        """Queue an assistant message that calls several tools at once (OpenAI ``tool_calls``)."""
        tool_calls = [
            {
                "id": f"call_{next(self._ids)}",
                "type": "function",
                "function": {"name": name, "arguments": json.dumps(args, ensure_ascii=False)},
            }
            for name, args in calls
        ]
        self._push(Reply(text=text, tool_calls=tool_calls))

    def push_error(self, status: int = 500, message: str = "fake upstream failure") -> None:
        """Queue an HTTP error (OpenAI error body)."""
        self._push(Reply(text=message, status=status))

    def push_slow(self, seconds: float, text: str = "太慢了[1]") -> None:
        """Queue a reply that only comes after ``seconds`` (set it past the client timeout)."""
        self.push_text(text, delay=seconds)

    def requests(self, path: str | None = None) -> list[Recorded]:
        """Every request received (or those to ``path``), oldest first."""
        with self._lock:
            return [r for r in self._requests if path is None or r.path == path]

    def chat_requests(self) -> list[dict[str, Any]]:
        """The JSON bodies of the chat completion requests, oldest first."""
        return [r.body for r in self.requests("/v1/chat/completions")]

    def pending(self) -> int:
        """Replies still queued."""
        with self._lock:
            return len(self._replies)

    def reset(self) -> None:
        with self._lock:
            self._replies.clear()
            self._requests.clear()

    # ---- the server -----------------------------------------------------------------------

    def _push(self, reply: Reply) -> None:
        with self._lock:
            self._replies.append(reply)

    def _record(self, request: Request, body: dict[str, Any]) -> None:
        with self._lock:
            self._requests.append(Recorded(request.url.path, dict(request.headers), body))

    def _next(self) -> Reply | None:
        with self._lock:
            return self._replies.popleft() if self._replies else None

    def _build_app(self) -> FastAPI:
        app = FastAPI(title="fake-openai")

        @app.post("/v1/chat/completions")
        async def chat(request: Request) -> Response:
            body = await request.json()
            self._record(request, body)
            reply = self._next()
            if reply is None:
                return _error(500, "fake-openai: no reply queued for this request")
            if reply.delay and await _slept_until_disconnect(request, reply.delay):
                return Response(status_code=499)
            if reply.status != 200:
                return _error(reply.status, reply.text)
            completion_id = f"chatcmpl-fake-{next(self._ids)}"
            model = str(body.get("model", "fake"))
            if body.get("stream"):
                include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
                chunks = _stream_chunks(completion_id, model, reply, include_usage)
                return StreamingResponse(chunks, media_type="text/event-stream")
            return JSONResponse(_completion(completion_id, model, reply, body))

        @app.post("/v1/embeddings")
        async def embeddings(request: Request) -> Response:
            body = await request.json()
            self._record(request, body)
            inputs = body.get("input", [])
            if isinstance(inputs, str) or (inputs and isinstance(inputs[0], int)):
                inputs = [inputs]
            as_base64 = body.get("encoding_format") == "base64"
            data = []
            for i, item in enumerate(inputs):
                vector = embed(item if isinstance(item, str) else " ".join(map(str, item)))  # token ids too
                encoded: Any = vector
                if as_base64:  # little-endian float32, as OpenAI sends it
                    encoded = base64.b64encode(struct.pack(f"<{len(vector)}f", *vector)).decode()
                data.append({"object": "embedding", "index": i, "embedding": encoded})
            tokens = sum(len(str(x)) for x in inputs)
            return JSONResponse({
                "object": "list", "data": data, "model": str(body.get("model", "fake")),
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            })

        @app.get("/v1/models")
        async def models() -> dict[str, Any]:
            return {"object": "list", "data": [{"id": "fake", "object": "model", "owned_by": "tests"}]}

        return app


def embed(text: str) -> list[float]:
    """A deterministic unit vector: hashed bag of characters (and character pairs), EMBEDDING_DIM wide."""
    vector = [0.0] * EMBEDDING_DIM
    grams = list(text) + [text[i : i + 2] for i in range(len(text) - 1)]
    for gram in grams:
        if gram.isspace():
            continue
        digest = hashlib.blake2b(gram.encode("utf-8"), digest_size=4).digest()
        vector[int.from_bytes(digest[:3], "little") % EMBEDDING_DIM] += 1.0 if digest[3] & 1 else -1.0
    norm = math.sqrt(sum(v * v for v in vector)) or 1.0
    return [v / norm for v in vector]


async def _slept_until_disconnect(request: Request, seconds: float) -> bool:
    """Wait ``seconds``; True when the client gave up first (so shutdown is not held up)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if await request.is_disconnected():
            return True
        await asyncio.sleep(0.05)
    return False


def _error(status: int, message: str) -> JSONResponse:
    return JSONResponse(
        {"error": {"message": message, "type": "server_error", "param": None, "code": None}}, status_code=status
    )


def _usage(prompt: Any, completion: str) -> dict[str, int]:
    p = len(json.dumps(prompt, ensure_ascii=False)) // 4
    c = max(len(completion), 1)
    return {"prompt_tokens": p, "completion_tokens": c, "total_tokens": p + c}


def _completion(completion_id: str, model: str, reply: Reply, body: dict[str, Any]) -> dict[str, Any]:
    message: dict[str, Any] = {"role": "assistant", "content": reply.text or None}
    if reply.tool_calls:
        message["tool_calls"] = reply.tool_calls
    return {
        "id": completion_id,
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [{
            "index": 0, "message": message, "logprobs": None,
            "finish_reason": "tool_calls" if reply.tool_calls else "stop",
        }],
        "usage": _usage(body.get("messages"), reply.text),
    }


async def _stream_chunks(completion_id: str, model: str, reply: Reply, include_usage: bool) -> AsyncIterator[str]:
    def chunk(delta: dict[str, Any], finish: str | None = None, usage: dict[str, int] | None = None) -> str:
        payload: dict[str, Any] = {
            "id": completion_id, "object": "chat.completion.chunk", "created": int(time.time()), "model": model,
            "choices": [] if usage else [{"index": 0, "delta": delta, "logprobs": None, "finish_reason": finish}],
        }
        if usage:
            payload["usage"] = usage
        return f"data: {json.dumps(payload, ensure_ascii=False)}\n\n"

    yield chunk({"role": "assistant", "content": ""})
    for i in range(0, len(reply.text), 8):
        yield chunk({"content": reply.text[i : i + 8]})
    for index, call in enumerate(reply.tool_calls):
        yield chunk({"tool_calls": [{"index": index, **call}]})
    yield chunk({}, "tool_calls" if reply.tool_calls else "stop")
    if include_usage:
        yield chunk({}, usage=_usage([], reply.text))
    yield "data: [DONE]\n\n"
