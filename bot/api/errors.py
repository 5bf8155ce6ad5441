"""One error shape for every failure: ``{"error": {"code", "message", "request_id"}}``.

Validation errors add FastAPI's ``detail`` list; unexpected exceptions become a 500 that carries
the request id (to find the traceback in the server log) and never the traceback itself.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from bot.assistant import QuestionError

log = logging.getLogger("huiqi.api")

_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "invalid_request",
    429: "rate_limited",
    503: "not_ready",
}


class ApiError(Exception):
    """A failure the caller can fix; ``message`` is one sentence that says how."""

    def __init__(
        self, status: int, message: str, code: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code or _CODES.get(status, "error")
        self.headers = headers or {}


def request_id_of(request: Request) -> str | None:
    return getattr(request.state, "request_id", None)


def error_response(
    request: Request,
    status: int,
    code: str,
    message: str,
    headers: dict[str, str] | None = None,
    detail: Any = None,
) -> JSONResponse:
    """The JSON error body every handler returns."""
    body: dict[str, Any] = {"error": {"code": code, "message": message, "request_id": request_id_of(request)}}
    if detail is not None:
        body["detail"] = detail
    return JSONResponse(body, status_code=status, headers=headers)


def validation_message(errors: list[dict[str, Any]]) -> str:
    """One sentence for the first problem in a pydantic error list."""
    if not errors:
        return "The request is not valid."
    first = errors[0]
    where = ".".join(str(part) for part in first.get("loc", ()) if part != "body") or "body"
    kind = first.get("type", "")
    msg = str(first.get("msg", "invalid value")).removeprefix("Value error, ")
    if kind == "extra_forbidden":
        return f"Unknown field '{where}': remove it (see /docs for the accepted fields)."
    if kind == "missing":
        return f"Missing required field '{where}'."
    if kind == "json_invalid":
        return "The body is not valid JSON."
    if kind == "value_error":
        return msg  # the assistant's own sentence, e.g. 问题不能为空…
    return f"Field '{where}': {msg}."


def _plain_errors(errors: list[dict[str, Any]]) -> list[dict[str, Any]]:
    # ctx may hold exception objects and input may be large: keep what a client can act on.
    return [{"type": e.get("type"), "loc": list(e.get("loc", ())), "msg": e.get("msg")} for e in errors]


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error the same body."""

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return error_response(request, exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(QuestionError)
    async def _bad_question(request: Request, exc: QuestionError) -> JSONResponse:
        return error_response(request, 422, "invalid_request", str(exc))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = list(exc.errors())
        return error_response(
            request, 422, "invalid_request", validation_message(errors), detail=_plain_errors(errors)
        )

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        message = exc.detail if isinstance(exc.detail, str) else "The request failed."
        if exc.status_code == 404 and message == "Not Found":
            message = f"No such endpoint: {request.method} {request.url.path}; see /docs."
        elif exc.status_code == 405:
            allowed = (exc.headers or {}).get("Allow", "another method")
            message = f"{request.method} is not allowed on {request.url.path}; use {allowed}."
        elif exc.status_code == 400 and message == "There was an error parsing the body":
            message = "The body could not be read: send UTF-8 JSON (or multipart/form-data for uploads)."
        code = _CODES.get(exc.status_code, "error")
        return error_response(request, exc.status_code, code, message, dict(exc.headers or {}))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        rid = request_id_of(request)
        log.error(
            "unhandled %s on %s %s (request %s)", type(exc).__name__, request.method, request.url.path, rid
        )
        headers = {"X-Request-ID": rid} if rid else None
        return error_response(
            request,
            500,
            "internal_error",
            f"Something went wrong on our side; quote request id {rid} when you report it.",
            headers,
        )
