"""Whether the retrieved clauses really answer the question, beyond word overlap.

Checks, each measured on the gold sets (eval/RESULTS.md): the places a question names must match
the clauses' region (an Anyang rule does not answer a question about Jinhua), and a city's own rules
need that city's clauses; a chatty question is judged by what it asks, and a question in several
parts by its worst covered part. The checks on time are in ``bot.dates``, those on figures in
``bot.figures``.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.asking import ASKING, question_parts
from bot.scope import PLACES, places_in
from retrieval.hybrid_search import Coverage
from retrieval.lexical import clause_words, query_groups
from retrieval.policy_splitter import lead_body
from retrieval.types import Clause, Hit


def in_region(hit: Hit, places: list[str]) -> bool:
    """A national clause, or one whose region, issuer or title names a place asked about (or its province)."""
    clause = hit.clause
    if clause.level == "国家":
        return True
    where = f"{clause.region}{lead_body(clause.issuer)}{clause.title}"
    return any(p in where or PLACES[p] in where for p in places)


def regional(hits: list[Hit], question: str) -> list[Hit]:
    """Keep the hits that fit the places the question names (all of them when it names none)."""
    places = places_in(question)
    if not places:
        return hits
    return [h for h in hits if in_region(h, places)]


def city_not_covered(question: str, hits: list[Hit]) -> str | None:
    """A city whose own rules the question asks about, answered only by other governments' clauses.

    "洛阳市对上市奖励多少" is not answered by a provincial or national clause, nor by Anyang's, nor
    by a provincial clause that names 洛阳 once in a list of targets. Every city the question has
    act is checked: "郑州市对高企奖励多少？也是跟安阳一样吗？" asks about 郑州, and "浙江金华市对…"
    about 金华, whatever else it names; so does "鹤壁市里一次性奖励多少" (a caller's 市里, a few words
    before what is granted).
    """
    for city in places_in(question):
        if PLACES[city] == city:
            continue  # a province
        acts = re.search(
            rf"{city}(?:市|县|区)?里?(?:政府|人民政府|财政)?"
            r"(?:对|给|出台|有什么|有哪些|的政策|[^，,。；？?！!企省国]{0,4}?(?:奖励|补贴|补助|奖补|奖))",
            question,
        )
        if not acts:
            continue  # "在安阳办贷款" may rest on a provincial rule
        if any(city in f"{h.clause.region}{h.clause.title}{lead_body(h.clause.issuer)}" for h in hits[:3]):
            continue  # the city's own policy, or one addressed to it
        # the city's government acts: "郴州市对有色金属企业上市有什么奖励", "郑州对首次认定的高企奖励多少"
        # …not the city a province acts for: "湖南省对郴州市给予了哪些支持"
        city_acts = _CITY_ACTS.match(question, acts.start() + len(city)) is not None and not _FOR_CITY.search(
            question[: acts.start()]
        )
        if not city_acts and any(h.clause.text.count(city) >= 2 for h in hits[:3]):
            continue  # a clause about the city (a province's reply on its industry), not a passing mention
        if not (city_acts or re.search(rf"{city}(?:市|县|区)", question)) and any(
            h.clause.level == "省" and PLACES[city] in f"{h.clause.region}{h.clause.title}" for h in hits[:3]
        ):
            continue  # "信阳的满负荷奖励多少": the province's rule covers its cities; "信阳市…" asks the city's
        return city
    return None


_FOR_CITY = re.compile(r"(?:对|给|向|为|帮|支持)$")
_CITY_ACTS = re.compile(r"(?:市|县|区)?(?:政府|人民政府|财政)?(?:对(?![接口比应照外])|给|出台)")

MIN_ASKED_SHARE = 0.4  # of the question's words (IDF-weighted) its asking sentences must hold, to be judged alone


def asked_coverage(
    question: str, hit: Hit, idf: dict[str, float], indexed_words: Callable[[Clause], frozenset[str]] = clause_words
) -> float:
    """How much of what the question asks the clause covers, leaving out the sentences that only tell
    the caller's situation ("我在安阳租的是国有单位的门面开小饭馆，疫情时停过业。"); 0 when all of it asks.

    Such a story adds words that the clause answering the question need not hold, and a chatty
    question fell under the relevance threshold although its asking sentences were well covered.
    """
    sentences = [s for s in re.split(r"(?<=[。！!？?])", question) if s.strip()]
    asked = "".join(s for s in sentences if ASKING.search(s))
    if not asked or asked == question:
        return 0.0
    coverage = Coverage.of(query_groups(asked), idf)
    if coverage.total < MIN_ASKED_SHARE * Coverage.of(query_groups(question), idf).total:
        return 0.0  # "…开了一家宠物医院。有啥政策吗？": what is asked says too little to judge by
    return coverage.share(indexed_words(hit.clause))


def parts_coverage(
    question: str, hits: list[Hit], idf: dict[str, float], indexed_words: Callable[[Clause], frozenset[str]] = clause_words
) -> float:
    """For a question asked in several parts, how well the worst covered part is covered by its best
    clause among the first five; 0 for a question in one part.

    "…第一次升规入统，县里有一次性奖励吗？另外办土地、房产更名要交契税吗？" asks two things that two
    policies answer: no one clause covers the whole question, while each part has its clause.
    """
    # the things a part asks 分别 of share its wording: split so, they would seem covered by any clause
    parts = [Coverage.of(query_groups(p), idf) for p in question_parts(question, each=False)]
    parts = [p for p in parts if len(p.weights) >= MIN_PART_WORDS]
    if len(parts) < 2:
        return 0.0
    words = [indexed_words(h.clause) for h in hits[:5]]
    return min(max((part.share(w) for w in words), default=0.0) for part in parts)


MIN_PART_WORDS = 2  # "省里呢？" is not a part to be covered on its own

