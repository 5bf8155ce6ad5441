"""What a question asks support for, when no indexed text names it: a title the firm gained (an
award, a certification, a centre), a trade asked about as such ("无人机企业", “以工代训”), or a
name whose reward is asked that no sentence grants ("商标注册奖励多少").

"安阳对获得中国质量奖的企业奖励多少" finds Anyang's reward clauses, which grant for other awards: its
words 安阳, 奖励 are covered and the question looked answered. What support is asked for must be
named somewhere in the policies, or no clause can grant it. Measured on the gold sets
(eval/RESULTS.md).

The texts are read as ``clause_sentences`` returns them: one sentence a line, lower case, without
quotes or spaces, so that a sentence holding a name's words can be found.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import partial

from bot.asking import ASKING, asked_pieces
from bot.scope import places_in
from retrieval.lexical import query_groups, tokenize

# how a question says a title was gained, and the heads a title ends with (奖 not as in "有奖", "市里还奖")
_GAINED = (
    r"(?P<verb>获得了?|荣获|获评了?|评上了?|被?评为|被?评定为|被?认定为|新认定的?|首次认定的?|通过了?|入选了?"
    r"|获批了?|被?授予|成为了?|被?公告为|晋升[为成])"
)
_HEAD = (
    r"(?:(?<![有还里再就也不])奖(?![励补金])|中心|基地|园区|工作室|认证|称号|平台|联盟|实验室|机构|企业|冠军|产品"
    r"|车间|工厂|之星|单位|项目|装备|示范区|孵化器|研究院|工作站|评估|品牌|标杆)"
)
# the shortest name after the verb that ends with a head: "获得中国质量奖的企业" -> 中国质量奖 (so a
# title whose own words hold a head, "省级企业技术中心", is read to its first: 省级企业, and passes)
_TITLE = re.compile(rf"{_GAINED}\s*(?P<title>[^\s，,。？?！!；、的]{{0,22}}?{_HEAD})")
# 通过 gains what is assessed ("通过DCMM三级评估"); "通过电子税务局申报企业所得税" gains nothing
_PASSED = re.compile(r"(?:认定|认证|评估|评价|验收|审核|贯标)$")
# what follows a gaining verb and is no title: "认定的能奖多少", "获得创业担保贷款扶持企业", "获批后市里奖", "通过这个评估"
_NO_TITLE = re.compile(
    r"^(?:能|还|可以|这|那)|没有|多少|吗|申报|办理|提交|申请|中标|扶持|支持|审批|贷款|补贴|资金|后|市里|省里|县里|系统|网上|线上"
)
# what a title may carry that a clause need not: a year, a batch, a grade, a county ("林州市科技企业"),
# a level (省级工业设计中心 is a 工业设计中心, listed as "国家级、省级…"; 国家, 全国 are names: 全国质量奖)
_QUALIFIERS = re.compile(
    r"\d{4}\s*年度?|第[\d一二三四五六七八九十]+批|[一二三特]等(?=奖)|^[\u4e00-\u9fff]{2}[市县区](?=.{3})"
    r"|(?:国家|省部|地市|区县|省|市|县|区)级(?:以上)?"
)
_LEVEL_WORD = re.compile(r"^(?:省|市|县)$")
_TIER = re.compile(r"[市县区]级(?!以上)")
# heads a clause need not repeat: "省级智能制造试点示范项目" (the clause says 试点示范), "A级景区称号"
_GENERIC_HEADS = {"企业", "项目", "单位", "产品", "称号"}
# the words for being assessed stand for one another: 通过两化融合管理体系认证 (the clause says 评定)
_ASSESSED = frozenset({"认证", "认定", "评定", "评估", "评价"})
_AND = set("和、及与")
_SENTENCE_END = re.compile(r"[。；;！!？?\n]")
_QUOTES_AND_SPACES = re.compile(r"[“”\"‘’\s]")


def clause_sentences(texts: Iterable[str]) -> str:
    """The clauses' sentences as names are looked for in them, one a line: lower case, without
    quotes or spaces (“专精特新”“小巨人”企业 names a 专精特新小巨人企业)."""
    flat = (
        _QUOTES_AND_SPACES.sub("", sentence).lower()
        for text in texts
        for sentence in _SENTENCE_END.split(text)
    )
    return "\n".join(sentence for sentence in flat if sentence)


def unnamed_title(question: str, sentences: str) -> str | None:
    """A title the question says was gained that no clause names, when none of the titles it names
    is named ("获得省级工业设计中心和国家级技术创新示范企业" asks of one the clauses price), or None.

    A title is named by a sentence that holds all its words (places, levels, years and grades aside:
    河南省省长质量奖 -> 省长, 质量奖), or a word standing for each, or its name with one character
    mistyped; a 市级 or 县级 title by a sentence at that level.
    """
    unnamed: list[str] = []
    for match in _TITLE.finditer(question):
        title = match.group("title")
        if _NO_TITLE.search(title) or (match.group("verb").startswith("通过") and not _PASSED.search(title)):
            continue
        name = _QUALIFIERS.sub("", _without_places(title, question))
        groups = [
            (word, members)
            for word, members in query_groups(name)
            if len(word) >= 2 and not _LEVEL_WORD.match(word)
        ]
        words = [
            _ASSESSED if word in _ASSESSED else members
            for word, members in groups
            if word not in _GENERIC_HEADS or len(groups) == 1
        ]
        if not words:
            continue
        if question[match.end() : match.end() + 1] in _AND:
            return None  # "获得省级工业设计中心和国家级技术创新示范企业": another title, which may be named
        # "市级制造业创新中心": the clauses name it at the province's and the state's level only
        tier = _TIER.search(title)
        level = tier.group(0)[0] if tier else ""
        if _found(words, sentences, partial(_at_level, level)) or _mistyped(name, sentences, level):
            return None
        unnamed.append(title)
    return unnamed[0] if unnamed else None


def _without_places(text: str, question: str, leading: bool = False) -> str:
    """``text`` without the places the question names, with their 省, 市 or 县: anywhere in a title
    (安阳市级… keeps its 市级), or only where they lead an asking piece ("安阳商标注册…")."""
    for place in sorted(places_in(question), key=len, reverse=True):
        pattern = rf"^{re.escape(place)}[省市县]?" if leading else rf"{re.escape(place)}(?:[省市县](?!级))?"
        text = re.sub(pattern, "", text)
    return text


def _found(words: list[frozenset[str]], sentences: str, also: Callable[[str], bool]) -> bool:
    """Whether a sentence holds each word, or a word standing for it, and meets ``also``."""
    first, rest = words[0], words[1:]
    for stand_in in first:
        for found in re.finditer(re.escape(stand_in), sentences):
            sentence = _sentence_at(sentences, found.start())
            if all(any(m in sentence for m in members) for members in rest) and also(sentence):
                return True
    return False


def _sentence_at(sentences: str, at: int) -> str:
    start = sentences.rfind("\n", 0, at) + 1
    end = sentences.find("\n", at)
    return sentences[start : end if end >= 0 else len(sentences)]


def _at_level(level: str, sentence: str) -> bool:
    """Whether a sentence speaks of the city's (or county's, district's) own level, when one is asked
    ("" when not): 市级, 经市认定, 省市两级, 市、县."""
    return (
        not level
        or re.search(rf"{level}(?:级|认定|评定|命名|两级|、)|[省市县]{level}两级", sentence) is not None
    )


MIN_TYPO_CHARS = 6  # of a name, for one character wrong to be a typo ("高新计术企业"), not another name


def _mistyped(name: str, sentences: str, level: str = "") -> bool:
    """Whether a sentence names ``name`` with one character different: "专精特心小巨人企业".

    One character wrong leaves one half of the name whole: only the sentences holding a half are
    read."""
    name = _QUOTES_AND_SPACES.sub("", name).lower()
    if len(name) < MIN_TYPO_CHARS:
        return False
    typed = re.compile(
        "|".join(f"{re.escape(name[:i])}.{re.escape(name[i + 1 :])}" for i in range(len(name)))
    )
    half = len(name) // 2
    for part in (name[:half], name[half:]):
        for found in re.finditer(re.escape(part), sentences):
            sentence = _sentence_at(sentences, found.start())
            if typed.search(sentence) and _at_level(level, sentence):
                return True
    return False


_SUPPORT = r"(?:补贴|奖励|补助|奖补|贴息|扶持|支持|政策|优惠|奖)"
# a trade asked about as such, at the start of an asking piece: "无人机企业在安阳有什么专项补贴？"
_TRADE = re.compile(
    r"(?:我们|我|咱们|咱|俺们)?(?:是|搞|做|开展|发展|从事|对)?(?P<topic>[\u4e00-\u9fffA-Za-z0-9]{2,10}?)"
    rf"(?:企业|行业|产业)(?:在[\u4e00-\u9fff]{{2,3}})?(?:有没有|有什么|有啥|有|能|可以|享受|给)[^，,。]{{0,6}}?{_SUPPORT}"
)
_INDUSTRY = re.compile(r"([^\W\d的了么啥哪什怎样]{2,4})(?=产业|行业)")
_QUOTED = re.compile(r"“([^“”]{2,12})”")  # a name the caller quotes: “以工代训”
_LEVEL_FIRST = re.compile(r"^(?:市里|省里|县里|国家|省|市|县)")
# a word of the caller's, not a trade: 这边, 那种, 市里, 交了, 还有, 弄个
_CALLER_WORD = re.compile(r"^[这那哪几每各一两本别]|里$|[了着得还有会也就都搞做按交个]")
# the last character of a compound may be a kind of place: 小吃店 (小吃馆), 养猪场 (猪场)
_PLACE_KIND = "店场厂馆户园"


def unnamed_topic(question: str, corpus: str) -> str | None:
    """A trade or activity the question asks support for that names a word no indexed text holds,
    nor any word standing for it (``corpus`` is all their text, lower case), or None.

    Only a name asked about as such is read: a trade at the start of a piece that asks support for
    it ("无人机企业在安阳有什么专项补贴？"), or a name the caller quotes in one ("搞“以工代训”，能按
    人头给以工代训补贴吗？"). A caller's everyday words for what the texts name (开店, 买房, 饭馆)
    come in any shape, and are not read: a trade the caller tells of ("我们是做汽车密封件的，能申请
    专精特新吗") is not what is asked either.
    """
    asking = [p for p in asked_pieces(question) if ASKING.search(p) and re.search(_SUPPORT, p)]
    topics = [name for name in _QUOTED.findall(question) if any(name in piece for piece in asking)]
    for piece in asking:
        trade = _TRADE.match(_LEVEL_FIRST.sub("", _without_places(piece, question, leading=True)))
        if trade:
            topics.append(trade.group("topic"))
        # an industry the piece names: "郴州哪个县被省里支持重点发展稀土产业"
        topics += [tokenize(found)[-1] for found in _INDUSTRY.findall(piece) if tokenize(found)]
    for topic in topics:
        unheard = any(_unheard(word, members, corpus) for word, members in query_groups(topic))
        if unheard and not _mistyped(topic, corpus):
            return topic
    return None


def _unheard(word: str, members: frozenset[str], corpus: str) -> bool:
    """A word of two or more characters, not all digits nor a caller's word, that no text holds, nor
    any word standing for it, nor two words of theirs joined (商标注册: 商标, 注册)."""
    return (
        len(word) >= 2
        and not word.isdigit()
        and not _CALLER_WORD.search(word)
        and not any(m in corpus for m in members)
        and not _joined(word, corpus)
    )


def _joined(word: str, corpus: str) -> bool:
    """Whether ``word`` is two words of the texts, each of two characters or more, or one such word
    and the kind of place it is (小吃店)."""
    for cut in range(2, len(word) - 1):
        if word[:cut] in corpus and word[cut:] in corpus:
            return True
    return len(word) >= 3 and word[-1] in _PLACE_KIND and word[:-1] in corpus


# a piece that only names something and asks how much its reward is: "商标注册奖励多少？"
_PRICED = re.compile(
    r"(?P<topic>[\u4e00-\u9fffA-Za-z]{2,8}?)的?(?:奖励|补贴|补助|奖补)(?:是?多少钱?|标准是?多少|怎么算|有多少)[？?]?"
)
_NOT_A_NAME = re.compile(
    r"^[有没给按能还要想对在是那这每一政市省县]|什么|哪些|啥"
)  # "有没有一次性…", "给个人多少…"
_GRANTS = re.compile(r"奖|补|贴|扶持|支持|优惠|减|免|退|给予")


def ungranted(question: str, corpus: str, sentences: str) -> str | None:
    """What a question only names to ask how much its reward or subsidy is ("安阳商标注册奖励多少？"),
    when its words are the texts' but no sentence holding its rarest word with the others grants
    anything, or None.

    ``corpus`` is all the texts, lower case; ``sentences`` their sentences as ``clause_sentences``
    returns them. A name in words the texts do not hold is left alone: it may be a caller's words for
    theirs (买房 is their 购房).
    """
    for piece in filter(ASKING.search, asked_pieces(question)):
        priced = _PRICED.fullmatch(
            _LEVEL_FIRST.sub("", _without_places(piece, question, leading=True).lstrip())
        )
        if not priced or _NOT_A_NAME.search(priced.group("topic")):
            continue
        topic = re.sub(rf"^{_GAINED}", "", priced.group("topic"))  # "获得国高认定奖励多少": what was gained
        groups = query_groups(topic)
        held = {word: any(m in corpus for m in members) for word, members in groups}
        known = {word for word in held if held[word] or _joined(word, corpus)}  # 商标注册 is 商标 and 注册
        words, unknown = [], False
        for word, members in groups:
            if len(word) < 2:
                continue
            if held[word]:
                words.append(members)
            elif not any(word in w for w in known):  # nor known, nor a cut of one known: 标注 of 商标注册
                unknown = True
        if not words or unknown:
            continue
        # its rarest word with a grant: "钢铁企业" is granted in "钢铁、有色…头雁企业…给予奖励"
        rarest = min(words, key=lambda members: sum(sentences.count(m) for m in members))
        if not _found([rarest], sentences, lambda sentence: _GRANTS.search(sentence) is not None):
            return topic
    return None
