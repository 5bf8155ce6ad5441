"""POST /v1/feedback and GET /v1/feedback/export (admin)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from starlette.concurrency import run_in_threadpool

from bot.api.deps import AssistantDep, require_admin
from bot.api.schemas import FeedbackExportOut, FeedbackIn, FeedbackOut

router = APIRouter(tags=["feedback"])


@router.post("/v1/feedback", response_model=FeedbackOut, status_code=201, summary="Rate an answer 👍/👎")
async def feedback(body: FeedbackIn, assistant: AssistantDep) -> dict[str, Any]:
    """Store a rating of answer ``answer_id`` given in session ``session_id``."""
    row = await run_in_threadpool(
        assistant.rate, body.session_id, body.answer_id, body.rating, body.comment, "api"
    )
    return {"id": row, "stored": True}


@router.get(
    "/v1/feedback/export",
    response_model=FeedbackExportOut,
    dependencies=[Depends(require_admin)],
    summary="Every rating, for review (admin key)",
)
async def export(assistant: AssistantDep) -> dict[str, Any]:
    """All ratings from every channel, oldest first."""
    rows = await run_in_threadpool(assistant.feedback.export)
    return {"feedback": rows}
