"""Typos of the pinyin keyboard: a caller's "代尝补偿", "登计中心", "认订" are the texts' 代偿, 登记, 认定.

Chinese is typed by its sound, and a wrong character of the same sound is the commonest typo in
chat. jieba makes such a typo up into a word of its own ("代尝"): a made-up word of two to four
characters, in neither jieba's dictionary nor the texts' words, is read as the texts' word of the
same sound when it shares a character with it and the texts have that word beside the word the
question has beside it ("代偿补偿"). Words rightly typed stay: "公式" is a word, "33条里" holds no
条例. Measured on the gold sets and the review questions (eval/RESULTS.md).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

from retrieval.lexical import tokenize

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{2,}")
MIN_CHARS, MAX_CHARS = 2, 4  # of a run read as a word


@functools.lru_cache(maxsize=8192)
def _sound(char: str) -> str:
    from pypinyin import lazy_pinyin

    return lazy_pinyin(char)[0]


def _sounds(text: str) -> tuple[str, ...]:
    return tuple(_sound(c) for c in text)


class Spelling:
    """The texts' words by their sound; ``corrected`` puts them in place of a question's typos."""

    def __init__(self, words: Iterable[str], text: str = "") -> None:
        self._words = {w for w in words if MIN_CHARS <= len(w) <= MAX_CHARS and _CJK_RUN.fullmatch(w)}
        self._text = text
        by_sound: dict[tuple[str, ...], str] = {}
        for word in sorted(self._words):  # the same words, the same choice, build after build
            by_sound.setdefault(_sounds(word), word)
        self._by_sound = by_sound

    def corrected(self, question: str) -> str:
        """``question`` with each misspelt word replaced by the texts' word of its sound.

        A misspelt word is one jieba makes up from characters it does not know together ("代尝",
        "补帖"), not one of its dictionary's nor of the texts'; its replacement must stand in the texts
        beside the word the question has beside it ("代偿补偿", "登记中心"): "33条里" is no 条例."""
        if not self._by_sound:
            return question
        import jieba

        tokenize("")  # the domain words are in jieba's dictionary
        out = question
        for run in _CJK_RUN.findall(question):
            tokens = jieba.lcut(run)
            for i, token in enumerate(tokens):
                if (
                    not MIN_CHARS <= len(token) <= MAX_CHARS
                    or jieba.dt.FREQ.get(token)
                    or token in self._words
                ):
                    continue
                word = self._by_sound.get(_sounds(token))
                if not word or not set(word) & set(token):
                    continue
                before = tokens[i - 1][-2:] if i > 0 else ""
                after = tokens[i + 1][:2] if i + 1 < len(tokens) else ""
                if (before and before + word in self._text) or (after and word + after in self._text):
                    out = out.replace(token, word)
        return out
