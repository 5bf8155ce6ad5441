"""POST /v1/search, GET /v1/policies, GET /v1/policies/{key}."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool

from bot.api.deps import AssistantDep
from bot.api.errors import ApiError
from bot.api.schemas import ErrorOut, PoliciesOut, PolicyDetailOut, SearchIn, SearchOut
from bot.assistant import Assistant

router = APIRouter(tags=["catalogue"])


@router.post("/v1/search", response_model=SearchOut, summary="Find the clauses that match a query")
async def search(body: SearchIn, assistant: AssistantDep) -> dict[str, Any]:
    """The ``top_k`` best clauses for ``query``, best first, each verbatim with its source."""
    filters = body.filters.to_filters() if body.filters else None
    hits = await run_in_threadpool(assistant.search, body.query, body.top_k, filters)
    return {"hits": [hit.to_dict() for hit in hits]}


@router.get("/v1/policies", response_model=PoliciesOut, summary="List the policies in the knowledge base")
async def policies(assistant: AssistantDep) -> dict[str, Any]:
    """Every indexed policy with its metadata and clause count, in source order."""
    found = await run_in_threadpool(assistant.policies)
    return {"policies": [p.to_dict() for p in found]}


@router.get(
    "/v1/policies/{key:path}",
    response_model=PolicyDetailOut,
    responses={404: {"model": ErrorOut, "description": "No policy has this id or document number."}},
    summary="One policy and its clauses",
)
async def policy(key: str, assistant: AssistantDep) -> dict[str, Any]:
    """A policy by ``policy_id`` or document number (URL-encoded, e.g. ``国发〔2022〕12号``)."""
    found = await run_in_threadpool(policy_detail, assistant, key)
    if found is None:
        raise ApiError(
            404, f"No policy with id or document number '{key[:100]}'; GET /v1/policies lists them."
        )
    return found


def policy_detail(assistant: Assistant, key: str) -> dict[str, Any] | None:
    """Metadata and ordered clauses of the policy named by ``key``; None when unknown."""
    flat = "".join(key.split())
    if not flat or len(flat) > 200:
        return None
    clauses = assistant.kb.policy_clauses(flat)
    if not clauses:
        return None
    ids = list(dict.fromkeys(c.policy_id for c in clauses))
    # a document number can name several policies (e.g. a notice and its attachment): take the first
    chosen = flat if flat in ids else ids[0]
    info = next((p for p in assistant.policies() if p.policy_id == chosen), None)
    own = [c for c in clauses if c.policy_id == chosen]
    meta = (
        info.to_dict()
        if info
        else {
            "title": own[0].title,
            "doc_number": own[0].doc_number,
            "issuer": own[0].issuer,
            "level": own[0].level,
            "region": own[0].region,
            "date": own[0].date,
            "source": own[0].source,
            "policy_id": chosen,
            "clause_count": len(own),
        }
    )
    return {
        **meta,
        "clauses": [
            {
                "id": c.id,
                "clause": c.clause or c.path_text,
                "path": c.path_text,
                "text": c.text,
                "span": list(c.span),
                "order": c.order,
            }
            for c in own
        ],
        "same_doc_number": [i for i in ids if i != chosen],
    }
