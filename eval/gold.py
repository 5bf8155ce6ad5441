"""Gold Q&A pairs (the shared format) and the rule for when a text finds a gold quote."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from pathlib import Path

EVAL_DIR = Path(__file__).resolve().parent
GATED_QA = [EVAL_DIR / "qa.jsonl", EVAL_DIR / "dev_qa.jsonl"]  # the sets the issues' targets are on
DEFAULT_QA = [*GATED_QA, *(EVAL_DIR / f"holdout{n}_qa.jsonl" for n in ("", *range(2, 35)))]
# held out from every choice made on the figures (calibration sweeps): measured, never tuned on
BLIND_QA = [EVAL_DIR / "holdout8_qa.jsonl"]


@dataclass(frozen=True)
class GoldQuote:
    file: str
    quote: str


@dataclass(frozen=True)
class QAItem:
    id: str
    question: str
    type: str
    answerable: bool
    gold: tuple[GoldQuote, ...] = ()
    must_include: tuple[str, ...] = ()
    note: str = ""
    extra: dict[str, object] = field(default_factory=dict)


def load_qa(path: Path) -> list[QAItem]:
    """Read a JSONL file of gold items; blank lines are skipped."""
    items = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"{path}:{n}: not valid JSON ({exc.msg}).") from exc
        items.append(
            QAItem(
                id=str(row["id"]),
                question=row["question"],
                type=row.get("type", ""),
                answerable=bool(row.get("answerable", True)),
                gold=tuple(GoldQuote(g["file"], g["quote"]) for g in row.get("gold", [])),
                must_include=tuple(row.get("must_include", [])),
                note=row.get("note", ""),
            )
        )
    return items


def squash(text: str) -> str:
    return "".join(text.split())


def finds(text: str, quote: str) -> bool:
    """Whitespace removed, ``text`` contains ``quote`` or shares a run of ≥60% of its length."""
    t, q = squash(text), squash(quote)
    if not q:
        return False
    if q in t:
        return True
    match = SequenceMatcher(None, t, q, autojunk=False).find_longest_match(0, len(t), 0, len(q))
    return match.size >= 0.6 * len(q)


def includes(answer: str, must: str) -> bool:
    """A must_include string is present in the answer, whitespace ignored."""
    return squash(must) in squash(answer)


def questions(paths: list[Path]) -> list[str]:
    """The questions of the gold files, in order (the benchmarks' workload)."""
    return [item.question for path in paths for item in load_qa(path)]
