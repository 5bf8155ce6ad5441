"""Offline follow-up resolution: carry the earlier topic into a short follow-up question."""

from __future__ import annotations

import re

from bot.memory import Turn

_FOLLOW_UP = re.compile(
    r"^(那|那么|还有|另外|再问|然后|其他|其它|同样|这个|这项|该政策|它|那个)"
    r"|^(省里|市里|国家|县里|省级|市级|国家级)"
    r"|(呢|吗)[？?]?$"
    r"|^(需要|要)(什么|哪些)(材料|条件)"
    r"|^(怎么|如何)(申请|申报|办理)[？?]?$"
    r"|^(多少|几|最高|上限|找谁|哪个部门|什么时候|截止)"
)
_LEVEL_WORDS = (("国家", "国家"), ("省", "省"), ("市", "市"), ("县", "县"))


def is_follow_up(question: str) -> bool:
    q = question.strip()
    return len(q) <= 14 and bool(_FOLLOW_UP.search(q))


def standalone_question(question: str, history: list[Turn]) -> str:
    """The question with the earlier topic in front when it only makes sense after the last turn."""
    if not history or not is_follow_up(question):
        return question
    return f"{history[-1].standalone} {question}"


def level_asked(question: str) -> str | None:
    """'那省里呢？' asks for provincial policies."""
    q = question.strip()
    for word, level in _LEVEL_WORDS:
        if re.match(rf"^(那|那么)?{word}(里|级|层面|的)", q):
            return level
    return None
