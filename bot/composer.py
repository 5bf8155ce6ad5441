"""Builds the extractive answer text and its citations from the retrieved clauses."""

from __future__ import annotations

from bot.extractive import Extract, pick_sentences
from bot.types import Citation
from retrieval.types import Hit

_LEVEL_LABEL = {"国家": "国家", "省": "省级", "市": "市级", "县": "县级"}


def select_hits(hits: list[Hit], threshold: float, limit: int = 4) -> list[Hit]:
    """The hits worth citing: close to the best one, and above the relevance threshold."""
    if not hits:
        return []
    top = hits[0]
    keep = [
        h for h in hits
        if h.coverage >= max(threshold, top.coverage * 0.6) and h.score >= top.score * 0.7
    ]
    return (keep or [top])[:limit]


def compose(
    question: str, hits: list[Hit], budget: int, idf: dict[str, float] | None = None
) -> tuple[str, list[Citation]]:
    """An answer made only of sentences copied from ``hits``, each followed by its marker."""
    extracts = pick_sentences(question, hits, budget, idf)
    if not extracts:
        extracts = [Extract(hits[0], (hits[0].clause.text[:budget],))]
    groups: dict[str, list[Extract]] = {}
    for ex in extracts:
        groups.setdefault(ex.hit.clause.policy_id or ex.hit.clause.title, []).append(ex)
    citations: list[Citation] = []
    lines: list[str] = []
    levels = [_LEVEL_LABEL.get(g[0].hit.clause.level, "") for g in groups.values()]
    several = len(groups) > 1
    if several:
        named = "、".join(dict.fromkeys(lv for lv in levels if lv))
        lines.append(f"共有 {len(groups)} 项政策涉及这个问题" + (f"（{named}）" if named else "") + "：")
    for group in groups.values():
        clause = group[0].hit.clause
        doc = f"（{clause.doc_number}）" if clause.doc_number else ""
        tag = f"【{_LEVEL_LABEL[clause.level]}】" if several and clause.level in _LEVEL_LABEL else ""
        lines.append(f"{tag}根据《{clause.title}》{doc}：")
        for ex in group:
            n = len(citations) + 1
            citations.append(Citation.from_hit(n, ex.hit))
            lines.extend(_cited_lines(ex, n))
    return "\n".join(lines), citations


def refusal(question: str, sources: int, reason: str = "") -> str:
    """The honest answer when no clause fits."""
    why = f"{reason}\n" if reason else ""
    return (
        f"未找到相关政策条款。{why}已检索：“{question}”（在已收录的 {sources} 份政策文件中）。\n"
        "建议：换一种说法再问，写明政策名称、地区或扶持类型（如“安阳 高新技术企业 奖励”）；"
        "或拨打 12345 政务服务便民热线咨询。"
    )


def _cited_lines(ex: Extract, n: int) -> list[str]:
    """The extract's sentences with its marker; a heading to show starts a line of its own, unmarked."""
    lines: list[str] = []
    current = ""
    for sentence, heading in zip(ex.sentences, ex.headings or ("",) * len(ex.sentences), strict=True):
        if heading:
            if current:
                lines.append(f"{current}[{n}]")
            lines.append(heading)
            current = ""
        current += sentence
    lines.append(f"{current}[{n}]")
    return lines
