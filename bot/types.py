"""The answer structure every channel returns."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from retrieval.types import Hit


@dataclass(frozen=True)
class Citation:
    """A cited clause; ``text`` is verbatim."""

    n: int
    text: str
    title: str
    doc_number: str
    clause: str
    source: str
    score: float
    level: str = ""
    region: str = ""
    path: str = ""
    id: str = ""

    @classmethod
    def from_hit(cls, n: int, hit: Hit) -> Citation:
        c = hit.clause
        return cls(
            n=n,
            text=c.text,
            title=c.title,
            doc_number=c.doc_number,
            clause=c.clause or c.path_text,
            source=c.source,
            score=round(hit.score, 4),
            level=c.level,
            region=c.region,
            path=c.path_text,
            id=c.id,
        )

    def reference(self) -> str:
        """《title》（文号）clause — the form hotline operators copy."""
        doc = f"（{self.doc_number}）" if self.doc_number else ""
        return f"《{self.title}》{doc}{self.clause}"


@dataclass
class Answer:
    """``{answer, citations, answered, mode, session_id}`` plus an id for feedback."""

    answer: str
    citations: list[Citation]
    answered: bool
    mode: Literal["extractive", "llm"]
    session_id: str
    answer_id: str = ""
    question: str = ""
    standalone_question: str = ""
    notice: str = ""  # e.g. why the LLM answer was replaced by the extractive one
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data.pop("extra")
        return data
