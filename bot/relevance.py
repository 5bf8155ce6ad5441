"""Whether the retrieved clauses really answer the question, beyond word overlap.

Three checks, each measured on the gold sets (eval/RESULTS.md): the places a question names must
match the clauses' region (an Anyang rule does not answer a question about Jinhua); a year it asks
about must appear in the clauses; and a question that asks for a figure needs a clause sentence that
states one.
"""

from __future__ import annotations

import re

from bot.extractive import intents, pick_sentences
from bot.scope import PLACES, places_in
from retrieval.types import Hit

_YEAR = re.compile(r"(20\d{2})\s*年")
_ASKS_FIGURE = re.compile(r"多少|几[个年月天家项倍]|比例|税率|费率|标准是|额度|上限|封顶|最高|最多|最低")
_STATES_FIGURE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:万元|亿元|元|%|％|个月|个工作日|年|天|日|倍|家|个|人|次|万|亿)"
    r"|[一二三四五六七八九十两百千万]+\s*(?:万元|亿元|元|个月|年|天|倍|家|个|人)|全额|减半|免收|免征|全部|不超过|不低于"
)


def in_region(hit: Hit, places: list[str]) -> bool:
    """A national clause, or one whose region, issuer or title names a place asked about (or its province)."""
    clause = hit.clause
    if clause.level == "国家":
        return True
    where = f"{clause.region}{clause.issuer}{clause.title}"
    return any(p in where or PLACES[p] in where for p in places)


def regional(hits: list[Hit], question: str) -> list[Hit]:
    """Keep the hits that fit the places the question names (all of them when it names none)."""
    places = places_in(question)
    if not places:
        return hits
    return [h for h in hits if in_region(h, places)]


def city_not_covered(question: str, hits: list[Hit]) -> str | None:
    """A question about one city's own rules, answered only by other governments' clauses.

    "洛阳市对上市奖励多少" is not answered by a provincial or national clause, nor by Anyang's.
    """
    places = places_in(question)
    if len(places) != 1 or PLACES[places[0]] == places[0]:
        return None
    city = places[0]
    acts = re.search(rf"{city}(?:市|县|区)?(?:政府|人民政府|财政)?(?:对|给|出台|有什么|有哪些|的政策|奖励|补贴|补助|奖)", question)
    if not acts:
        return None  # "在安阳办贷款" may rest on a provincial rule
    if any(city in f"{h.clause.region}{h.clause.title}{h.clause.issuer}{h.clause.text}" for h in hits[:1]):
        return None
    return city


def missing_year(question: str, hits: list[Hit]) -> str | None:
    """A year the question asks about (it leads the question) that none of the clauses mentions.

    "2024年满负荷生产奖励还有吗" asks about 2024; "2021年营收过了100亿，能奖多少" only tells a fact.
    """
    years = set(_YEAR.findall(question[:8]))
    if not years or not hits:
        return None
    seen = "".join(f"{h.clause.title}{h.clause.date}{h.clause.text}" for h in hits)
    for year in sorted(years):
        if year not in seen:
            return year
    return None


def lacks_figure(question: str, hits: list[Hit], budget: int, idf: dict[str, float] | None = None) -> bool:
    """The question asks for an amount, but no chosen sentence of the best clauses states one.

    (Also requiring the question's rarest word in that sentence was tried and refused 16% of the
    answerable questions; see eval/RESULTS.md.)
    """
    wanted = intents(question)
    if not _ASKS_FIGURE.search(question) or "amount" not in wanted or "document" in wanted:
        return False
    extracts = pick_sentences(question, hits[:2], budget, idf)
    return not any(_STATES_FIGURE.search(s) for ex in extracts for s in ex.sentences)
