"""The fusion's weights, tuned on both gold sets: recall@5 and MRR over a small grid.

Usage::

    HUIQI_DATA_DIR=data .venv/bin/python benchmarks/fusion_grid.py      # after `huiqi ingest`

Every setting runs in a fresh process (its query vectors computed as a new server would) with
HUIQI_VECTOR_WEIGHT, HUIQI_COVERAGE_WEIGHT and HUIQI_VECTOR_DEPTH set and the result cache off,
through the product's search, judged as `huiqi eval retrieval` judges. Grid: vector weight
0.3/0.4/0.5, coverage weight 0.8/1.0/1.2, vector candidates 20/30. Writes
benchmarks/results/fusion_grid.json and prints a markdown table.
"""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.gold_figures import figures, table  # noqa: E402
from retrieval.knowledge_base import KnowledgeBase  # noqa: E402
from retrieval.settings import RetrievalSettings  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "fusion_grid.json"
GRID = list(itertools.product((0.3, 0.4, 0.5), (0.8, 1.0, 1.2), (20, 30)))


def one() -> dict[str, object]:
    """recall@5 and MRR of the settings in the environment, on both gold sets."""
    settings = RetrievalSettings(search_cache_size=0)
    row: dict[str, object] = {
        "vector_weight": settings.vector_weight,
        "coverage_weight": settings.coverage_weight,
        "vector_depth": settings.vector_depth,
    }
    row.update(figures(KnowledgeBase(settings)))
    return row


def main() -> int:
    rows = []
    for vw, cw, vd in GRID:
        env = dict(os.environ, HUIQI_VECTOR_WEIGHT=str(vw), HUIQI_COVERAGE_WEIGHT=str(cw), HUIQI_VECTOR_DEPTH=str(vd))
        done = subprocess.run(
            [sys.executable, __file__, "--one"], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        if done.returncode != 0:
            print(f"the run for {vw}/{cw}/{vd} failed (its error is above)", file=sys.stderr)
            return done.returncode
        rows.append(json.loads(done.stdout.strip().splitlines()[-1]))
        print(json.dumps(rows[-1]), flush=True)
    RESULTS.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")
    columns = ["vector weight", "coverage weight", "vector candidates"]
    print("\n" + table(columns, rows, lambda r: [r["vector_weight"], r["coverage_weight"], r["vector_depth"]]))
    return 0


if __name__ == "__main__":
    if "--one" in sys.argv:
        print(json.dumps(one()))
        raise SystemExit(0)
    raise SystemExit(main())
