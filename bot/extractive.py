"""The offline answer: the sentences of the retrieved clauses that answer the question, each cited.

It never writes a fact of its own: every sentence in the body is copied from a cited clause, and
the connecting words are fixed phrases ("根据…", "涉及…").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from retrieval.lexical import query_tokens, tokenize
from retrieval.types import Hit

SENTENCE = re.compile(r"[^。；！？\n]+[。；！？]?")
_NUMBER = re.compile(r"\d|[一二三四五六七八九十百千万两]+(?:个|年|月|天|日|倍|项|家|次)")
_INTENTS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    # what the question asks -> what a sentence that answers it contains
    "amount": (
        re.compile(r"多少|几[个年月天家项倍成]|比例|最高|最多|上限|封顶|额度|金额|标准是|费率|税率|怎么.{0,2}(?:补|奖|减|算)"),
        re.compile(r"\d+(?:\.\d+)?\s*(?:万元|亿元|元|%|％|个月|年|倍|家|个|人)|不超过|最高|全额|减半|免收|按.{0,10}给予"),
    ),
    "duration": (
        re.compile(r"多久|多长时间|几天|几个月|几年|期限|时限|延长"),
        re.compile(r"\d+\s*(?:个)?(?:工作日|日|天|个月|年)(?:内|以内)?|之日起|以内|延长"),
    ),
    "date": (
        re.compile(r"什么时候|哪天|何时|截止|截至|最晚|几号|有效期|到期"),
        re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|\d{1,2}\s*月\s*\d{1,2}\s*日|年底|年末|之前|前|起"),
    ),
    "eligibility": (
        re.compile(r"条件|要求|资格|符合|能不能|能否|可以吗|能申请|够不够|算不算|哪些企业|什么企业|门槛|才算|是指"),
        re.compile(r"条件|不低于|不少于|以上|须|应当|具有|符合|满足|是指|占.{0,12}比"),
    ),
    "permission": (
        re.compile(r"行不行|能不能|可不可以|可以吗|能.{0,6}吗|还.{0,4}吗|必须|是否"),
        re.compile(r"不接收|不得|不予|不再|暂不|可不|可以|可|允许|免予|无需|不需要|不采取|应当|必须"),
    ),
    "materials": (
        re.compile(r"材料|资料|证明|提交|提供|准备"),
        re.compile(r"材料|提供|提交|复印件|证明|盖章|申请表|报告"),
    ),
    "procedure": (
        re.compile(r"怎么|如何|流程|程序|手续|找谁|哪个部门|怎样|哪里"),
        re.compile(r"申报|提交|受理|审核|流程|负责|登录|系统|报送|向.{1,12}(?:申请|报送|提出)"),
    ),
    "document": (
        re.compile(r"文号|哪个文件|什么文件|哪份文件|哪个部门(?:发|出|制定)|谁制定|谁发布|哪几个部门|从什么时候|什么时候(?:开始|起)"),
        re.compile(r"施行|实施|印发|有效期|执行|起|制定|发布|〔\d{4}〕"),
    ),
}
_PART = re.compile(r"[？?；;]")
FLOOR = 0.3  # a sentence must score at least this share of the best one
RANK_PENALTY = 0.06  # per rank of its clause
_JUNK = re.compile(r"^附件|附件[:：]|联系电话|联系人|邮箱|@|https?://|www\.|申报汇总表|情况表|^[各有关].{2,40}[:：]$")


@dataclass(frozen=True)
class Extract:
    """Sentences picked from one hit, in their order in the clause."""

    hit: Hit
    sentences: tuple[str, ...]


def intents(question: str) -> list[str]:
    return [name for name, (asks, _) in _INTENTS.items() if asks.search(question)]


def pick_sentences(
    question: str, hits: list[Hit], budget: int, idf: dict[str, float] | None = None, limit: int = 6
) -> list[Extract]:
    """Choose the sentences that answer ``question`` across all ``hits``, within ``budget`` characters.

    Sentences compete globally (a lower-ranked clause pays a small penalty), so the one sentence that
    answers can come from the third clause; the chosen ones are shown per clause, in clause order.
    A question in several parts ("最多贷多少？利息是不是全包？") gets the best sentence for each part,
    and a sentence repeated by another policy (a measure and its implementing rules) is shown once.
    """
    weights = _weights(question, idf)
    wanted = intents(question)
    pool: list[tuple[float, int, int, str]] = []
    for rank, hit in enumerate(hits):
        for i, sentence in enumerate(s.strip() for s in SENTENCE.findall(hit.clause.text)):
            if len(sentence) >= 4:
                pool.append((_score(sentence, weights, wanted) - RANK_PENALTY * rank, rank, i, sentence))
    pool.sort(key=lambda row: -row[0])
    if not pool or pool[0][0] <= 0:
        return []
    floor = FLOOR * pool[0][0]
    chosen: list[tuple[int, int, str]] = []
    seen: list[str] = []
    used = 0

    def take(rank: int, i: int, sentence: str) -> bool:
        nonlocal used
        flat = _flat(sentence)
        if any(flat in other or other in flat for other in seen):
            return False
        chosen.append((rank, i, _trim(sentence)))
        seen.append(flat)
        used += len(sentence)
        return True

    for part in _parts(question)[1:]:  # each later part of the question gets its own best sentence
        best = _best_for_part(part, pool, weights, idf)
        if best is not None:
            take(*best)
    for score, rank, i, sentence in pool:
        if score < floor or len(chosen) >= limit:
            break
        if used + len(sentence) > budget and chosen:
            continue
        take(rank, i, sentence)
    chosen.sort()
    extracts: list[Extract] = []
    for rank in dict.fromkeys(r for r, _, _ in chosen):
        extracts.append(Extract(hits[rank], tuple(s for r, _, s in chosen if r == rank)))
    return extracts


def _weights(text: str, idf: dict[str, float] | None) -> dict[str, float]:
    return {t: (idf or {}).get(t, 1.0) for t in set(query_tokens(text))}


def _parts(question: str) -> list[str]:
    """The parts of a question asked in several sentences, each with at least two characters."""
    return [p for p in (x.strip() for x in _PART.split(question)) if len(p) >= 2]


def _best_for_part(
    part: str, pool: list[tuple[float, int, int, str]], whole: dict[str, float], idf: dict[str, float] | None
) -> tuple[int, int, str] | None:
    """The sentence that best answers one part, judged by the part's own words and answer shape.

    The whole question's words count half, so that "创新龙头呢？" still prefers a sentence about the
    subject of the question. None when no sentence shares a word with the part.
    """
    own = _weights(part, idf)
    if not own:
        return None
    wanted = intents(part)
    best: tuple[float, int, int, str] | None = None
    for _, rank, i, sentence in pool:
        tokens = set(tokenize(sentence))
        if own.keys().isdisjoint(tokens):
            continue
        score = _score(sentence, own, wanted) + 0.5 * _score(sentence, whole, []) - RANK_PENALTY * rank
        if best is None or score > best[0]:
            best = (score, rank, i, sentence)
    return None if best is None else best[1:]


def _flat(sentence: str) -> str:
    return re.sub(r"[\s（）()，,、；;：:。]", "", sentence)


def _score(sentence: str, weights: dict[str, float], wanted: list[str]) -> float:
    """IDF-weighted share of the question's words in the sentence, plus bonuses for answer shapes."""
    tokens = set(tokenize(sentence))
    overlap = sum(w for t, w in weights.items() if t in tokens) / (sum(weights.values()) or 1.0)
    bonus = sum(0.3 for name in wanted if _INTENTS[name][1].search(sentence))
    if "amount" in wanted and _NUMBER.search(sentence):
        bonus += 0.1
    if len(sentence) < 12 and not _NUMBER.search(sentence):
        bonus -= 0.2  # a bare heading says little on its own
    if _JUNK.search(sentence):
        bonus -= 0.5  # attachment lists, contact lines and addressees answer nothing
    return overlap + bonus


def _trim(sentence: str, limit: int = 260) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"
