"""A tier asked about that the cited clauses price only beside it: "培养技师，每人每年补多少" when
the clause gives "中级工每人每年5000元、高级工每人每年6000元" and no sum for 技师. Measured on the
gold sets (eval/RESULTS.md)."""

from __future__ import annotations

import re

from bot.asking import asked_text
from bot.figures import asks_for_money
from retrieval.support import SENTENCE
from retrieval.types import Hit

# the tiers that clauses list side by side, each family in order
FAMILIES = (
    ("初级工", "中级工", "高级工", "技师", "高级技师"),
    ("特等奖", "一等奖", "二等奖", "三等奖"),
)
_PRICE = re.compile(r"\d+(?:\.\d+)?\s*(?:万元|亿元|元|%|％)")


def unpriced_tier(question: str, hits: list[Hit]) -> tuple[str, list[str]] | None:
    """The tier a question asks a sum for, and the tiers of its family the cited clauses price in
    its stead, when no cited sentence naming the tier states a sum; None when they do, or when no
    cited sentence lists two tiers of the family with sums."""
    if not asks_for_money(question):
        return None
    asked = asked_text(question) or question
    sentences = [s for hit in hits for s in SENTENCE.findall(hit.clause.text)]
    for family in FAMILIES:
        wanted = [t for t in family if _names(t, asked)]
        if len(wanted) != 1:
            continue  # none, or several compared: each may be priced elsewhere
        tier = wanted[0]
        if any(_names(tier, s) and _PRICE.search(s) for s in sentences):
            return None
        priced = [t for t in family if any(_names(t, s) and _PRICE.search(s) for s in sentences)]
        if len(priced) >= 2:
            return tier, priced
    return None


def _names(tier: str, text: str) -> bool:
    """Whether ``text`` names ``tier`` itself: 技师 not as part of 高级技师, 一等奖 also as 一、二、三等奖."""
    if tier == "技师":
        return re.search(r"(?<!高级)技师", text) is not None
    if tier.endswith("等奖"):
        grade = tier[0]
        return (
            re.search(rf"{grade}等奖|{grade}[、，,][一二三特、，,]*等奖|[一二三特][、，,]{grade}等奖", text)
            is not None
        )
    return tier in text
