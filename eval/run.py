"""``huiqi eval retrieval|answers|report``: run the evaluators on the gold files, print and record."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from eval.answer_eval import baseline_ask, evaluate_answers
from eval.baseline import NaiveBaseline
from eval.gold import DEFAULT_QA, EVAL_DIR, load_qa
from eval.retrieval_eval import evaluate

RETRIEVAL_KEYS = ("recall@5", "hit@5", "mrr", "mean_chars@5")
ANSWER_KEYS = ("answer_accuracy", "citation_accuracy", "refusal_accuracy", "false_refusal_rate",
               "median_answer_chars")


def retrieval_figures(assistant: Any, qa_files: list[Path], baseline: NaiveBaseline) -> dict[str, Any]:
    """Huiqi's and the baseline's retrieval figures per gold file."""
    from eval.answer_eval import citation_text

    def search(q: str, k: int) -> list[str]:
        return [citation_text(h.to_dict()) for h in assistant.kb.search(q, k)]

    out = {}
    for path in qa_files:
        items = load_qa(path)
        huiqi = evaluate(items, search)
        # The mean size counts the verbatim clause text only, like the baseline's chunks.
        huiqi["mean_chars@5"] = _mean_text_chars(assistant, items)
        out[path.name] = {"huiqi": huiqi, "baseline": evaluate(items, baseline.search)}
    return out


def _mean_text_chars(assistant: Any, items: list[Any]) -> float:
    sizes = [sum(len(h.clause.text) for h in assistant.kb.search(i.question, 5)) for i in items if i.answerable]
    return sum(sizes) / len(sizes) if sizes else 0.0


def answer_figures(assistant: Any, qa_files: list[Path], baseline: NaiveBaseline) -> dict[str, Any]:
    out = {}
    for path in qa_files:
        items = load_qa(path)
        huiqi = evaluate_answers(items, lambda q: assistant.ask(q).to_dict())
        out[path.name] = {"huiqi": huiqi, "baseline": evaluate_answers(items, baseline_ask(baseline.search))}
    return out


def run_eval(what: str, qa_files: list[Path], settings: Any, as_json: bool = False) -> int:
    from bot.assistant import Assistant

    qa_files = qa_files or DEFAULT_QA
    assistant = Assistant(settings)
    if assistant.kb.is_empty():
        raise RuntimeError("the index is empty: run `huiqi ingest` first.")
    baseline = NaiveBaseline(Path(settings.knowledge_dir))
    results: dict[str, Any] = {}
    if what in ("retrieval", "report"):
        results["retrieval"] = retrieval_figures(assistant, qa_files, baseline)
    if what in ("answers", "report"):
        results["answers"] = answer_figures(assistant, qa_files, baseline)
    if as_json:
        print(json.dumps(_strip(results), ensure_ascii=False, indent=1))
    else:
        print(_tables(results))
    if what == "report":
        from eval.report import write_report

        path = write_report(results, EVAL_DIR)
        (EVAL_DIR / "RESULTS.json").write_text(json.dumps(_strip(results), ensure_ascii=False, indent=1) + "\n")
        print(f"wrote {path} and {EVAL_DIR / 'RESULTS.json'}")
    return 0


def _strip(results: dict[str, Any]) -> dict[str, Any]:
    return {
        kind: {f: {who: {k: v for k, v in r.items() if k != "per_item"} for who, r in runs.items()}
               for f, runs in files.items()}
        for kind, files in results.items()
    }


def _tables(results: dict[str, Any]) -> str:
    lines = []
    for kind, keys in (("retrieval", RETRIEVAL_KEYS), ("answers", ANSWER_KEYS)):
        if kind not in results:
            continue
        lines.append(f"\n{kind}\n| file | system | " + " | ".join(keys) + " |")
        lines.append("|---|---|" + "---|" * len(keys))
        for name, runs in results[kind].items():
            for who, r in runs.items():
                lines.append(f"| {name} | {who} | " + " | ".join(_fmt(r[k]) for k in keys) + " |")
    return "\n".join(lines)


def _fmt(v: float) -> str:
    return f"{v:.3f}" if isinstance(v, float) and v < 10 else f"{v:.0f}"
