"""Fuse the BM25 and vector rankings, then rerank the candidates by how much of the question they cover.

Measured on this corpus (eval/RESULTS.md): BM25 alone is strong and a plain reciprocal-rank fusion
with vectors is worse than BM25 alone, because the vector ranking is noisy for short Chinese
questions. So the fusion is score-based with a small vector weight over a shallow vector list, and a coverage reranker rewards clauses that contain the question's rarer
words (amount words, subsidy names) in their text or heading path.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class FusionParams:
    """The fusion's weights; the values come from the settings (tuned in benchmarks/fusion_grid.py)."""

    vector_weight: float
    depth: int
    coverage_weight: float
    vector_depth: int


@dataclass(frozen=True)
class Coverage:
    """How much of a question a set of tokens holds: the idf-weighted share of its words found,
    a word counting as found when any of its stand-ins is (高企 for 高新技术企业)."""

    weights: tuple[tuple[float, frozenset[str]], ...]
    total: float

    @classmethod
    def of(cls, groups: Iterable[tuple[str, frozenset[str]]], idf: dict[str, float]) -> Coverage:
        """Each word weighs its own idf, or its best stand-in's when the word itself is unindexed."""
        weights = tuple((idf.get(word, max((idf.get(m, 0.0) for m in members), default=0.0)), members)
                        for word, members in groups)
        return cls(weights, sum(w for w, _ in weights))

    def share(self, tokens: AbstractSet[str]) -> float:
        found = sum(w for w, members in self.weights if not members.isdisjoint(tokens))
        return found / (self.total or 1.0)


def fuse(
    lexical: np.ndarray,
    vector: dict[int, float],
    query_groups: Sequence[tuple[str, frozenset[str]]],
    clause_tokens: Sequence[frozenset[str]],
    idf: dict[str, float],
    allowed: np.ndarray | None,
    params: FusionParams,
    k: int,
) -> list[tuple[int, float, float]]:
    """Indices of the best ``k`` clauses with fused scores and coverage, best first.

    Args:
        lexical: BM25 score per clause.
        vector: clause index -> cosine similarity, for the vector candidates.
        query_groups: each question word with the words that may stand for it in a clause.
        clause_tokens: each clause's token set (text and heading path).
        idf: token -> inverse document frequency, for weighting coverage.
        allowed: boolean mask of clauses that pass the filters, or None.
        params: weights and candidate depth.
        k: how many to return.
    """
    n = len(lexical)
    if n == 0:
        return []
    lex = lexical.astype(np.float64).copy()
    if allowed is not None:
        lex[~allowed] = -1.0
    depth = min(params.depth, n)
    order = np.argsort(-lex)[:depth]
    candidates = {int(i) for i in order if lex[i] > 0}
    candidates.update(i for i in vector if allowed is None or allowed[i])
    if not candidates:
        return []
    top_lex = max(float(lex[i]) for i in candidates) or 1.0
    sims = [vector[i] for i in candidates if i in vector]
    lo, hi = (min(sims), max(sims)) if sims else (0.0, 1.0)
    span = (hi - lo) or 1.0
    coverage = Coverage.of(query_groups, idf)
    scored: list[tuple[int, float, float]] = []
    for i in candidates:
        lex_n = max(float(lex[i]), 0.0) / top_lex
        vec_n = (vector[i] - lo) / span if i in vector else 0.0
        covered = coverage.share(clause_tokens[i])
        score = (1 - params.vector_weight) * lex_n + params.vector_weight * vec_n
        scored.append((i, score + params.coverage_weight * covered, covered))
    scored.sort(key=lambda row: -row[1])
    return scored[:k]
