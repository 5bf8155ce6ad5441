"""What embedding less of each clause buys: ingest time against retrieval quality (HUIQI_VECTOR_CHARS).

Usage::

    .venv/bin/python benchmarks/vector_chars.py              # 0 (whole clause), 192 and 128 characters
    .venv/bin/python benchmarks/vector_chars.py 0 256 160

For each limit: a fresh temporary index with the default embedding (e5), the ingest timed, then
recall@5 and MRR on eval/qa.jsonl and eval/dev_qa.jsonl through the product's search. The embedding
cost grows with every token embedded, so the limit is the one lever on e5's ingest time; BM25 always
sees the whole clause. Writes benchmarks/results/vector_chars.json and prints a markdown table.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.gold_figures import figures, table  # noqa: E402
from retrieval.knowledge_base import KnowledgeBase  # noqa: E402
from retrieval.settings import RetrievalSettings  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "vector_chars.json"


def measure(limit: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"bench-chars-{limit}-") as folder:
        settings = RetrievalSettings(
            _env_file=None,  # type: ignore[call-arg]
            data_dir=Path(folder),
            knowledge_dir=ROOT / "knowledge",
            chroma_url=None,
            vector_chars=limit,
            search_cache_size=0,
        )
        kb = KnowledgeBase(settings)
        started = time.perf_counter()
        report = kb.ingest([settings.knowledge_dir])
        row: dict[str, Any] = {"vector_chars": limit, "ingest_s": round(time.perf_counter() - started, 1),
                               "clauses": report.clauses, "load_avg_1m": round(os.getloadavg()[0], 2)}
        row.update(figures(kb))
        return row


def main(argv: list[str]) -> int:
    for key in [k for k in os.environ if k.startswith("HUIQI_")]:
        del os.environ[key]
    limits = [int(a) for a in argv] or [0, 192, 128]
    rows = []
    for limit in limits:
        rows.append(measure(limit))
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(
        json.dumps({"date": datetime.now(UTC).isoformat(timespec="seconds"), "cpus": os.cpu_count(), "rows": rows},
                   ensure_ascii=False, indent=1) + "\n",
        encoding="utf-8",
    )
    print("\n" + table(["vector_chars", "ingest (s)"], rows, lambda r: [r["vector_chars"] or "all", r["ingest_s"]]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
