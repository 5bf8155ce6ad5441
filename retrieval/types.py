"""The records that travel through retrieval: clauses in, hits out."""

from __future__ import annotations

import hashlib
from dataclasses import asdict, astuple, dataclass
from typing import Any


@dataclass(frozen=True)
class PolicyInfo:
    """Metadata of one policy (a document, or one policy inside a compilation)."""

    title: str
    doc_number: str = ""
    issuer: str = ""
    level: str = ""  # 国家 / 省 / 市 / 县, where the text says it
    region: str = ""
    date: str = ""  # ISO date where present
    source: str = ""  # file name the policy came from
    policy_id: str = ""
    clause_count: int = 0

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class Clause:
    """One citable clause: verbatim text plus where it sits."""

    text: str
    title: str
    source: str
    clause: str = ""  # compact markers, e.g. 三、（三）1.（1）
    path: tuple[str, ...] = ()  # heading labels from the policy root down
    doc_number: str = ""
    issuer: str = ""
    level: str = ""
    region: str = ""
    date: str = ""
    span: tuple[int, int] = (0, 0)  # character offsets in the source file
    policy_id: str = ""
    order: int = 0  # position inside its policy

    @property
    def id(self) -> str:
        """Content hash: the same clause from the same file always gets the same id."""
        key = "\x1f".join([self.source, self.policy_id, self.clause, " › ".join(self.path), self.text])
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:20]

    @property
    def path_text(self) -> str:
        return " › ".join(self.path)

    def index_text(self) -> str:
        """What the retrievers see: title and heading path in front of the verbatim clause."""
        head = " ".join(p for p in (self.title, self.doc_number, self.path_text) if p)
        return f"{head}\n{self.text}"

    def vector_text(self, limit: int = 0) -> str:
        """What the embedding model sees: the index text cut at ``limit`` characters (0 = whole).

        Embedding cost grows with every token, and the clause's opening plus its title and heading
        path carry most of what a vector can match; BM25 still sees the whole clause.
        """
        text = self.index_text()
        return text[:limit] if limit > 0 else text

    def metadata(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "source": self.source,
            "clause": self.clause,
            "path": self.path_text,
            "doc_number": self.doc_number,
            "issuer": self.issuer,
            "level": self.level,
            "region": self.region,
            "date": self.date,
            "span_start": self.span[0],
            "span_end": self.span[1],
            "policy_id": self.policy_id,
            "order": self.order,
        }

    @classmethod
    def from_metadata(cls, text: str, meta: dict[str, Any]) -> Clause:
        path = str(meta.get("path") or "")
        return cls(
            text=text,
            title=str(meta.get("title", "")),
            source=str(meta.get("source", "")),
            clause=str(meta.get("clause", "")),
            path=tuple(path.split(" › ")) if path else (),
            doc_number=str(meta.get("doc_number", "")),
            issuer=str(meta.get("issuer", "")),
            level=str(meta.get("level", "")),
            region=str(meta.get("region", "")),
            date=str(meta.get("date", "")),
            span=(int(meta.get("span_start", 0)), int(meta.get("span_end", 0))),
            policy_id=str(meta.get("policy_id", "")),
            order=int(meta.get("order", 0)),
        )


@dataclass(frozen=True)
class Hit:
    """A clause found for a query, with its fused score."""

    clause: Clause
    score: float
    coverage: float = 0.0  # idf-weighted share of the question's words found in the clause

    def to_dict(self) -> dict[str, Any]:
        c = self.clause
        return {
            "id": c.id,
            "text": c.text,
            "title": c.title,
            "doc_number": c.doc_number,
            "clause": c.clause or c.path_text,
            "path": c.path_text,
            "source": c.source,
            "level": c.level,
            "region": c.region,
            "issuer": c.issuer,
            "span": list(c.span),
            "score": round(self.score, 4),
        }


@dataclass
class Filters:
    """Optional restrictions on a search; empty fields do not filter."""

    level: str | None = None
    region: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    source: str | None = None

    def key(self) -> tuple[str | None, ...] | None:
        """A hashable form for caches (every field, so a new one cannot be left out); None when empty."""
        return None if self.is_empty() else astuple(self)

    def matches(self, clause: Clause) -> bool:
        checks = {
            "level": (self.level, clause.level),
            "region": (self.region, clause.region),
            "issuer": (self.issuer, clause.issuer),
            "doc_number": (self.doc_number, clause.doc_number),
            "source": (self.source, clause.source),
        }
        for name, (wanted, actual) in checks.items():
            if not wanted:
                continue
            if name in ("issuer", "region"):
                if wanted not in actual:
                    return False
            elif _squash(wanted) != _squash(actual):
                return False
        return True

    def is_empty(self) -> bool:
        return not any((self.level, self.region, self.issuer, self.doc_number, self.source))


def _squash(s: str) -> str:
    return "".join(s.split())
