"""Writes eval/report.md and eval/report.png from the figures of ``huiqi eval report``."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

RETRIEVAL = ("recall@5", "hit@5", "mrr")
ANSWERS = ("answer_accuracy", "citation_accuracy", "refusal_accuracy", "false_refusal_rate")


def failures(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every answer item that missed, with why."""
    rows = []
    for name, runs in results.get("answers", {}).items():
        for r in runs["huiqi"]["per_item"]:
            if r["answerable"]:
                why = []
                if not r["answered"]:
                    why.append("refused")
                elif not r["answer_ok"]:
                    why.append("missing " + "、".join(r["missing"]))
                if not r["citation_ok"]:
                    why.append("gold clause not cited")
                if why:
                    rows.append({"file": name, "id": r["id"], "type": r["type"], "question": r["question"],
                                 "why": "; ".join(why)})
            elif not r["refusal_ok"]:
                rows.append({"file": name, "id": r["id"], "type": r["type"], "question": r["question"],
                             "why": "answered an unanswerable question"})
    return rows


def write_chart(results: dict[str, Any], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    files = list(results.get("answers", results.get("retrieval", {})))
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.5))
    for ax, kind, keys in ((axes[0], "retrieval", RETRIEVAL), (axes[1], "answers", ANSWERS)):
        data = results.get(kind, {})
        width = 0.8 / (2 * max(len(data), 1))
        for j, (name, runs) in enumerate(data.items()):
            for k, who in enumerate(("huiqi", "baseline")):
                offset = (2 * j + k) * width
                values = [runs[who][key] for key in keys]
                ax.bar([i + offset for i in range(len(keys))], values, width, label=f"{who} · {name}")
        ax.set_xticks([i + 0.4 - width / 2 for i in range(len(keys))], keys, rotation=15, fontsize=8)
        ax.set_ylim(0, 1.05)
        ax.set_title(kind)
        ax.legend(fontsize=7, loc="lower left")
    counts = Counter(row["type"] for row in failures(results))
    axes[2].barh(list(counts), list(counts.values()), color="#c0392b")
    axes[2].set_title(f"failures by question type ({len(files)} gold files)")
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def write_report(results: dict[str, Any], directory: Path) -> Path:
    """Markdown tables of both evaluations, the chart, and every failure by question type."""
    chart = directory / "report.png"
    write_chart(results, chart)
    lines = ["# Evaluation report", "", "Made by `make eval` (`huiqi eval report`). Baseline: "
             "LangChain RecursiveCharacterTextSplitter 500/50 over the raw files, ranked by BM25; "
             "for answers, its top two chunks pasted as the answer.", "", f"![metrics]({chart.name})", ""]
    for kind, keys in (("retrieval", (*RETRIEVAL, "mean_chars@5")), ("answers", (*ANSWERS, "median_answer_chars"))):
        if kind not in results:
            continue
        lines += [f"## {kind}", "", "| gold file | system | " + " | ".join(keys) + " |",
                  "|---|---|" + "---|" * len(keys)]
        for name, runs in results[kind].items():
            for who in ("huiqi", "baseline"):
                r = runs[who]
                cells = [f"{r[k]:.3f}" if r[k] <= 1.0 else f"{r[k]:.0f}" for k in keys]
                lines.append(f"| {name} | {who} | " + " | ".join(cells) + " |")
        lines.append("")
    rows = failures(results)
    lines += ["## Failures by question type", ""]
    for qtype in sorted({r["type"] for r in rows}):
        lines.append(f"### {qtype}")
        lines += [f"- `{r['id']}` {r['question']} — {r['why']}" for r in rows if r["type"] == qtype]
        lines.append("")
    path = directory / "report.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
