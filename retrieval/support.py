"""Questions that ask what support there is, or what a term means, and the clauses that say it.

"我们刚认定为高新技术企业，能申请什么？" and "专精特新小巨人有哪些奖励？" want the support itself, its
sums and shares. The clauses that match their words best are often the ones that define or
regulate the subject (the 小巨人 standards); the ones that grant support come first instead.
Likewise "怎么才算满负荷？" wants the clause that says what 满负荷生产 "是指", which the same words
rank level with every other clause of its policy.
"""

from __future__ import annotations

import re

from retrieval.lexical import tokenize
from retrieval.types import Hit
from retrieval.vocabulary import ABBREVIATIONS

ASKS_SUPPORT = re.compile(
    r"能(?:申请|申报|享受|拿|领|获得|得到)(?:到)?(?:什么|哪些|啥)(?!材料|资料|证明|手续|部门|单位|时候|条件|要求)"
    r"|有(?:什么|哪些|啥)(?:优惠|奖励|补贴|补助|好处|奖补|扶持政策|支持政策|优惠政策|政策)"
    r"(?!文件|依据|要求|条件|规定|材料|限制)"
)
# a sentence that grants support: a sum or share, or a word of granting beside a figure
GRANTS = re.compile(
    r"(?:给予|奖励|补贴|补助|奖补|贴息|减免|免征|减半|返还).{0,40}?\d+(?:\.\d+)?\s*(?:万元|亿元|元|%|％)"
    r"|\d+(?:\.\d+)?\s*(?:万元|亿元|元|%|％).{0,12}?(?:奖励|补贴|补助|奖补|贴息)"
)
# "怎么才算满负荷" asks what a term means; "稳岗返还怎么算" asks how a sum is worked out, and is not here
ASKS_DEFINITION = re.compile(r"才算|算不算|什么是|什么叫|指什么|指的是|是什么意思|如何界定|怎么界定|怎么认定为")
# a sentence that defines a term
DEFINES = re.compile(r"是指|指的是|系指|界定为|定义为")
SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")
SHORT_LEAD = 20  # characters: a sentence this short before another names what that one is about
MIN_GRANTING_SHARE = 0.5  # of the question's words a granting sentence must name to lead


POOL = 20  # candidates a granting clause may come from, whatever the number asked for
MIN_SCORE_RATIO = 0.75  # of the best score: a granting clause much weaker than the best stays put


def leading_first(question: str, hits: list[Hit], idf: dict[str, float]) -> list[Hit]:
    """The hits reordered for a question that asks for support or for a definition; else as they are."""
    says = _what_leads(question)
    return hits if says is None else _saying_first(question, hits, idf, says)


def asks_to_reorder(question: str) -> bool:
    """Whether leading_first may reorder the hits, so that search draws them from POOL candidates."""
    return _what_leads(question) is not None


def _what_leads(question: str) -> re.Pattern[str] | None:
    """The kind of sentence whose clauses lead for this question: one granting support, one
    defining a term, or none."""
    if ASKS_SUPPORT.search(question):
        return GRANTS
    if ASKS_DEFINITION.search(question):
        return DEFINES
    return None


def _with_short_lead(text: str) -> list[str]:
    """The text's sentences, each with the one before it when that one is a short lead: in
    "（二）满负荷生产。是指日均用电量…", the term is the sentence before the one that defines it."""
    sentences = SENTENCE.findall(text)
    leads = ["", *sentences[:-1]]
    return [(lead if len(lead) <= SHORT_LEAD else "") + s for lead, s in zip(leads, sentences, strict=True)]


_QUESTION_SENTENCE = re.compile(r"[^。！？?!]*[？?]")


def _asked(question: str) -> str:
    """The question's sentences that end in a question mark, without the telling ones before them
    ("申报专精特新中小企业，材料里老说“主导产品”。什么样的产品才算主导产品？"); all of it when none does."""
    return "".join(_QUESTION_SENTENCE.findall(question)) or question


def _saying_first(question: str, hits: list[Hit], idf: dict[str, float], says: re.Pattern[str]) -> list[Hit]:
    """The clauses with a sentence that matches ``says`` about the question's subject, then the
    rest, each in order.

    A clause leads when one of its sentences (with a short lead sentence before it, see
    _with_short_lead) matches ``says`` (grants a sum or share, or defines a term) and names at
    least MIN_GRANTING_SHARE of the question's words (IDF-weighted; an abbreviation counts when its
    full form is there), so an award for something else under the same heading earns nothing; and
    when its score is within MIN_SCORE_RATIO of the best one.
    """
    if not hits:
        return hits
    floor = MIN_SCORE_RATIO * hits[0].score
    words = set(tokenize(_asked(question)))
    total = sum(idf.get(w, 1.0) for w in words) or 1.0

    def share(sentence: str) -> float:
        named = (w for w in words if w in sentence or any(full in sentence for full in ABBREVIATIONS.get(w, ())))
        return sum(idf.get(w, 1.0) for w in named) / total

    def leads(hit: Hit) -> bool:
        return hit.score >= floor and any(
            says.search(s) and share(s) >= MIN_GRANTING_SHARE for s in _with_short_lead(hit.clause.text)
        )

    return sorted(hits, key=lambda h: not leads(h))
