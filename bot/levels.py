"""Questions that compare levels of government: "省里和市里分别补多少？".

Each level's half of such a question is answered by that level's own rule, which a search over the
whole question may leave out: a provincial reply that mentions listing on an exchange outranks the
provincial rule that pays for it. So each level named is searched on its own, and its best clause
is cited beside the others.
"""

from __future__ import annotations

import re

from bot.asking import question_parts
from retrieval.hybrid_search import Coverage
from retrieval.lexical import query_groups, text_words
from retrieval.support import GRANTS, SENTENCE
from retrieval.types import Hit

# words that name a level of government as the source of a rule; 国家级 and 省级 before a title
# (国家级专精特新, 省级企业技术中心) name a rank, so these need a word after them that says "level"
LEVEL_WORDS: dict[str, re.Pattern[str]] = {
    "国家": re.compile(r"国家层面|国家政策|国务院|中央财政|国家(?=和|与|、|里|出台|对|给|再|又|也|说|那个|那边|的)"),
    "省": re.compile(r"省里|省级(?=的|和|与|、|政策|层面|财政|资金)|省财政|省政府|省上|省一级|全省|省厅"
                    r"|省(?=和|与|、|对|给|再|又|也|按|分别|说|的?(?:政策|文件))"
                    # "国家那个扩岗补助、河南的吸纳就业补贴各是多少": a province by its name
                    r"|(?:河南|湖南|浙江)省?(?=的|那个|那边)"),
    # not the 市 of 上市, 城市, 超市, 股市
    "市": re.compile(r"(?<![上城超都股门])(?:市里|市级(?=的|和|与|、|政策|层面|财政|资金)|市财政|市政府|市上|市一级|全市"
                    r"|市(?=和|与|、|对|给|再|又|也|按|分别|说|的?(?:政策|文件)))"),
}
LEVEL_COVERAGE_RATIO = 0.6  # of the refusal threshold: a clause answers one level's half of a question
LEVEL_CHOICES = 4  # a level's best clauses, among which the one granting a sum most about the question
MIN_GRANT_SHARE = 0.1  # of the question part's words (IDF-weighted) its granting sentence must name


# the words, as jieba cuts them, that only name a level: a question part of nothing else asks nothing
LEVEL_TOKENS = frozenset({"国家", "省", "市", "县", "省里", "市里", "县里", "省级", "市级", "县级", "全省", "全市", "中央"})


def level_of_part(part: str) -> str | None:
    """The one level of government a part of a question asks about ("社保国家说能缓缴到什么时候"), if any."""
    named = _levels_in(part)
    return named[0] if len(named) == 1 else None


def levels_named(question: str) -> list[str]:
    """The levels of government a question asks about side by side (none unless it names two)."""
    named = _levels_in(question)
    return named if len(named) >= 2 else []


def _levels_in(text: str) -> list[str]:
    return [level for level, words in LEVEL_WORDS.items() if words.search(text)]


def cover_levels(
    question: str,
    cited: list[Hit],
    by_level: dict[str, list[Hit]],
    threshold: float,
    idf: dict[str, float],
    wants_grant: bool,
) -> list[Hit]:
    """Cite, for each level a question compares, that level's best clause.

    Args:
        question: the question, whose parts that name a level say what is asked of that level.
        cited: the clauses chosen for the whole question.
        by_level: each level named -> the hits of a search filtered to that level.
        threshold: the coverage the whole question must reach; a level's clause, which answers a
            part of it, needs LEVEL_COVERAGE_RATIO of it.
        idf: token -> inverse document frequency.
        wants_grant: the question asks for money. Then the level's clause is, of its LEVEL_CHOICES
            best, the one whose granting sentence names most of the level's part of the question
            (at least MIN_GRANT_SHARE), and it replaces the cited clauses of its level that grant
            nothing.
    """
    if not cited:
        return cited
    out = list(cited)
    floor = LEVEL_COVERAGE_RATIO * threshold
    for level, found in by_level.items():
        hits = [h for h in found if h.coverage >= floor]
        if not hits:
            continue
        granting = _most_granting(_part_naming(question, level), hits[:LEVEL_CHOICES], idf) if wants_grant else None
        best = granting or hits[0]
        if all(h.clause.id != best.clause.id for h in out):
            out.append(best)
        if granting is not None:
            out = [h for h in out if h.clause.level != level or _grant_sentences(h)]
    return out


def _part_naming(question: str, level: str) -> str:
    """The part of the question that names the level, or the whole question."""
    return next((p for p in question_parts(question) if LEVEL_WORDS[level].search(p)), question)


def _grant_sentences(hit: Hit) -> list[str]:
    return [s for s in SENTENCE.findall(hit.clause.text) if GRANTS.search(s)]


def _most_granting(part: str, hits: list[Hit], idf: dict[str, float]) -> Hit | None:
    """The hit whose granting sentence names most of ``part``, the earlier one on a tie."""
    coverage = Coverage.of(query_groups(part), idf)
    best: tuple[float, Hit] | None = None
    for hit in hits:
        share = max((coverage.share(text_words(s)) for s in _grant_sentences(hit)), default=0.0)
        if share >= MIN_GRANT_SHARE and (best is None or share > best[0]):
            best = (share, hit)
    return None if best is None else best[1]
