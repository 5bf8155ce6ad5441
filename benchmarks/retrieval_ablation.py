"""How each part of hybrid retrieval earns its place: recall@5 and MRR of the variants, same index.

Usage::

    HUIQI_DATA_DIR=data .venv/bin/python benchmarks/retrieval_ablation.py   # after `huiqi ingest`

Variants: word BM25 alone; word+bigram BM25; vectors alone; plain reciprocal-rank fusion of BM25
and vectors (k=60); Huiqi's hybrid (score fusion + coverage rerank, the product's code path).
Writes benchmarks/results/retrieval_ablation.json and prints a markdown table.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from eval.answer_eval import citation_text  # noqa: E402
from eval.gold import GATED_QA, load_qa  # noqa: E402
from eval.retrieval_eval import evaluate  # noqa: E402
from retrieval.knowledge_base import KnowledgeBase  # noqa: E402
from retrieval.lexical import expand_query, query_tokens  # noqa: E402
from retrieval.settings import RetrievalSettings  # noqa: E402
from retrieval.types import Hit  # noqa: E402


def main() -> int:
    kb = KnowledgeBase(RetrievalSettings())
    if kb.is_empty():
        print("the index is empty: run `huiqi ingest` first.", file=sys.stderr)
        return 1
    view = kb._view  # a benchmark may look inside; the product does not
    texts = [citation_text(Hit(view.clauses[cid], 0).to_dict()) for cid in view.ids]
    n = len(view.ids)

    def words(q: str) -> np.ndarray:
        return view.lexical._words.scores(query_tokens(q), n)  # type: ignore[union-attr]

    def blended(q: str) -> np.ndarray:
        return view.lexical.scores(query_tokens(q), expand_query(q))

    def vectors(q: str) -> dict[int, float]:
        assert kb._store is not None
        return {view.pos[c]: s for c, s in kb._store.query(q, 40) if c in view.pos}

    def top(scores: np.ndarray, k: int) -> list[int]:
        return [int(i) for i in np.argsort(-scores)[:k] if scores[i] > 0]

    def rrf(q: str, k: int) -> list[int]:
        fused: dict[int, float] = {}
        for rank, i in enumerate(top(words(q), 40)):
            fused[i] = fused.get(i, 0.0) + 1 / (60 + rank)
        for rank, (i, _) in enumerate(sorted(vectors(q).items(), key=lambda p: -p[1])):
            fused[i] = fused.get(i, 0.0) + 1 / (60 + rank)
        return sorted(fused, key=lambda i: -fused[i])[:k]

    variants: dict[str, Callable[[str, int], list[int]]] = {
        "word BM25": lambda q, k: top(words(q), k),
        "word + bigram BM25": lambda q, k: top(blended(q), k),
        "vectors": lambda q, k: [i for i, _ in sorted(vectors(q).items(), key=lambda p: -p[1])][:k],
        "RRF(word BM25, vectors)": rrf,
        "Huiqi hybrid": lambda q, k: [view.pos[h.clause.id] for h in kb.search(q, k)],
    }
    results: dict[str, dict[str, dict[str, float]]] = {}
    for name, ranker in variants.items():
        results[name] = {}
        for path in GATED_QA:
            report = evaluate(load_qa(path), lambda q, k, r=ranker: [texts[i] for i in r(q, k)])  # type: ignore[misc]
            results[name][path.name] = {m: round(report[m], 3) for m in ("recall@5", "mrr")}
    out = {"embedder": kb.embedder_name, "clauses": n, "variants": results}
    target = ROOT / "benchmarks" / "results" / "retrieval_ablation.json"
    target.write_text(json.dumps(out, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"embedder: {kb.embedder_name}, {n} clauses\n")
    print("| variant | qa.jsonl recall@5 | qa.jsonl MRR | dev_qa recall@5 | dev_qa MRR |")
    print("|---|---|---|---|---|")
    for name, r in results.items():
        a, b = r["qa.jsonl"], r["dev_qa.jsonl"]
        print(f"| {name} | {a['recall@5']} | {a['mrr']} | {b['recall@5']} | {b['mrr']} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
