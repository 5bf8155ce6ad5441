"""Whether the clauses speak of the time a question asks about: its year, its quarter, a month
after the measure's stated end."""

from __future__ import annotations

import re

from bot.asking import asking_pieces
from bot.scope import PLACES, names_place, places_in
from retrieval.hybrid_search import Coverage
from retrieval.lexical import query_groups, text_words
from retrieval.policy_splitter import lead_body
from retrieval.support import SENTENCE
from retrieval.types import Hit

_YEAR = re.compile(r"(20\d{2})\s*年")


def missing_year(question: str, hits: list[Hit]) -> str | None:
    """A year the question asks about (it leads the question, or an asking piece names it) that none
    of the clauses mentions.

    "2024年满负荷生产奖励还有吗" and "…2022年按100%暂退了。2023年市里还按100%暂退吗？" ask about 2024
    and 2023; "…，2021年营收过了100亿，能奖多少" only tells a fact.
    """
    asked = asking_pieces(question)
    years = set(_YEAR.findall(question[:8])) | {y for p in asked for y in _YEAR.findall(p)}
    if not years or not hits:
        return None
    seen = "".join(f"{h.clause.title}{h.clause.date}{h.clause.text}" for h in hits)
    spans = [(int(a), int(b)) for a, b in _YEAR_SPAN.findall(seen)]
    spans += [(int(a), int(a) + _CN_YEARS.get(n, int(n) if n.isdigit() else 0) - 1) for a, n in _YEARS_FROM.findall(seen)]
    for year in sorted(years):
        if year not in seen and not any(a <= int(year) <= b for a, b in spans):
            return year  # not named, nor inside a stated span ("2020-2022年期间", "自2022年起5年内")
    return None


_YEAR_SPAN = re.compile(r"(20\d{2})\s*年?\s*[-—－–~～至到]\s*(20\d{2})\s*年")
_YEARS_FROM = re.compile(r"自?(20\d{2})\s*年起\s*([\d一二三四五六七八九十两]+)\s*年")
_CN_YEARS = {c: i for i, c in enumerate("一二三四五六七八九十", 1)} | {"两": 2}


_QUARTER = re.compile(r"(20\d{2})\s*年\s*第?\s*([一二三四1-4])\s*季度")
_BARE_QUARTER = re.compile(r"(?<![\d年])\s*第?([一二三四1-4])\s*季度")
_QUARTER_NUMBER = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def missing_quarter(question: str, hits: list[Hit]) -> str | None:
    """A quarter an asking piece names ("2021年四季度满负荷的奖多少钱？") that none of the clauses
    mentions, as "2021年第四季度"; the clauses may speak of the year's other quarters only. A quarter
    asked without its year ("三季度满负荷的有奖吗") is missing when the clauses name it in no year."""
    asked = asking_pieces(question)
    quarters = {(y, _QUARTER_NUMBER[q]) for p in asked for y, q in _QUARTER.findall(p)}
    # "三季度满负荷的有奖吗": one quarter, in no year (the clauses cited may hold one of two compared)
    bare = {_QUARTER_NUMBER[q] for p in asked for q in _BARE_QUARTER.findall(p)}
    if len(bare) > 1 or re.search(r"20\d{2}\s*年", question):
        bare = set()
    if not (quarters or bare) or not hits:
        return None
    text = "".join(h.clause.text for h in hits)
    seen = {(y, _QUARTER_NUMBER[q]) for y, q in _QUARTER.findall(text)}
    # "对第二季度满负荷生产的…" in the year's own plan names the quarter without its year
    anyyear = {_QUARTER_NUMBER[q] for q in _BARE_QUARTER.findall(text)}
    if re.search(r"每(?:个)?季度", text):
        anyyear = {1, 2, 3, 4}  # "每季度后第一个月10日前": every quarter
    missing = [(y, q) for y, q in quarters - seen if q not in anyyear]
    named = anyyear | {q for _, q in seen}
    return min(
        [*(f"{y}年第{'一二三四'[q - 1]}季度" for y, q in missing), *(f"第{'一二三四'[q - 1]}季度" for q in bare - named)],
        default=None,
    )


# "2023年5月以后还接着降吗": a month (or a year) the question asks about after, in an asking piece
# (a bare "2022年以后" may mean "from 2022 on": not read)
_ASKED_AFTER = re.compile(r"(20\d{2})\s*年\s*(?:(\d{1,2})\s*月(?:份|底|末)?|底|末)\s*(?:以后|之后|往后)")
# "2023年还继续给1个亿吗": a year the question asks whether a measure goes on into
_ASKED_STILL = re.compile(r"(20\d{2})\s*年[^，,。；？?]{0,12}?(?:还|仍|继续)")
# "自2022年5月1日起至2023年4月30日", "从2022年起到2023年6月末": the last month a measure runs
_RUNS_UNTIL = re.compile(r"(?:至|到)\s*(20\d{2})\s*年\s*(?:(\d{1,2})\s*月)?(?:\s*\d{1,2}\s*日|底|末)?")


_GOES_ON = frozenset({"还", "继续", "仍", "仍然", "实施", "执行", "落实", "政策", "接着", "延续"})
_MEASURE_PIECE = re.compile(r"[^；;]+[；;]?")
_MONTH = re.compile(r"(?:(20\d{2})\s*年\s*)?(?<!\d)(\d{1,2})\s*月")
MIN_ABOUT_MEASURE = 0.3  # of the question's words (IDF-weighted) a sentence holds to be about its measure
# asked by its year alone, a measure's end date must be in a piece plainly about it: "2023年还继续落实资源综合
# 利用增值税政策吗" is not answered by the end of a fund whose piece names 资源综合利用 projects (0.64)
MIN_ABOUT_STILL = 0.7
_WHEN = re.compile(r"\d+|年|月|日")


def past_end(question: str, hits: list[Hit], idf: dict[str, float]) -> tuple[Hit, str] | None:
    """The sentence of the cited clauses saying when the measure asked about ends, when the question
    asks about a month after that end ("工伤保险费率下调执行到2023年4月底，那2023年5月以后还接着降
    吗？" beside "…政策自2022年5月1日起至2023年4月30日"); None when no sentence about the measure
    (holding MIN_ABOUT_MEASURE of the question's words) ends so early, or one names a later year.

    Whether a measure goes on after its end is for a later notice to say: none of the clauses does.
    """
    asked = asking_pieces(question)
    after = [(int(y), int(m or 12)) for p in asked for y, m in _ASKED_AFTER.findall(p)]
    bar = MIN_ABOUT_MEASURE
    if not after:  # a year asked ("2023年还继续…吗"): the measure must be plainly the one asked about
        after, bar = [(int(y), 1) for p in asked for y in _ASKED_STILL.findall(p)], MIN_ABOUT_STILL
    if not after or not hits:
        return None
    start = min(after)
    places = places_in(question)
    # the measure's own words: not the places, nor "还继续实施…政策" that any measure's question has
    subject = [
        (w, m) for w, m in query_groups(question)
        if w not in _GOES_ON and not names_place(w, places) and not _WHEN.fullmatch(w)
    ]
    coverage = Coverage.of(subject, idf)
    cities = [p for p in places_in(" ".join(asked)) if PLACES[p] != p]  # not the caller's own ("我们是许昌的厂")
    ends: list[tuple[tuple[int, int], Hit, str]] = []
    for hit in hits[:3]:
        clause = hit.clause
        own = not cities or any(c in f"{clause.region}{clause.title}{lead_body(clause.issuer)}" for c in cities)
        # one measure a piece: "2020-2022年期间每年给予1亿元…；积极落实…增值税政策" are two
        for sentence in (p for s in SENTENCE.findall(clause.text) for p in _MEASURE_PIECE.findall(s)):
            if not own and not any(c in sentence for c in cities):
                continue  # "2022年7月以后安阳还发消费券吗": the province's reimbursement ends in June, not Anyang's coupons
            words = text_words(sentence)
            if coverage.share(words) < bar:
                continue  # another measure of the same notice ("六税两费…期限至2024年12月31日")
            if any(int(y) > start[0] for y in _YEAR.findall(sentence)) or any(
                (int(y) if y else start[0], int(m)) >= start for y, m in _MONTH.findall(sentence)
            ):
                return None  # the measure at a later time ("至10月底"): what it says is for the answer to show
            ends += [((int(y), int(m or 12)), hit, sentence.strip()) for y, m in _RUNS_UNTIL.findall(sentence)]
            ends += [((int(b), 12), hit, sentence.strip()) for _, b in _YEAR_SPAN.findall(sentence)]  # "2020-2022年期间"
    if not ends:
        return None
    last, hit, sentence = max(ends, key=lambda e: e[0])
    return (hit, sentence) if last < start else None  # "6月以后" of a measure "至6月末": June is still in
