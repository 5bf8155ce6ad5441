"""Answer latency, offline extractive mode, warm, in-process (issue 3 target: p95 ≤ 100 ms).

Usage::

    .venv/bin/python benchmarks/bench_answers.py    # figures to benchmarks/results/answers.json

Ingests knowledge/ into a temporary data directory with the default settings, warms up, then asks
every question of eval/qa.jsonl and eval/dev_qa.jsonl (repeated to at least 500 answers), each in a
new session, and records p50/p95/p99.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.assistant import Assistant  # noqa: E402
from bot.settings import Settings  # noqa: E402
from eval.gold import load_qa  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "answers.json"
TARGET_P95_MS = 100.0
MIN_ANSWERS = 500


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> int:
    questions = [i.question for f in ("qa.jsonl", "dev_qa.jsonl") for i in load_qa(ROOT / "eval" / f)]
    with tempfile.TemporaryDirectory(prefix="huiqi-bench-") as folder:
        settings = Settings(_env_file=None, data_dir=Path(folder), knowledge_dir=ROOT / "knowledge",  # type: ignore[call-arg]
                            chroma_url=None, llm_model=None)
        assistant = Assistant(settings)
        assistant.kb.ingest([ROOT / "knowledge"])
        for q in questions[:20]:
            assistant.ask(q)  # warm-up: jieba, the embedding model, Chroma's caches
        timings: list[float] = []
        modes: dict[str, int] = {}
        while len(timings) < MIN_ANSWERS:
            for q in questions:
                started = time.perf_counter()
                answer = assistant.ask(q)
                timings.append((time.perf_counter() - started) * 1000)
                modes[answer.mode] = modes.get(answer.mode, 0) + 1
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "load_avg_1m": os.getloadavg()[0],
        "answers": len(timings),
        "distinct_questions": len(questions),
        "modes": modes,
        "p50_ms": round(percentile(timings, 0.50), 2),
        "p95_ms": round(percentile(timings, 0.95), 2),
        "p99_ms": round(percentile(timings, 0.99), 2),
        "mean_ms": round(statistics.mean(timings), 2),
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": percentile(timings, 0.95) <= TARGET_P95_MS,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("| answers | p50 ms | p95 ms | p99 ms | target p95 | load |")
    print("|---|---|---|---|---|---|")
    print(f"| {result['answers']} | {result['p50_ms']} | {result['p95_ms']} | {result['p99_ms']} | "
          f"≤ {TARGET_P95_MS} | {result['load_avg_1m']:.1f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
