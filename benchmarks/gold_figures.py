"""recall@5 and MRR of a knowledge base on both gold sets, judged as `huiqi eval retrieval` judges."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from eval.answer_eval import citation_text
from eval.gold import load_qa
from eval.retrieval_eval import evaluate
from retrieval.knowledge_base import KnowledgeBase

ROOT = Path(__file__).resolve().parents[1]
GOLD = ("qa.jsonl", "dev_qa.jsonl")
HEADER = "recall@5 ours | MRR ours | recall@5 dev | MRR dev"


def figures(kb: KnowledgeBase) -> dict[str, dict[str, float]]:
    """Per gold file: recall@5 and MRR, a citation read as a reader sees it (title, 文号, text)."""
    out = {}
    for name in GOLD:
        scores = evaluate(load_qa(ROOT / "eval" / name),
                          lambda q, k: [citation_text(h.to_dict()) for h in kb.search(q, k)])
        out[name] = {"recall@5": round(scores["recall@5"], 4), "mrr": round(scores["mrr"], 4)}
    return out


def cells(row: dict[str, Any]) -> str:
    """The four figures of a row as markdown table cells, in HEADER's order."""
    ours, dev = row["qa.jsonl"], row["dev_qa.jsonl"]
    return f"{ours['recall@5']} | {ours['mrr']} | {dev['recall@5']} | {dev['mrr']}"
