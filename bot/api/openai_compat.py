"""POST /v1/chat/completions: the assistant behind OpenAI's chat completion protocol.

Any OpenAI client (or a chat UI that speaks the protocol) can ask Huiqi: the last user message is
the question; the citations follow the answer text as a numbered list and also come as a top-level
``citations`` field.

Sessions: with ``user`` set, the server keeps one conversation memory per user (like
``session_id`` on /v1/ask). Without it, the request's own history is the conversation: the session
id is a hash of the earlier messages, and that session is filled from them before answering.
"""

from __future__ import annotations

import hashlib
import json
import re
import time
from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool
from starlette.responses import StreamingResponse

from bot.api.deps import AssistantDep
from bot.api.errors import ApiError
from bot.api.schemas import SSE_EVENT, ChatCompletionIn, ChatMessage
from bot.assistant import Assistant, QuestionError, validate_question
from bot.memory import Turn
from bot.types import Answer, Citation

router = APIRouter(tags=["openai-compatible"])

REFERENCES_HEADING = "参考条款："
_DOC_NUMBER = re.compile(r"《[^》]*》（([^）]+)）")

STREAM_DOC: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "With `stream: true`: `data: {chat.completion.chunk}` lines, ending with `data: [DONE]`.",
        "content": {"application/json": {}, "text/event-stream": {"schema": SSE_EVENT}},
    }
}


@router.post("/v1/chat/completions", responses=STREAM_DOC, summary="OpenAI-compatible chat completion")
async def chat_completions(body: ChatCompletionIn, assistant: AssistantDep) -> Any:
    """Answer the last user message; ``stream: true`` gives ``chat.completion.chunk`` events."""
    question, earlier = split_conversation(body.messages)
    session_id = session_for(body.user, earlier)
    answer = await run_in_threadpool(_ask, assistant, question, session_id, earlier, body.user is None)
    created = int(time.time())
    completion_id = f"chatcmpl-{answer.answer_id or hashlib.sha1(answer.answer.encode()).hexdigest()[:16]}"
    content = message_text(answer)
    citations = [_citation(c) for c in answer.citations]
    huiqi = {
        "answered": answer.answered,
        "mode": answer.mode,
        "session_id": answer.session_id,
        "answer_id": answer.answer_id,
        "standalone_question": answer.standalone_question,
    }
    if not body.stream:
        return {
            "id": completion_id,
            "object": "chat.completion",
            "created": created,
            "model": body.model,
            "choices": [
                {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
            ],
            "citations": citations,
            "huiqi": huiqi,
        }
    base = {"id": completion_id, "object": "chat.completion.chunk", "created": created, "model": body.model}
    return StreamingResponse(
        _chunks(base, content, citations, huiqi),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )


def split_conversation(messages: list[ChatMessage]) -> tuple[str, list[tuple[str, str]]]:
    """The question (last user message) and the earlier (role, text) pairs of user and assistant."""
    if messages[-1].role != "user":
        raise ApiError(422, "The last message must come from the user: it is the question Huiqi answers.")
    try:
        question = validate_question(messages[-1].text())
    except QuestionError as exc:
        raise ApiError(422, str(exc)) from exc
    earlier: list[tuple[str, str]] = [
        (m.role, m.text()) for m in messages[:-1] if m.role in ("user", "assistant") and m.text().strip()
    ]
    return question, earlier


def session_for(user: str | None, earlier: list[tuple[str, str]]) -> str | None:
    """Per-user session when ``user`` is set; else one derived from the earlier messages (None if none)."""
    if user:
        return "oa-u-" + hashlib.sha256(user.encode()).hexdigest()[:32]
    if not earlier:
        return None
    history = json.dumps(earlier, ensure_ascii=False)
    return "oa-h-" + hashlib.sha256(history.encode()).hexdigest()[:32]


def message_text(answer: Answer) -> str:
    """Answer text followed by the numbered references: ``[n] 《title》（文号）clause``."""
    parts = [answer.answer]
    if answer.notice:
        parts.insert(0, answer.notice)
    if answer.citations:
        parts.append(
            REFERENCES_HEADING + "\n" + "\n".join(f"[{c.n}] {c.reference()}" for c in answer.citations)
        )
    return "\n\n".join(parts)


def _ask(
    assistant: Assistant, question: str, session_id: str | None, earlier: list[tuple[str, str]], replay: bool
) -> Answer:
    if replay and session_id:
        _replay(assistant, session_id, earlier)
    return assistant.ask(question, session_id)


def _replay(assistant: Assistant, session_id: str, earlier: list[tuple[str, str]]) -> None:
    # The client sent the whole history; make the session hold exactly it, so follow-up questions
    # ("那省级的呢？") resolve against what the user saw. The same history always gets the same session.
    assistant.new_session(session_id)  # clears it
    question = ""
    for role, text in earlier:
        if role == "user":
            question = text
        elif question:
            body = text.split(REFERENCES_HEADING, 1)[0].strip()
            docs = tuple(dict.fromkeys(_DOC_NUMBER.findall(text)))
            assistant.memory.add(session_id, Turn(question, question, body, docs))
            question = ""


def _citation(c: Citation) -> dict[str, Any]:
    return {**c.__dict__, "reference": c.reference()}


async def _chunks(
    base: dict[str, Any], content: str, citations: list[dict[str, Any]], huiqi: dict[str, Any], size: int = 24
) -> AsyncIterator[str]:
    def line(delta: dict[str, Any], finish: str | None = None, **extra: Any) -> str:
        chunk = {**base, "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
        return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"

    yield line({"role": "assistant", "content": ""})
    for i in range(0, len(content), size):
        yield line({"content": content[i : i + size]})
    yield line({}, "stop", citations=citations, huiqi=huiqi)
    yield "data: [DONE]\n\n"
