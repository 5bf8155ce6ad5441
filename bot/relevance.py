"""Whether the retrieved clauses really answer the question, beyond word overlap.

Checks, each measured on the gold sets (eval/RESULTS.md): the places a question names must match
the clauses' region (an Anyang rule does not answer a question about Jinhua), and a city's own rules
need that city's clauses; a year it asks about must appear in the clauses; and a question that asks
for a figure needs a clause sentence that states one of the kind asked, about its subject.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.extractive import TELLS_BEFORE, intents, pick_sentences, question_parts
from bot.scope import PLACES, names_place, places_in
from retrieval.hybrid_search import Coverage
from retrieval.lexical import clause_words, query_groups, text_words, tokenize
from retrieval.policy_splitter import lead_body
from retrieval.support import ASKS_SUPPORT, SENTENCE
from retrieval.types import Clause, Hit

_YEAR = re.compile(r"(20\d{2})\s*年")
# not 几月(份): which month, a date
_ASKS_FIGURE = re.compile(rf"多少|{TELLS_BEFORE}几[个年天家项倍]|比例|税率|费率|标准是|额度|上限|封顶|最高|最多|最低")
_STATES_FIGURE = re.compile(
    r"\d+(?:\.\d+)?\s*(?:万元|亿元|元|%|％|个月|个工作日|年|天|日|倍|家|个|人|次|万|亿)"
    r"|[一二三四五六七八九十两百千万]+\s*(?:万元|亿元|元|个月|年|天|倍|家|个|人)|全额|减半|免收|免征|全部|不超过|不低于"
)

_CN = "一二三四五六七八九十两百千"
_RATIO = r"\d+\s*[:：]\s*\d+(?!\s*[:：]?\d)"  # "按1:1的比例给予配套支持" (not a time such as 9:30:00)
_SPAN = r"(?:个)?(?:工作日|小时|月(?!\s*\d)|天|年|日)"  # 个月, 天, 个工作日… (not "5月1日", a date)
# what a count counts in: "10片" answers "划定了几个片区", "5批" "几批"
_PIECES = r"(?:家|个|人|项|名|户|片|批|座|所|台|辆|笔|宗|件|处|栋|场|轮)"
_MEASURE = r"(?:平方米|平方公里|立方米|米|公里|千米|亩|吨|千瓦时|千瓦|度)"  # lengths, areas, weights, energy
# the kind of figure a question asks for -> what a sentence stating one contains
_FIGURE_KINDS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "rate": (
        re.compile(r"税率|费率|征收率|利率(?!互换)|比例|比率|几成|几折|百分之|多少个?(?:点|百分点|基点)"),
        re.compile(rf"\d+(?:\.\d+)?\s*[%％‰]|百分之|百分点|基点|BP|[{_CN}]成|减半|全额|\d+\s*倍|{_RATIO}"),
    ),
    "money": (
        re.compile(
            rf"多少钱|多少万|金额|额度|(?:奖励|补贴|补助|给|发|补|奖|贴|退|减|拿|领|贷)多少(?!{_SPAN}|名|人|家|项|个)"
            r"|多少(?:补贴|奖励|资金)|(?:哪|几)[几]?笔(?:钱|资金|奖励|补助|补贴)?"
        ),
        re.compile(
            rf"\d+(?:\.\d+)?\s*[余多]?\s*(?:万元|亿元|元|万(?![人户家个台度平亩吨次]))|[{_CN}]+\s*(?:万元|元)|[%％]|全额|减半|免(?:收|征|缴|费)"
            rf"|{_RATIO}"
        ),
    ),
    "count": (
        re.compile(
            rf"{TELLS_BEFORE}几家|多少家|多少人|多少名|多少户|多少项|几项|多少个名额"
            r"|(?<!哪)几个(?!月|工作日|小时|条件|档|方面|阶段|部门|点|百分点|基点)"
            r"|多少个(?!月|工作日|小时|条件|档|方面|阶段|部门|点|百分点|基点)"
        ),
        # not 第三条 / 新一轮 / 培育一批: an ordinal or a vague batch is no count
        # "130余家", "2000多家": an approximate count is a count
        re.compile(rf"\d+(?:\.\d+)?\s*[万千百]?\s*[余多]?\s*{_PIECES}|(?<![第新{_CN}])[{_CN}]+\s*[余多]?(?![批轮]){_PIECES}"),
    ),
    "duration": (
        re.compile(
            rf"(?:多久|多长时间)(?![^，。？?]{{0,4}}一次(?!性))|{TELLS_BEFORE}几(?:天|个月|年)|多少{_SPAN}|几个?(?:工作日|小时)|期限|时限"
        ),
        re.compile(rf"(?<![\d年月])\d{{1,3}}\s*{_SPAN}|[{_CN}]+\s*{_SPAN}|(?<![上下])半\s*{_SPAN}|之日起|以内"),
    ),
    # "一年能来查几次" -> "每年不超过1次" (not 一次性, 第三次会议)
    "times": (
        re.compile(r"几次|多少次"),
        re.compile(rf"[\d{_CN}]+\s*次(?![性会修党])"),
    ),
    # "外运道路从出入口往里至少硬化多少米" -> "硬化长度不得低于 100 米"; a bar may be relative ("峰值的80%")
    "measure": (
        re.compile(rf"(?:多少|几)\s*{_MEASURE}"),
        re.compile(rf"\d+(?:\.\d+)?\s*[万千百亿]?\s*(?:{_MEASURE}|[%％]|倍)|(?<!最后)[{_CN}]+\s*(?:米|公里|亩|吨)"),
    ),
}
# words that only say "a figure is wanted", left out when weighing what a figure sentence covers
_FIGURE_WORD = re.compile(
    r"多少|几[家个项天月年]|多久|多长|比例|税率|费率|利率|金额|额度|标准|具体|现在|每个|每辆|每月|最高|最多"
)
# 0371-65509920, 0371—65509847, （0371）69691532, 5961963, 12389
_PHONE = re.compile(r"\d{3,4}\s*[-—－]\s*\d{7,8}|[（(]\d{3,4}[）)]\s*\d{7,8}|(?<!\d)(?:\d{7,8}|12\d{3})(?![\d万亿元%年])")
MIN_FIGURE_COVERAGE = 0.15  # swept on the 19 gold sets (eval/RESULTS.md, ninth session)


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
        if any(h.clause.text.count(city) >= 2 for h in hits[:3]):
            continue  # a clause about the city (a province's reply on its industry), not a passing mention
        if not re.search(rf"{city}(?:市|县|区)", question) and any(
            h.clause.level == "省" and PLACES[city] in f"{h.clause.region}{h.clause.title}" for h in hits[:3]
        ):
            continue  # "信阳的满负荷奖励多少": the province's rule covers its cities; "信阳市对…" asks the city's
        return city
    return None


def missing_year(question: str, hits: list[Hit]) -> str | None:
    """A year the question asks about (it leads the question, or an asking piece names it) that none
    of the clauses mentions.

    "2024年满负荷生产奖励还有吗" and "…2022年按100%暂退了。2023年市里还按100%暂退吗？" ask about 2024
    and 2023; "…，2021年营收过了100亿，能奖多少" only tells a fact.
    """
    asked = _asking_pieces(question)
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
    mentions, as "2021年第四季度"; the clauses may speak of the year's other quarters only."""
    asked = _asking_pieces(question)
    quarters = {(y, _QUARTER_NUMBER[q]) for p in asked for y, q in _QUARTER.findall(p)}
    if not quarters or not hits:
        return None
    text = "".join(h.clause.text for h in hits)
    seen = {(y, _QUARTER_NUMBER[q]) for y, q in _QUARTER.findall(text)}
    # "对第二季度满负荷生产的…" in the year's own plan names the quarter without its year
    anyyear = {_QUARTER_NUMBER[q] for q in _BARE_QUARTER.findall(text)}
    if re.search(r"每(?:个)?季度", text):
        anyyear = {1, 2, 3, 4}  # "每季度后第一个月10日前": every quarter
    missing = [(y, q) for y, q in quarters - seen if q not in anyyear]
    return min((f"{y}年第{'一二三四'[q - 1]}季度" for y, q in missing), default=None)


# "2023年5月以后还接着降吗": a month (or a year) the question asks about after, in an asking piece
# (a bare "2022年以后" may mean "from 2022 on": not read)
_ASKED_AFTER = re.compile(r"(20\d{2})\s*年\s*(?:(\d{1,2})\s*月(?:份|底|末)?|底|末)\s*(?:以后|之后|往后)")
# "自2022年5月1日起至2023年4月30日", "从2022年起到2023年6月末": the last month a measure runs
_RUNS_UNTIL = re.compile(r"(?:至|到)\s*(20\d{2})\s*年\s*(?:(\d{1,2})\s*月)?(?:\s*\d{1,2}\s*日|底|末)?")


_MONTH = re.compile(r"(?:(20\d{2})\s*年\s*)?(?<!\d)(\d{1,2})\s*月")
MIN_ABOUT_MEASURE = 0.3  # of the question's words (IDF-weighted) a sentence holds to be about its measure


def past_end(question: str, hits: list[Hit], idf: dict[str, float]) -> tuple[Hit, str] | None:
    """The sentence of the cited clauses saying when the measure asked about ends, when the question
    asks about a month after that end ("工伤保险费率下调执行到2023年4月底，那2023年5月以后还接着降
    吗？" beside "…政策自2022年5月1日起至2023年4月30日"); None when no sentence about the measure
    (holding MIN_ABOUT_MEASURE of the question's words) ends so early, or one names a later year.

    Whether a measure goes on after its end is for a later notice to say: none of the clauses does.
    """
    asked = _asking_pieces(question)
    after = [(int(y), int(m or 12)) for p in asked for y, m in _ASKED_AFTER.findall(p)]
    if not after or not hits:
        return None
    start = min(after)
    coverage = Coverage.of(query_groups(question), idf)
    cities = [p for p in places_in(" ".join(asked)) if PLACES[p] != p]  # not the caller's own ("我们是许昌的厂")
    ends: list[tuple[tuple[int, int], Hit, str]] = []
    for hit in hits[:3]:
        clause = hit.clause
        if cities and not any(c in f"{clause.region}{clause.title}{lead_body(clause.issuer)}" for c in cities):
            continue  # "2022年7月以后安阳还发消费券吗": the province's reimbursement ends in June, not Anyang's coupons
        for sentence in SENTENCE.findall(clause.text):
            if coverage.share(text_words(sentence)) < MIN_ABOUT_MEASURE:
                continue  # another measure of the same notice ("六税两费…期限至2024年12月31日")
            if any(int(y) > start[0] for y in _YEAR.findall(sentence)) or any(
                (int(y) if y else start[0], int(m)) >= start for y, m in _MONTH.findall(sentence)
            ):
                return None  # the measure at a later time ("至10月底"): what it says is for the answer to show
            ends += [((int(y), int(m or 12)), hit, sentence.strip()) for y, m in _RUNS_UNTIL.findall(sentence)]
    if not ends:
        return None
    last, hit, sentence = max(ends, key=lambda e: e[0])
    return (hit, sentence) if last < start else None  # "6月以后" of a measure "至6月末": June is still in


# a thing with a figure: a fee, fund, tax, rate, sum, right, insurance or period ("安家费", "年金",
# "排污权", "试用期"); not a verb's cut ("能奖", "最多贷") nor a count ("三年期")
_FIGURE_NOUN = re.compile(rf"^[^能最还不可拿里过第每多几报完欠缴交纳退免减征扣抵收付补{_CN}][\u4e00-\u9fff]*[期费金税率额权险]$")


def unindexed_subject(question: str, corpus: str) -> str | None:
    """A fee, fund, right or period the question asks about that no indexed text names, nor any word
    standing for it: "安阳引进博士给多少安家费？" finds clauses on 引进 and 博士, none on 安家费."""
    groups = query_groups(_asked_text(question) or question)
    words = [word for word, _ in groups]
    unknown = [
        word for word, members in groups
        if len(word) >= 2 and _FIGURE_NOUN.match(word) and not any(m in corpus for m in members)
        and not any(word != other and word in other for other in words)  # not 年期, a cut of 三年期
        # a longer word whose stem the texts name is theirs in other words: 养老金 (养老保险),
        # 财产险 (财产保险), 商标权 (商标)
        and not (len(word) >= 3 and word[:-1] in corpus)
    ]
    return max(unknown, key=len, default=None)


def kinds_asked(question: str) -> list[str]:
    """The kinds of figure a question asks for (a rate, a sum of money, a count, a duration).

    Only its asking pieces count: "听说借外债有个便利化的试点额度，我们这种企业能不能参加？" names
    a 额度 but asks whether the firm may take part.
    """
    asking = _asked_text(question)
    kinds = [name for name, (asks, _) in _FIGURE_KINDS.items() if asks.search(asking)]
    # "费率会降吗", "利率降到什么时候" name a rate without asking its figure; "期限延长到哪天" asks a
    # date, not a span
    return [
        k for k in kinds
        if (k != "rate" or _ASKS_RATE_FIGURE.search(asking))
        and (k != "duration" or not _ASKS_DAY.search(asking) or _ASKS_SPAN.search(asking))
    ]


_ASKS_RATE_FIGURE = re.compile(r"多少|几|多大|多高|多低|百分之|怎么算|标准")
_ASKS_DAY = re.compile(r"哪天|哪一天|什么时候|啥时候|何时|几号|几月几日")
_ASKS_SPAN = re.compile(r"多久|多长时间|几天|几个月|几年|多少天|多少个?月|多少年")


def _asking_pieces(question: str) -> list[str]:
    """The pieces that ask and do not tell about the caller: a year or month named there is asked about
    ("2023年市里还按100%暂退吗？"), not one that tells ("我们厂是2019年成立的")."""
    return [p for p in _ASKED_PIECE.findall(question) if _ASKING.search(p) and not _TELLS.search(p)]


def _asked_text(question: str) -> str:
    """The question without the caller's story ("听说有个试点额度，我们能不能参加？" asks no 额度), and
    without a piece asking what a rule says ("费率是怎么说的"), unless 多少/几 asks for a figure anyway."""
    pieces = [
        p for p in _ASKED_PIECE.findall(question)
        if not p.endswith(_INTRODUCES) and (_ASKING.search(p) or not _STORY.search(p))
    ]
    if not _HOW_MUCH.search(question):
        pieces = [p for p in pieces if not _WHAT_SAID.search(p)]
    return "".join(pieces)


_ASKED_PIECE = re.compile(r"[^，,。；;！!？?：:]+[？?：:]?")
_INTRODUCES = ("：", ":")  # "有几个实用新型专利：一个刚授权一年半" introduces what it tells, it asks no count
_CALLER = r"听说|据说|我|咱|俺|厂|公司|单位"  # words of a caller telling about themselves
_STORY = re.compile(rf"{_CALLER}|\d")  # what the caller tells, not what they ask
_HOW_MUCH = re.compile(r"多少|几|百分之")
# a piece naming the caller or a founding tells its year ("我们厂是2019年成立的，能申请吗")
_TELLS = re.compile(rf"{_CALLER}|注册|成立|认定")
_WHAT_SAID = re.compile(r"怎么说")  # "对短期险的规模和费率分别是怎么说的"


def asks_for_money(question: str) -> bool:
    """Whether the question asks for a sum of money or for the support there is."""
    return _FIGURE_KINDS["money"][0].search(question) is not None or ASKS_SUPPORT.search(question) is not None


def lacks_figure(question: str, hits: list[Hit], budget: int, idf: dict[str, float] | None = None) -> bool:
    """The question asks for a figure that the best clauses do not state.

    A question that asks for a kind of figure (a rate, a sum of money, a count, a duration)
    needs a sentence of that kind about its subject: the sentence, with its clause's title and heading
    path, must cover at least MIN_FIGURE_COVERAGE of the question's other words (IDF-weighted).
    "失业保险金每个月发多少钱" is not answered by a sentence on 稳岗返还 percentages, nor
    "出口退税率" by a refund deadline. Other figure questions need any chosen sentence with a figure.
    """
    wanted = intents(question)
    if "contact" in wanted:  # "电话是多少": a number to call, not a figure
        return not any(_PHONE.search(h.clause.text) for h in hits)
    if "document" in wanted:
        return False
    kinds = kinds_asked(question)
    if kinds:
        return _figure_coverage(question, hits[:3], kinds, idf or {}) < MIN_FIGURE_COVERAGE
    if not _ASKS_FIGURE.search(_asked_text(question)) or "amount" not in wanted:
        return False
    extracts = pick_sentences(question, hits[:2], budget, idf)
    return not any(_STATES_FIGURE.search(s) for ex in extracts for s in ex.sentences)


MIN_ASKED_SHARE = 0.4  # of the question's words (IDF-weighted) its asking sentences must hold, to be judged alone
_ASKING = re.compile(rf"[？?吗呢]|多少|什么|怎么|哪|{TELLS_BEFORE}几|能否|是否|如何|可以|能不能")


def asked_coverage(
    question: str, hit: Hit, idf: dict[str, float], indexed_words: Callable[[Clause], frozenset[str]] = clause_words
) -> float:
    """How much of what the question asks the clause covers, leaving out the sentences that only tell
    the caller's situation ("我在安阳租的是国有单位的门面开小饭馆，疫情时停过业。"); 0 when all of it asks.

    Such a story adds words that the clause answering the question need not hold, and a chatty
    question fell under the relevance threshold although its asking sentences were well covered.
    """
    sentences = [s for s in re.split(r"(?<=[。！!？?])", question) if s.strip()]
    asked = "".join(s for s in sentences if _ASKING.search(s))
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
    parts = [Coverage.of(query_groups(p), idf) for p in question_parts(question)]
    parts = [p for p in parts if len(p.weights) >= MIN_PART_WORDS]
    if len(parts) < 2:
        return 0.0
    words = [indexed_words(h.clause) for h in hits[:5]]
    return min(max((part.share(w) for w in words), default=0.0) for part in parts)


MIN_PART_WORDS = 2  # "省里呢？" is not a part to be covered on its own


def figure_first(question: str, cited: list[Hit], idf: dict[str, float]) -> list[Hit]:
    """Move up, to second, a cited clause that states the kind of figure asked when the first three do not.

    "在哪儿申请？受理后多久能批？": the clauses about applying are cited first, and the one that gives
    "受理完成后1个工作日内" fourth, where ``lacks_figure`` (which reads the first three) does not see it.
    Only clauses already cited are moved, none is brought in: a clause further down the ranking is
    not taken for the answer because it states a figure.
    """
    kinds = kinds_asked(question)
    if not kinds or len(cited) <= 3 or "document" in intents(question):
        return cited
    if _figure_coverage(question, cited[:3], kinds, idf) >= MIN_FIGURE_COVERAGE:
        return cited
    share, best = max(((_figure_coverage(question, [h], kinds, idf), h) for h in cited[3:]), key=lambda pair: pair[0])
    if share < MIN_FIGURE_COVERAGE:
        return cited
    return [cited[0], best, *(h for h in cited[1:] if h is not best)]


# what a clause says when it grants without a figure: "给予一次性奖励。", "由经办银行…合理确定", "另行制定", "一定比例"
_DEFERS = re.compile(
    r"(?:给予|予以)[^，,。；]{0,8}(?:奖励|补助|补贴|奖补|支持|扶持|贴息)$"
    r"|由.{2,30}(?:确定|核定|决定)|另行(?:制定|通知|公布)|一定(?:比例|额度|金额|数额)"
    r"|(?:继续|延续)(?:实施|执行)[^，,。；]{0,20}(?:补贴|补助|奖励|奖补)"
)
_PIECE = re.compile(r"[^，,。；！？\n]+")
_FIGURE_NAME = re.compile(r"利率|费率|税率|比例|额度|金额|标准")
MIN_DEFERRING_COVERAGE = 0.5  # of a question part's subject a deferring sentence must hold


def deferred_figure(question: str, hits: list[Hit], idf: dict[str, float]) -> tuple[Hit, str] | None:
    """A clause sentence most about what the question asks, a sum or a rate, that grants it without one.

    "安阳对新认定的小巨人一次性奖励多少钱？" is answered by "对新认定的专精特新“小巨人”企业…给予一次性
    奖励。": the policy names no amount, and the sums of its neighbouring sentences are for other
    titles. "创业担保贷款年利率是多少？" by "具体额度及利率由经办银行…合理确定". Every ask of the question
    (its parts, and the asking pieces of a part: "最高贷多少，年利率是多少") must be for a sum or a
    rate and be deferred so, or the rest is answered as usual. An ask is deferred when one of the
    sentences of the cited clauses that cover it best (at least MIN_DEFERRING_COVERAGE) states no
    figure of the kind asked and has a piece with deferring words, while no sentence of the cited
    clauses covers it as well with the figure, unless the deferring piece names the figure asked
    (利率, 比例…). A figure in another policy that the caller's words fit less closely does not count
    ("房东…给予适当奖补" beside another notice's "给予20%的奖补"; eval/RESULTS.md). Returns the first deferring clause and sentence, or None.
    """
    places = places_in(question)
    asks = [piece for part in question_parts(question) for piece in _asks_of(part)]
    found: tuple[Hit, str] | None = None
    for ask in asks:
        deferred = _deferring(ask, hits, places, idf)
        if deferred is None:
            return None
        found = found or deferred
    return found


def _asks_of(part: str) -> list[str]:
    """The asking pieces of a part when it has several ("最高贷多少，年利率是多少"), else the part."""
    pieces = [p for p in re.split(r"[，,]", part) if _ASKING.search(p)]
    return pieces if len(pieces) > 1 else [part]


def _deferring(ask: str, hits: list[Hit], places: list[str], idf: dict[str, float]) -> tuple[Hit, str] | None:
    kinds = [k for k in kinds_asked(ask) if k in ("money", "rate")]
    if not kinds:
        return None
    # the ask's own words, not their stand-ins: "加计扣除" is not found in a sentence on 研发人才
    subject = {w: idf.get(w, 1.0) for w in tokenize(ask) if not _FIGURE_WORD.search(w) and not names_place(w, places)}
    total = sum(subject.values()) or 1.0
    scored = []  # (share of the subject, states a figure of the kind asked, sentence, its clause)
    for hit in hits:
        for sentence in SENTENCE.findall(hit.clause.text):
            words = text_words(sentence)
            share = sum(w for t, w in subject.items() if t in words) / total
            scored.append((share, any(_FIGURE_KINDS[k][1].search(sentence) for k in kinds), sentence, hit))
    top = max((share for share, *_ in scored), default=0.0)
    if top < MIN_DEFERRING_COVERAGE:
        return None
    stated = max((share for share, figure, *_ in scored if figure), default=0.0)
    asked_names = set(_FIGURE_NAME.findall(ask))
    for share, figure, sentence, hit in scored:
        if share < top or figure:
            continue
        for piece in _PIECE.findall(sentence):  # the sentence states no figure of the kind asked
            if _DEFERS.search(piece) and (stated < top or asked_names & set(_FIGURE_NAME.findall(piece))):
                return hit, sentence.strip()
    return None


_RATE_NAMES = re.compile(r"利率|费率|税率")
_RATE_NAME_STATED = {"利率": r"利率|LPR|利息|贴息", "费率": r"费率|保费|费用", "税率": r"税率|征收率"}


def _names_rate(sentence: str, named: list[str]) -> bool:
    """Whether a sentence stating a share is about the rate the question names (利率, 费率, 税率), if any."""
    return not named or any(re.search(_RATE_NAME_STATED[n], sentence) for n in named)


def _figure_coverage(question: str, hits: list[Hit], kinds: list[str], idf: dict[str, float]) -> float:
    """How much of the question the best sentence stating a figure of one of ``kinds`` covers."""
    places = places_in(question)
    groups = [
        (word, members)
        for word, members in query_groups(question)
        if not _FIGURE_WORD.search(word) and not names_place(word, places)
    ]
    coverage = Coverage.of(groups, idf)
    named = _RATE_NAMES.findall(_asked_text(question)) if "rate" in kinds else []
    best = 0.0
    for hit in hits:
        clause = hit.clause
        for sentence in SENTENCE.findall(clause.text):
            # a table row names its rate in the header: "平顶山市 7451 … 50%" under "2022年费率下调比例"
            named_in = clause.text if "\t" in sentence else sentence
            if not any(_FIGURE_KINDS[k][1].search(sentence) and (k != "rate" or _names_rate(named_in, named)) for k in kinds):
                continue  # "贷款利率最低多少" is not answered by a 担保费率 or a 首付比例
            if coverage.total <= 0:
                return 1.0  # nothing but figure words and places asked: any figure of the kind answers
            best = max(best, coverage.share(text_words(f"{clause.title} {clause.path_text} {sentence}")))
    return best
