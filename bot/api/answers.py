"""POST /v1/ask and POST /v1/ask/stream."""

from __future__ import annotations

import json
import logging
from collections.abc import AsyncIterator, Iterator
from typing import Any

from fastapi import APIRouter, Request
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from bot.api.deps import AssistantDep
from bot.api.errors import request_id_of
from bot.api.schemas import SSE_EVENT, AnswerOut, AskIn

log = logging.getLogger("huiqi.api")

router = APIRouter(tags=["answers"])

STREAM_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "Server-sent events: `delta` ({text}) several times, then `citations`, then `done` "
        "(the whole answer, as from POST /v1/ask). A failure after the stream began is an `error` event.",
        "content": {"text/event-stream": {"schema": SSE_EVENT}},
    }
}


@router.post("/v1/ask", response_model=AnswerOut, summary="Answer a question with cited clauses")
async def ask(body: AskIn, assistant: AssistantDep) -> dict[str, Any]:
    """Answer ``question`` (in ``session_id`` when given) with the clauses that support it."""
    filters = body.filters.to_filters() if body.filters else None
    answer = await run_in_threadpool(assistant.ask, body.question, body.session_id, filters)
    return answer.to_dict()


@router.post(
    "/v1/ask/stream",
    response_class=EventSourceResponse,
    responses=STREAM_DOC,
    summary="Answer a question as a stream of server-sent events",
)
async def ask_stream(body: AskIn, assistant: AssistantDep, request: Request) -> EventSourceResponse:
    """Stream the answer: ``delta`` events with text, then ``citations``, then ``done``."""
    filters = body.filters.to_filters() if body.filters else None
    events = assistant.stream(body.question, body.session_id, filters)
    # The first event waits for the whole checked answer; taking it before the response starts
    # lets a failure there still become an ordinary JSON error with a status code.
    first = await run_in_threadpool(next, events, None)
    return EventSourceResponse(_sse(first, events, request_id_of(request)), ping=15)


async def _sse(
    first: tuple[str, dict[str, Any]] | None,
    rest: Iterator[tuple[str, dict[str, Any]]],
    request_id: str | None,
) -> AsyncIterator[ServerSentEvent]:
    if first is None:
        return
    yield _event(*first)
    try:
        async for name, data in iterate_in_threadpool(rest):
            yield _event(name, data)
    except Exception:
        log.exception("stream failed (request %s)", request_id)
        message = f"The answer stream failed; quote request id {request_id} when you report it."
        yield _event(
            "error", {"error": {"code": "internal_error", "message": message, "request_id": request_id}}
        )


def _event(name: str, data: dict[str, Any]) -> ServerSentEvent:
    return ServerSentEvent(data=json.dumps(data, ensure_ascii=False), event=name)
