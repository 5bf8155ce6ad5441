"""Typos of the pinyin keyboard are read as the texts' words of the same sound, and only those."""

from __future__ import annotations

import pytest

from retrieval.spelling import Spelling

_TEXT = (
    "担保贷款代偿补偿资金每年申报两次。不动产登记中心受理。首次认定高新技术企业的，奖励15万元。"
    "创业担保贷款最高300万元。按照条例规定执行。企业内部管理。"
)
_SPELLING = Spelling(
    ["代偿", "补偿", "登记", "中心", "认定", "高新", "技术", "贷款", "担保", "条例", "内部"], _TEXT
)


@pytest.mark.parametrize(
    ("question", "corrected"),
    [
        ("担保公司代尝补偿一年报几次？", "担保公司代偿补偿一年报几次？"),
        ("购房户清单要交到不动产登计中心", "购房户清单要交到不动产登记中心"),
        ("创业担保代款能贷多少", "创业担保贷款能贷多少"),
        ("首次认订高新技术企业奖励多少", "首次认定高新技术企业奖励多少"),
        # words rightly typed stay, though they sound like the texts' ones: 33条里 is no 条例, 内补 no 内部
        ("国务院稳经济那33条里，能减免几个月房租？", "国务院稳经济那33条里，能减免几个月房租？"),
        ("欠费要在多久内补上？", "欠费要在多久内补上？"),
        ("公式期多久？", "公式期多久？"),
    ],
)
def test_a_typo_of_the_same_sound_is_read_as_the_texts_word(question: str, corrected: str) -> None:
    assert _SPELLING.corrected(question) == corrected


def test_no_words_no_corrections() -> None:
    assert Spelling([]).corrected("代尝补偿") == "代尝补偿"
