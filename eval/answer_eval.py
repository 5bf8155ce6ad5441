"""Answer evaluation: answer accuracy, citation accuracy, refusals, answer length, beside a baseline.

Usage:
    >>> from eval.answer_eval import evaluate_answers
    >>> report = evaluate_answers(items, ask=lambda q: assistant.ask(q).to_dict())
    >>> report["answer_accuracy"]
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Sequence
from typing import Any

from eval.gold import QAItem, finds, includes

AskFn = Callable[[str], dict[str, Any]]


def citation_text(c: dict[str, Any]) -> str:
    """What a reader sees of a citation: policy, 文号 and the verbatim clause."""
    return f"{c.get('title', '')}（{c.get('doc_number', '')}）\n{c.get('text', '')}"


def evaluate_answers(items: Sequence[QAItem], ask: AskFn) -> dict[str, Any]:
    """Score an answer function; ``ask`` returns the answer structure as a dict."""
    rows = []
    for item in items:
        out = ask(item.question)
        answer = out.get("answer", "")
        cited = [citation_text(c) for c in out.get("citations", [])]
        row: dict[str, Any] = {
            "id": item.id,
            "type": item.type,
            "question": item.question,
            "answerable": item.answerable,
            "answered": bool(out.get("answered")),
            "chars": len(answer),
        }
        if item.answerable:
            row["answer_ok"] = bool(out.get("answered")) and all(includes(answer, m) for m in item.must_include)
            # a refusal may cite the clause it quotes; citing right is only credited to an answer
            found = any(finds(t, g.quote) for t in cited for g in item.gold) if item.gold else True
            row["citation_ok"] = bool(out.get("answered")) and found
            row["missing"] = [m for m in item.must_include if not includes(answer, m)]
        else:
            row["refusal_ok"] = not out.get("answered")
        rows.append(row)
    answerable = [r for r in rows if r["answerable"]]
    unanswerable = [r for r in rows if not r["answerable"]]
    answered_lengths = [r["chars"] for r in answerable if r["answered"]] or [0]

    def share(rs: list[dict[str, Any]], key: str) -> float:
        return sum(bool(r[key]) for r in rs) / len(rs) if rs else 0.0

    return {
        "answer_accuracy": share(answerable, "answer_ok"),
        "citation_accuracy": share(answerable, "citation_ok"),
        "refusal_accuracy": share(unanswerable, "refusal_ok"),
        "false_refusal_rate": sum(not r["answered"] for r in answerable) / len(answerable) if answerable else 0.0,
        "median_answer_chars": statistics.median(answered_lengths),
        "questions": len(rows),
        "per_item": rows,
    }


def baseline_ask(search: Callable[[str, int], list[str]]) -> AskFn:
    """The naive baseline: the top two raw 500-character chunks pasted as the answer."""

    def ask(question: str) -> dict[str, Any]:
        chunks = search(question, 2)
        return {
            "answer": "\n".join(chunks),
            "citations": [{"title": "", "doc_number": "", "text": c} for c in chunks],
            "answered": bool(chunks),
        }

    return ask
