"""Retrieval evaluation: recall@k, hit@k, MRR and mean top-k characters, beside a naive baseline.

Usage:
    >>> from eval.retrieval_eval import evaluate
    >>> report = evaluate(items, search=lambda q, k: [text, ...], k=5)
    >>> report["recall@5"]
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from eval.gold import QAItem, finds

SearchFn = Callable[[str, int], Sequence[str]]


def evaluate(items: Sequence[QAItem], search: SearchFn, k: int = 5) -> dict[str, Any]:
    """Score a search function on the answerable items.

    Returns a dict with ``recall@k`` (share of gold quotes found in the top k, averaged per
    question), ``hit@k`` (share of questions with any gold quote in the top k), ``mrr`` (by the
    first text that finds a gold quote), ``mean_chars@k`` and ``per_item`` rows.
    """
    rows: list[dict[str, Any]] = []
    for item in items:
        if not item.answerable or not item.gold:
            continue
        texts = list(search(item.question, k))[:k]
        found = [any(finds(t, g.quote) for t in texts) for g in item.gold]
        rank = next((r for r, t in enumerate(texts, 1) if any(finds(t, g.quote) for g in item.gold)), None)
        rows.append(
            {
                "id": item.id,
                "type": item.type,
                "question": item.question,
                "recall": sum(found) / len(found),
                "hit": rank is not None,
                "rr": 1.0 / rank if rank else 0.0,
                "rank": rank,
                "chars": sum(len(t) for t in texts),
            }
        )
    n = len(rows) or 1
    return {
        f"recall@{k}": sum(r["recall"] for r in rows) / n,
        f"hit@{k}": sum(r["hit"] for r in rows) / n,
        "mrr": sum(r["rr"] for r in rows) / n,
        f"mean_chars@{k}": sum(r["chars"] for r in rows) / n,
        "questions": len(rows),
        "per_item": rows,
    }
