"""Calibrates the refusal threshold: the offline answers of every gold set at several thresholds.

The threshold (``Settings.refusal_threshold``) is the coverage of a question by its best clause
under which nothing counts as relevant; the same figure bounds which clauses are cited. Lower, more
chatty answerable questions are answered; higher, more unanswerable ones are refused. This runs the
answer evaluation of every gold set (``eval.gold.DEFAULT_QA`` but the blind ones) at each threshold and adds up, over
all sets, the answerable questions answered right, the false refusals and the unanswerable questions
refused, so the choice rests on all the questions there are, not on the set it was first tuned on.

Usage::

    .venv/bin/python benchmarks/threshold_sweep.py --data-dir data            # 0.20 to 0.44
    .venv/bin/python benchmarks/threshold_sweep.py --data-dir data --thresholds 0.34 0.40

Without ``--data-dir`` the bundled knowledge is ingested into a temporary directory first. Results go
to benchmarks/results/threshold_sweep.json and a markdown table is printed.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.assistant import Assistant  # noqa: E402
from bot.settings import Settings  # noqa: E402
from eval.answer_eval import evaluate_answers  # noqa: E402
from eval.gold import BLIND_QA, DEFAULT_QA, load_qa  # noqa: E402
from retrieval.knowledge_base import KnowledgeBase  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "threshold_sweep.json"
DEFAULT_THRESHOLDS = (0.20, 0.24, 0.28, 0.30, 0.32, 0.34, 0.36, 0.38, 0.40, 0.44)


def sweep(data_dir: Path, thresholds: list[float], files: list[Path]) -> list[dict[str, Any]]:
    """One row per threshold: per-set figures and the counts over all sets."""
    sets = {f.name: load_qa(f) for f in files}
    rows = []
    for threshold in thresholds:
        assistant = Assistant(Settings(data_dir=data_dir, refusal_threshold=threshold, llm_model=None))
        per_set, totals = {}, {"answered_right": 0, "false_refusals": 0, "refused_unanswerable": 0}

        def ask(question: str, assistant: Assistant = assistant) -> dict[str, Any]:
            return assistant.ask(question).to_dict()

        for name, items in sets.items():
            report = evaluate_answers(items, ask)
            per_set[name] = {k: round(v, 3) for k, v in report.items() if isinstance(v, float)}
            for row in report["per_item"]:
                if row["answerable"]:
                    totals["answered_right"] += bool(row["answer_ok"] and row["answered"])
                    totals["false_refusals"] += not row["answered"]
                else:
                    totals["refused_unanswerable"] += not row["answered"]
        rows.append({"threshold": threshold, "totals": totals, "sets": per_set})
        print(f"{threshold:.2f}: {totals}", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, help="an index built by the current code (default: a fresh one)")
    parser.add_argument("--thresholds", type=float, nargs="+", default=list(DEFAULT_THRESHOLDS))
    parser.add_argument("--out", type=Path, default=RESULTS)
    args = parser.parse_args()
    files = [f for f in DEFAULT_QA if f.exists() and f not in BLIND_QA]
    with tempfile.TemporaryDirectory(prefix="huiqi-sweep-") as tmp:
        data_dir = args.data_dir
        if data_dir is None:
            data_dir = Path(tmp)
            KnowledgeBase(Settings(data_dir=data_dir)).ingest([Settings().knowledge_dir])
        rows = sweep(data_dir, args.thresholds, files)
    counts = {
        "answerable": sum(1 for f in files for i in load_qa(f) if i.answerable),
        "unanswerable": sum(1 for f in files for i in load_qa(f) if not i.answerable),
    }
    args.out.write_text(
        json.dumps(
            {"measured": datetime.now(UTC).isoformat(timespec="seconds"), "questions": counts, "rows": rows},
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )
    print(f"\nover {counts['answerable']} answerable and {counts['unanswerable']} unanswerable questions\n")
    print("| threshold | answerable answered right | false refusals | unanswerable refused |")
    print("|---|---|---|---|")
    for row in rows:
        t = row["totals"]
        print(f"| {row['threshold']:.2f} | {t['answered_right']} | {t['false_refusals']} | {t['refused_unanswerable']} |")
    print(f"\nwritten to {args.out}")


if __name__ == "__main__":
    main()
