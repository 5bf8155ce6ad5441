"""The offline answer: the sentences of the retrieved clauses that answer the question, each cited.

It never writes a fact of its own: every sentence in the body is copied from a cited clause, and
the connecting words are fixed phrases ("根据…", "涉及…").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.lexical import query_tokens, tokenize
from retrieval.types import Hit

_SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")
_NUMBER = re.compile(r"\d|[一二三四五六七八九十百千万两]+(?:个|年|月|天|日|倍|项|家|次)")
_INTENTS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    # question words -> what a sentence that answers them contains
    "amount": (
        re.compile(r"多少|几|比例|最高|最多|上限|封顶|额度|金额|标准|补贴|补助|奖励|奖补|贴息|减免|退税|费率"),
        re.compile(r"\d+(?:\.\d+)?\s*(?:万元|亿元|元|%|％|个月|年|倍|家|个|人)|不超过|最高|全额|减半|免收|按.{0,10}给予"),
    ),
    "eligibility": (
        re.compile(r"条件|要求|资格|符合|能不能|能否|可以吗|能申请|够不够|算不算|哪些企业|什么企业|门槛"),
        re.compile(r"条件|不低于|不少于|以上|须|应当|具有|符合|满足|年度|占|比重"),
    ),
    "procedure": (
        re.compile(r"怎么|如何|流程|程序|手续|申报|办理|多久|几天|期限|什么时候|截止|材料|证明|提交|找谁|哪个部门"),
        re.compile(r"申报|提交|提供|材料|证明|盖章|受理|审核|流程|日内|个工作日|之前|前|截止|负责|登录|系统"),
    ),
    "document": (
        re.compile(r"文号|哪个文件|什么文件|哪份文件|哪个部门|谁制定|谁发布|出台|施行|实施|生效|有效期"),
        re.compile(r"施行|实施|印发|有效期|执行|起|制定|发布|〔\d{4}〕"),
    ),
}


_JUNK = re.compile(r"附件[:：\d]|联系电话|联系人|邮箱|@|https?://|www\.|申报汇总表|情况表|^[各有关].{2,40}[:：]$")


@dataclass(frozen=True)
class Extract:
    """Sentences picked from one hit, in their order in the clause."""

    hit: Hit
    sentences: tuple[str, ...]


def intents(question: str) -> list[str]:
    return [name for name, (asks, _) in _INTENTS.items() if asks.search(question)]


def pick_sentences(question: str, hits: list[Hit], budget: int) -> list[Extract]:
    """Choose the sentences that answer ``question``, within ``budget`` characters overall."""
    q_tokens = set(query_tokens(question))
    wanted = intents(question)
    extracts: list[Extract] = []
    used = 0
    best_overall = 0.0
    for rank, hit in enumerate(hits):
        sentences = [s.strip() for s in _SENTENCE.findall(hit.clause.text) if len(s.strip()) >= 4]
        if not sentences:
            continue
        scored = sorted(
            ((_score(s, q_tokens, wanted), i) for i, s in enumerate(sentences)), key=lambda p: -p[0]
        )
        if extracts and scored[0][0] < 0.6 * best_overall:
            continue  # a weaker clause adds length, not an answer
        best_overall = max(best_overall, scored[0][0])
        per_hit = 3 if rank == 0 else 2
        chosen: list[int] = []
        for score, i in scored:
            if len(chosen) >= per_hit or score <= 0:
                break
            length = len(sentences[i])
            if used + length > budget and chosen:
                break
            if used + length > budget * 1.15 and extracts:
                break
            chosen.append(i)
            used += length
        if chosen:
            extracts.append(Extract(hit, tuple(_trim(sentences[i]) for i in sorted(chosen))))
        if used >= budget:
            break
    return extracts


def _score(sentence: str, q_tokens: set[str], wanted: list[str]) -> float:
    tokens = set(tokenize(sentence))
    overlap = len(tokens & q_tokens) / (len(q_tokens) or 1)
    bonus = sum(0.25 for name in wanted if _INTENTS[name][1].search(sentence))
    if "amount" in wanted and _NUMBER.search(sentence):
        bonus += 0.1
    if len(sentence) < 12 and not _NUMBER.search(sentence):
        bonus -= 0.2  # a bare heading says little on its own
    if _JUNK.search(sentence):
        bonus -= 0.5  # attachment lists, contact lines and addressees answer nothing
    return overlap + bonus


def _trim(sentence: str, limit: int = 260) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"
