"""Per-request context: request id, one JSON log line, metrics.

A plain ASGI middleware (not ``BaseHTTPMiddleware``) so streamed responses pass through untouched
and the latency covers the whole body.
"""

from __future__ import annotations

import json
import logging
import re
import time
import uuid

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.api.metrics import ApiMetrics

log = logging.getLogger("huiqi.api.access")

_SAFE_ID = re.compile(r"^[A-Za-z0-9._:\-]{1,128}$")
_CONVERTER = re.compile(r":\w+}")


def route_template(scope: Scope) -> str:
    """``/v1/policies/{key}`` rather than the concrete path, so metrics keep few label values."""
    route = scope.get("route")
    path = getattr(route, "path", None)
    if isinstance(path, str):
        return _CONVERTER.sub("}", path)
    return "unmatched"


class RequestContextMiddleware:
    """Gives each request an id (echoing a safe incoming ``X-Request-ID``), logs it, measures it."""

    def __init__(self, app: ASGIApp, metrics: ApiMetrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = ""
        for name, value in scope.get("headers", []):
            if name == b"x-request-id":
                incoming = value.decode("latin-1")
                break
        request_id = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = 500  # until a response starts

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                MutableHeaders(scope=message)["X-Request-ID"] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            seconds = time.perf_counter() - started
            route = route_template(scope)
            self.metrics.observe(scope["method"], route, status, seconds)
            client = scope.get("client")
            log.info(
                json.dumps(
                    {
                        "event": "request",
                        "request_id": request_id,
                        "method": scope["method"],
                        "route": route,
                        "path": scope.get("path", ""),
                        "status": status,
                        "ms": round(seconds * 1000, 1),
                        "client": client[0] if client else None,
                    },
                    ensure_ascii=False,
                )
            )


class BodyLimitMiddleware:
    """Refuses request bodies over a per-path limit with a JSON 413, before any parsing.

    A declared ``Content-Length`` over the limit is answered at once; a body that grows past it
    (chunked uploads) stops the handler with an ``HTTPException(413)``.
    """

    def __init__(
        self, app: ASGIApp, default: int, per_path: dict[str, tuple[int, str]] | None = None
    ) -> None:
        self.app = app
        self.default = default
        self.per_path = per_path or {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit, message = self.per_path.get(scope.get("path", ""), (self.default, ""))
        message = message or f"The request body is larger than {limit // 1024} KB; send less."
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            request_id = scope.get("state", {}).get("request_id")
            body = {"error": {"code": "payload_too_large", "message": message, "request_id": request_id}}
            await JSONResponse(body, status_code=413, headers={"Connection": "close"})(scope, receive, send)
            return
        received = 0

        async def limited() -> Message:
            nonlocal received
            incoming = await receive()
            if incoming["type"] == "http.request":
                received += len(incoming.get("body", b""))
                if received > limit:
                    raise HTTPException(413, detail=message)
            return incoming

        await self.app(scope, limited, send)
