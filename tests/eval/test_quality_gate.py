"""Quality gate: the project's own figures against the targets of the issues (not timings).

A target that the project does not meet yet (by eval/RESULTS.json) is an ``xfail`` with the measured
figure in its reason: it documents the gap without failing the build. It is not strict because
some figures sit within a hair of their target and HNSW search may reorder near-ties between
builds. Every figure is also held to the value recorded in eval/RESULTS.json, so no change makes
it worse than what was measured.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.assistant import Assistant
from bot.settings import Settings
from eval.baseline import NaiveBaseline
from eval.gold import GATED_QA
from eval.run import answer_figures, retrieval_figures

ROOT = Path(__file__).resolve().parents[2]
GOLD = GATED_QA
RECORDED = json.loads((ROOT / "eval" / "RESULTS.json").read_text(encoding="utf-8"))
TOLERANCE = 0.02

# (evaluation, metric, comparison, target)
TARGETS = [
    ("retrieval", "recall@5", ">=", 0.97),
    ("retrieval", "mrr", ">=", 0.90),
    ("retrieval", "mean_chars@5", "<=", 2000),
    ("answers", "answer_accuracy", ">=", 0.90),
    ("answers", "citation_accuracy", ">=", 0.95),
    ("answers", "refusal_accuracy", ">=", 0.90),
    ("answers", "false_refusal_rate", "<=", 0.05),
    ("answers", "median_answer_chars", "<=", 600),
]


@pytest.fixture(scope="module")
def figures(shared_settings: Settings) -> dict[str, Any]:
    assistant = Assistant(shared_settings)
    baseline = NaiveBaseline(ROOT / "knowledge")
    return {
        "retrieval": retrieval_figures(assistant, GOLD, baseline),
        "answers": answer_figures(assistant, GOLD, baseline),
    }


def _meets(value: float, op: str, target: float) -> bool:
    return value >= target if op == ">=" else value <= target


def _cases() -> list[Any]:
    cases = []
    for kind, metric, op, target in TARGETS:
        for gold in GOLD:
            recorded = RECORDED[kind][gold.name]["huiqi"][metric]
            marks = []
            if not _meets(recorded, op, target):
                marks.append(pytest.mark.xfail(strict=False, reason=f"measured {recorded:.3f}, target {op} {target}"))
            cases.append(pytest.param(kind, metric, op, target, gold.name, marks=marks, id=f"{gold.name}-{metric}"))
    return cases


@pytest.mark.parametrize(("kind", "metric", "op", "target", "gold"), _cases())
def test_target(figures: dict[str, Any], kind: str, metric: str, op: str, target: float, gold: str) -> None:
    value = figures[kind][gold]["huiqi"][metric]
    assert _meets(value, op, target), f"{metric} on {gold}: {value:.3f}, target {op} {target}"


@pytest.mark.parametrize(("kind", "metric", "op"), [(k, m, o) for k, m, o, _ in TARGETS])
def test_no_worse_than_recorded(figures: dict[str, Any], kind: str, metric: str, op: str) -> None:
    for gold in GOLD:
        value = figures[kind][gold.name]["huiqi"][metric]
        recorded = RECORDED[kind][gold.name]["huiqi"][metric]
        slack = TOLERANCE if recorded <= 1.0 else 0.1 * recorded
        if op == ">=":
            assert value >= recorded - slack, f"{metric} on {gold.name} fell to {value:.3f} from {recorded:.3f}"
        else:
            assert value <= recorded + slack, f"{metric} on {gold.name} rose to {value:.3f} from {recorded:.3f}"


def test_retrieval_beats_the_naive_baseline(figures: dict[str, Any]) -> None:
    for gold in GOLD:
        runs = figures["retrieval"][gold.name]
        assert runs["huiqi"]["mrr"] > runs["baseline"]["mrr"], gold.name
        assert runs["huiqi"]["recall@5"] >= runs["baseline"]["recall@5"], gold.name


def test_answers_beat_the_naive_baseline(figures: dict[str, Any]) -> None:
    for gold in GOLD:
        runs = figures["answers"][gold.name]
        assert runs["huiqi"]["answer_accuracy"] > runs["baseline"]["answer_accuracy"], gold.name
        assert runs["huiqi"]["citation_accuracy"] > runs["baseline"]["citation_accuracy"], gold.name
