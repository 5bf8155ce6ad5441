"""Request and response bodies of the HTTP API.

Request bodies forbid unknown fields, so a typo ends in a 422 that names the field instead of being
silently ignored. Response models document the stable fields and let new ones through.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from bot.assistant import validate_question
from retrieval.types import Filters

SESSION_ID = Field(
    None,
    min_length=1,
    max_length=128,
    pattern=r"^[A-Za-z0-9_.:\-]+$",
    description="Conversation id; reuse it for follow-up questions. A new one is made when omitted.",
)


# One server-sent event, as OpenAPI 3.2 describes text/event-stream items.
SSE_EVENT: dict[str, Any] = {
    "type": "object",
    "properties": {
        "event": {"type": "string"},
        "data": {"type": "string", "description": "JSON text"},
        "id": {"type": "string"},
        "retry": {"type": "integer", "minimum": 0},
    },
}


class Body(BaseModel):
    """Base of request bodies: unknown fields are refused."""

    model_config = ConfigDict(extra="forbid")


class Out(BaseModel):
    """Base of response bodies: fields added by the assistant pass through."""

    model_config = ConfigDict(extra="allow")


class FiltersIn(Body):
    """Restrict the clauses considered; empty fields do not filter."""

    level: str | None = Field(None, max_length=20, description="国家 / 省 / 市 / 县")
    region: str | None = Field(None, max_length=50, description="Substring of the region, e.g. 河南.")
    issuer: str | None = Field(None, max_length=100, description="Substring of the issuing body.")
    doc_number: str | None = Field(
        None, max_length=100, description="Document number, e.g. 国发〔2022〕12号."
    )
    source: str | None = Field(None, max_length=255, description="Source file name.")

    def to_filters(self) -> Filters:
        return Filters(**self.model_dump())


# QuestionError is a ValueError, so pydantic reports its Chinese sentence as a 422. The limits are
# documented in the schema but checked by the assistant's rule, which says what is wrong in Chinese.
Question = Annotated[
    str,
    AfterValidator(validate_question),
    WithJsonSchema({"type": "string", "minLength": 1, "maxLength": 500, "pattern": r"\S"}),
]


class AskIn(Body):
    """A question, optionally in an existing session and restricted by filters."""

    question: Question = Field(
        description="The question, 1–500 characters.", examples=["高新技术企业认定后有什么奖励？"]
    )
    session_id: str | None = SESSION_ID
    filters: FiltersIn | None = None


class SearchIn(Body):
    """A search over clauses."""

    query: Question = Field(description="Search text, 1–500 characters.", examples=["一次性扩岗补助"])
    top_k: int = Field(5, ge=1, le=20, description="How many clauses to return.")
    filters: FiltersIn | None = None


class FeedbackIn(Body):
    """A 👍/👎 rating of one answer."""

    session_id: str = Field(min_length=1, max_length=128)
    answer_id: str = Field(min_length=1, max_length=64)
    rating: Literal["up", "down"]
    comment: str = Field("", max_length=2000)


class CitationOut(Out):
    n: int
    text: str = Field(description="The clause, verbatim.")
    title: str
    doc_number: str
    clause: str
    source: str
    score: float


class AnswerOut(Out):
    answer: str
    citations: list[CitationOut]
    answered: bool = Field(
        description="False when the answer is a refusal: no clause fits, or (with one citation) the clause most "
        "about the question grants the sum or rate asked without stating it."
    )
    mode: Literal["extractive", "llm"]
    session_id: str
    answer_id: str = ""


class HitOut(Out):
    id: str
    text: str
    title: str
    doc_number: str
    clause: str
    source: str
    score: float


class SearchOut(Out):
    hits: list[HitOut]


class PolicyOut(Out):
    title: str
    doc_number: str
    issuer: str
    level: str
    region: str
    date: str
    source: str
    policy_id: str
    clause_count: int


class PoliciesOut(Out):
    policies: list[PolicyOut]


class ClauseOut(Out):
    id: str
    clause: str = Field(description="Compact markers, e.g. 三、（三）1.")
    path: str
    text: str


class PolicyDetailOut(PolicyOut):
    clauses: list[ClauseOut] = Field(description="The policy's clauses, in document order.")
    same_doc_number: list[str] = Field(
        default_factory=list, description="Other policy ids that carry the same document number."
    )


class FeedbackOut(Out):
    id: int
    stored: bool = True


class FeedbackExportOut(Out):
    feedback: list[dict[str, Any]]


class IngestOut(Out):
    files: int
    policies: int
    clauses: int
    added: int
    removed: int
    skipped: list[dict[str, str]]
    source: str = Field("", description="The stored file name of the upload.")


class RemovedOut(Out):
    source: str
    removed: int


class ErrorDetail(BaseModel):
    code: str = Field(description="Machine-readable, e.g. invalid_request, unauthorized, rate_limited.")
    message: str = Field(description="One sentence for people.")
    request_id: str | None = None


class ErrorOut(BaseModel):
    """Every error response: ``{"error": {"code", "message"}}`` (plus ``detail`` for validation errors)."""

    error: ErrorDetail
    detail: Any = None


# ---- OpenAI-compatible chat completions ----------------------------------------------------


class ContentPart(BaseModel):
    """One part of a multi-part message; only text parts are read."""

    model_config = ConfigDict(extra="allow")

    type: str
    text: str | None = None


class ChatMessage(BaseModel):
    model_config = ConfigDict(extra="allow")  # clients add name, tool_calls, refusal…

    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[ContentPart] | None = None

    def text(self) -> str:
        if isinstance(self.content, list):
            return "".join(p.text or "" for p in self.content if p.type == "text")
        return self.content or ""


class ChatCompletionIn(Body):
    """OpenAI's chat completion request; sampling parameters are accepted and ignored."""

    model: str = Field(min_length=1, max_length=200, description="Echoed back; Huiqi has one answerer.")
    messages: list[ChatMessage] = Field(min_length=1, max_length=200)
    stream: bool = False
    user: str | None = Field(
        None, max_length=256, description="End-user id; keeps one conversation memory per user."
    )
    stream_options: dict[str, Any] | None = None
    temperature: float | None = None
    top_p: float | None = None
    n: int | None = Field(None, ge=1, le=1)
    max_tokens: int | None = None
    max_completion_tokens: int | None = None
    stop: str | list[str] | None = None
    presence_penalty: float | None = None
    frequency_penalty: float | None = None
    seed: int | None = None
    metadata: dict[str, str] | None = None
    store: bool | None = None
