"""recall@5 and MRR of a knowledge base on both gold sets, judged as `huiqi eval retrieval` judges."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from eval.answer_eval import citation_text
from eval.gold import GATED_QA, load_qa
from eval.retrieval_eval import evaluate
from retrieval.knowledge_base import KnowledgeBase

HEADER = ["recall@5 ours", "MRR ours", "recall@5 dev", "MRR dev"]


def figures(kb: KnowledgeBase, paths: Sequence[Path] = tuple(GATED_QA)) -> dict[str, dict[str, float]]:
    """Per gold file: recall@5 and MRR, a citation read as a reader sees it (title, 文号, text)."""
    out = {}
    for path in paths:
        scores = evaluate(load_qa(path), lambda q, k: [citation_text(h.to_dict()) for h in kb.search(q, k)])
        out[path.name] = {"recall@5": round(scores["recall@5"], 4), "mrr": round(scores["mrr"], 4)}
    return out


def table(columns: list[str], rows: list[dict[str, Any]], lead: Callable[[dict[str, Any]], list[object]]) -> str:
    """A markdown table: ``lead(row)`` under ``columns``, then the row's four figures under HEADER."""
    lines = [
        "| " + " | ".join(columns + HEADER) + " |",
        "|" + "---:|" * (len(columns) + len(HEADER)),
    ]
    for row in rows:
        ours, dev = row["qa.jsonl"], row["dev_qa.jsonl"]
        cells = [*lead(row), ours["recall@5"], ours["mrr"], dev["recall@5"], dev["mrr"]]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    return "\n".join(lines)
