"""Whether the clauses state the figure a question asks for: a rate, a sum, a count, a span.

A question that asks for a kind of figure needs a clause sentence stating one of that kind about its
subject; a clause that grants without a figure defers it; a fee or fund no text names is unindexed.
Each check is measured on the gold sets (eval/RESULTS.md).
"""

from __future__ import annotations

import re

from bot.asking import ASKING, TELLS_BEFORE, asked_text, intents, question_parts
from bot.extractive import pick_sentences
from bot.scope import names_place, places_in
from retrieval.hybrid_search import Coverage
from retrieval.lexical import query_groups, text_words, tokenize
from retrieval.support import ASKS_SUPPORT, SENTENCE
from retrieval.types import Hit

# not 几月(份): which month, a date
_ASKS_FIGURE = re.compile(rf"多少|{TELLS_BEFORE}(?<!哪)几[个年天家项倍]|比例|税率|费率|标准是|额度|上限|封顶|最高|最多|最低")
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
# a share granted ("按50%给予补贴"), not a statistic ("同比增长120%")
_SHARE = r"(?<![\d.])(?<!增长)(?<!下降)(?<!增速)(?<!增幅)\d+(?:\.\d+)?\s*[%％]|百分之"
# the kind of figure a question asks for -> what a sentence stating one contains
_FIGURE_KINDS: dict[str, tuple[re.Pattern[str], re.Pattern[str]]] = {
    "rate": (
        re.compile(r"税率|费率|征收率|利率(?!互换)|比例|比率|几成|几折|百分之|多少个?(?:点|百分点|基点)"),
        re.compile(rf"\d+(?:\.\d+)?\s*[%％‰]|百分之|百分点|基点|BP|[{_CN}]成|减半|全额|\d+\s*倍|{_RATIO}"),
    ),
    "money": (
        re.compile(
            rf"多少钱|多少万|金额|额度|(?:奖励|补贴|补助|给|发|补|奖|贴|退|减|拿|领|贷)多少(?!{_SPAN}|名|人|家|项|个|比例|倍|成|个?百分点)"
            r"|多少(?:补贴|奖励|资金)|(?:哪|几)[几]?笔(?:钱|资金|奖励|补助|补贴)?"
        ),
        re.compile(
            rf"\d+(?:\.\d+)?\s*[余多]?\s*(?:万元|亿元|元|万(?![人户家个台度平亩吨次]))|[{_CN}]+\s*(?:万元|元)|{_SHARE}|全额|减半|免(?:收|征|缴|费)"
            rf"|{_RATIO}"
        ),
    ),
    "count": (
        re.compile(
            rf"{TELLS_BEFORE}几家|多少家|多少人|多少名|多少户|多少项|(?<!哪)几项|多少个名额"
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
_PHONE = re.compile(r"\d{3,4}\s*[-—－]\s*\d{7,8}|[（(]\d{3,4}[）)]\s*\d{7,8}|(?<!\d)(?:\d{7,8}|123\d{2})(?![\d万亿元%年])")  # 12345, 12366: hotlines; not a table's 12189
MIN_FIGURE_COVERAGE = 0.15  # swept on the 19 gold sets (eval/RESULTS.md, ninth session)


# "排污权", "试用期"); not a verb's cut ("能奖", "最多贷") nor a count ("三年期")
_FIGURE_NOUN = re.compile(rf"^[^能最还不可拿里过第每多几报完欠缴交纳退免减征扣抵收付补{_CN}][\u4e00-\u9fff]*[期费金税率额权险]$")


def unindexed_subject(question: str, corpus: str) -> str | None:
    """A fee, fund, right or period the question asks about that no indexed text names, nor any word
    standing for it: "安阳引进博士给多少安家费？" finds clauses on 引进 and 博士, none on 安家费."""
    groups = query_groups(asked_text(question) or question)
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
    asking = asked_text(question)
    kinds = [name for name, (asks, _) in _FIGURE_KINDS.items() if asks.search(asking)]
    # "费率会降吗", "利率降到什么时候" name a rate without asking its figure, "额度能提高吗" a sum;
    # "期限延长到哪天" asks a date, not a span
    return [
        k for k in kinds
        if (k != "rate" or _ASKS_RATE_FIGURE.search(asking))
        and (k != "money" or not names_figure_only(asking))
        and (k != "duration" or not _ASKS_DAY.search(asking) or _ASKS_SPAN.search(asking))
    ]


_ASKS_ADDRESS_OF = re.compile(r"(?:办公|具体|详细|通讯|邮寄)?地址(?:在|是)?(?:哪|什么|多少)|办公地点|门牌号")
_STREET = re.compile(r"[路街道巷]\s*\d+\s*号|\d+\s*号(?:楼|院)|大厦|大楼|\d+\s*室|[A-Z]?\d+\s*房间")
# "网址是多少", "邮箱多少": a place to go or write to, not a figure
_ASKS_ADDRESS = re.compile(r"(?:网址|网站|邮箱|地址)[^，,。？?]{0,3}多少")
_ASKS_RATE_FIGURE = re.compile(r"多少|几|多大|多高|多低|百分之|怎么算|标准")
_WHETHER = re.compile(r"吗|能否|是否|有没有|会不会|能不能|可不可以|可否")
_FIGURE_NAME = re.compile(r"利率|费率|税率|比例|额度|金额|标准")  # a figure asked by its name
_ASKS_DAY = re.compile(r"哪天|哪一天|什么时候|啥时候|何时|几号|几月几日")
_ASKS_SPAN = re.compile(r"多久|多长时间|几天|几个月|几年|多少天|多少个?月|多少年")


def names_figure_only(asking: str) -> bool:
    """Whether a question names a figure only to ask whether something happens to it: "公积金租房
    提取额度能提高吗？", "出口信用保险费率有降低吗？" ask whether, not how much ("补贴比例？" asks it)."""
    if not _WHETHER.search(asking) or _ASKS_RATE_FIGURE.search(asking):
        return False
    return not _ASKS_FIGURE.search(_FIGURE_NAME.sub("", asking))


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
    if _ASKS_ADDRESS_OF.search(question):  # "规划科具体办公地址在哪": a street and number, not "交科技局"
        return not any(_STREET.search(h.clause.text) for h in hits)
    if "document" in wanted:
        return False
    kinds = kinds_asked(question)
    if kinds:
        return _figure_coverage(question, hits[:3], kinds, idf or {}) < MIN_FIGURE_COVERAGE
    asking = asked_text(question)
    if "amount" not in wanted or not _ASKS_FIGURE.search(asking):
        return False
    if names_figure_only(asking) or _ASKS_ADDRESS.search(asking):
        return False
    extracts = pick_sentences(question, hits[:2], budget, idf)
    return not any(_STATES_FIGURE.search(s) for ex in extracts for s in ex.sentences)


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
    r"|(?:提高|降低|调整|扩大)[^，,。；]{0,20}(?:比例|标准|额度|幅度)$"  # "推动进一步提高…加计扣除比例"
)
_PIECE = re.compile(r"[^，,。；！？\n]+")
_CONFIRMS = re.compile(r"是(?:不是)?\d+(?:\.\d+)?\s*[%％]|是百分之")  # a figure the caller asks to confirm
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
        if found and _CONFIRMS.search(ask) and not _FIGURE_KINDS["rate"][0].search(ask):
            # "…比例是多少？制造业是100%吗？": the share just asked, to confirm, is not stated either
            # (not "大型企业稳岗返还比例是50%吗？", a share of its own)
            continue
        deferred = _deferring(ask, hits, places, idf)
        if deferred is None:
            return None
        found = found or deferred
    return found


def _asks_of(part: str) -> list[str]:
    """The asking pieces of a part when it has several ("最高贷多少，年利率是多少"), else the part."""
    pieces = [p for p in re.split(r"[，,]", part) if ASKING.search(p)]
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
    named = _RATE_NAMES.findall(asked_text(question)) if "rate" in kinds else []
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
