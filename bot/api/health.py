"""GET /healthz, GET /readyz, GET /metrics — outside /v1 and without keys, for probes and scrapers."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST
from starlette.concurrency import run_in_threadpool

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    """Always ``{"status": "ok"}`` while the event loop runs."""
    return {"status": "ok"}


@router.get("/readyz", summary="Readiness: index loaded and Chroma reachable")
async def readyz(request: Request) -> JSONResponse:
    """200 when questions can be answered; 503 with the reason otherwise."""
    assistant = getattr(request.app.state, "assistant", None)
    if assistant is None:
        return JSONResponse({"ready": False, "reason": "the assistant is still starting"}, status_code=503)
    ready, reason = await run_in_threadpool(assistant.kb.ready)
    body: dict[str, Any] = {"ready": ready, "reason": reason, "clauses": assistant.kb.clause_count()}
    return JSONResponse(body, status_code=200 if ready else 503)


@router.get("/metrics", summary="Prometheus metrics", response_class=Response)
async def metrics(request: Request) -> Response:
    """Request counts and latency by route and status; answers by mode, refusals, LLM fallbacks."""
    return Response(request.app.state.metrics.render(), media_type=CONTENT_TYPE_LATEST)
