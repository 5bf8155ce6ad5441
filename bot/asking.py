"""What a question asks, apart from what the caller tells about themselves.

"我们厂是2019年成立的，2023年还能申请吗？" tells a year in its first piece and asks about another in its
second; the checks on figures and dates read only the asking pieces.
"""

from __future__ import annotations

import re

from bot.extractive import TELLS_BEFORE


def punctuated(question: str) -> str:
    """A question typed on a phone or spoken, with spaces for its pauses, punctuated where a pause
    after an asking word ends a question: "…省里通知要求是多少 安阳市自己定的又是多少" asks two
    things. Other spaces stay: "安阳 高企 奖励" is a search by keywords."""
    def pause(found: re.Match[str]) -> str:
        before, after = question[: found.start()], question[found.end() :]
        if _ENDS_ASKING.search(before) or (_ENDS_ASKING_WORD.search(before) and _ASKS_AGAIN.match(after)):
            return "？"
        return found.group(0)

    return _PAUSE.sub(pause, question)


_PAUSE = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])")
_ENDS_ASKING = re.compile(r"(?:吗|呢|(?<![什怎这那多要])么)$")  # a particle that ends a question (not 什么, 怎么)
# "…省里通知要求是多少 安阳市自己定的又是多少": an asking word ends a question when what follows asks
# again; "多少 钱", "什么 时候", "哪些 材料" are one question typed with spaces
_ENDS_ASKING_WORD = re.compile(r"(?:多少|什么|啥|哪些|哪个|几个|怎么办|怎么样|如何|没有|行不行)$")
_ASKS_AGAIN = re.compile(r"[^ \u3000]{2,}?(?:多少|什么|啥|哪|几|怎么|如何|吗|呢)")


def asking_pieces(question: str) -> list[str]:
    """The pieces that ask and do not tell about the caller: a year or month named there is asked about
    ("2023年市里还按100%暂退吗？"), not one that tells ("我们厂是2019年成立的")."""
    return [p for p in _pieces(question) if ASKING.search(p) and not _TELLS.search(p)]


def asked_text(question: str) -> str:
    """The question without the caller's story ("听说有个试点额度，我们能不能参加？" asks no 额度), and
    without a piece asking what a rule says ("费率是怎么说的"), unless 多少/几 asks for a figure anyway."""
    pieces = [
        p for p in _pieces(question)
        if not p.endswith(_INTRODUCES) and (ASKING.search(p) or not _STORY.search(p))
    ]
    if not _HOW_MUCH.search(question):
        pieces = [p for p in pieces if not _WHAT_SAID.search(p)]
    return "".join(pieces)


def _pieces(question: str) -> list[str]:
    """The question's pieces, a 有几个 that tells of what the caller has or meets (a piece before the
    last, not asked) read as 有个: "我们手里有几个实用新型专利，去年才授权的，能算Ⅰ类知识产权吗？"
    asks no count; "安阳今年有几个专精特新名额，怎么申报？" does."""
    pieces = _ASKED_PIECE.findall(question)
    return [
        _SEVERAL.sub("有", p) if i < len(pieces) - 1 and not p.endswith(("？", "?")) and _TELLS_SEVERAL.search(p) else p
        for i, p in enumerate(pieces)
    ]


_ASKED_PIECE = re.compile(r"[^，,。；;！!？?：:]+[？?：:]?")
_SEVERAL = re.compile(r"有几(?=[个项家件条位名种笔])")
# "我们手里有几个…", "有几项合规证明县里一直开不出来": what the caller has or meets, not a count asked
_TELLS_SEVERAL = re.compile(r"我|咱|俺|手里|手上|公司|厂里|有几[个项家件条位名种笔][^，,。？?]{1,10}?(?:一直|都|还|没|不|被)")
_INTRODUCES = ("：", ":")  # "有几个实用新型专利：一个刚授权一年半" introduces what it tells, it asks no count
_CALLER = r"听说|据说|我|咱|俺|厂|公司|单位"  # words of a caller telling about themselves
_STORY = re.compile(rf"{_CALLER}|\d")  # what the caller tells, not what they ask
_HOW_MUCH = re.compile(r"多少|几|百分之")
# a piece naming the caller or a founding tells its year ("我们厂是2019年成立的，能申请吗")
_TELLS = re.compile(rf"{_CALLER}|注册|成立|认定")
_WHAT_SAID = re.compile(r"怎么说")  # "对短期险的规模和费率分别是怎么说的"
ASKING = re.compile(rf"[？?吗呢]|多少|什么|怎么|哪|{TELLS_BEFORE}几|能否|是否|如何|可以|能不能|有没有|是不是")
