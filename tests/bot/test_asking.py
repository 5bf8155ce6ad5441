"""Reading what a question asks: its intents, parts and pauses, its asking pieces, what the caller only tells."""

from __future__ import annotations

import pytest

from bot.asking import asked_text, asking_pieces, punctuated


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("万人助万企线上诉求办理的问题解决率 省里通知要求是多少 安阳市自己定的又是多少 对比下",
         "万人助万企线上诉求办理的问题解决率 省里通知要求是多少？安阳市自己定的又是多少 对比下"),
        ("技改投资增长目标 河南省定的多少 安阳市定的多少", "技改投资增长目标 河南省定的多少？安阳市定的多少"),
        ("安阳 高企 奖励", "安阳 高企 奖励"),  # keywords, no pause after an asking word
        ("国家技术创新示范企业 新认定 安阳 一次性奖励 多少", "国家技术创新示范企业 新认定 安阳 一次性奖励 多少"),
        ("补贴 500 万元 能拿吗", "补贴 500 万元 能拿吗"),  # beside digits a space is no pause
        ("高企能申请吗 省里呢", "高企能申请吗？省里呢"),
        # one question typed with spaces: an asking word and what it asks about stay together
        ("满负荷生产奖励 什么 时候 截止", "满负荷生产奖励 什么 时候 截止"),
        ("环评 告知承诺 需要 哪些 材料", "环评 告知承诺 需要 哪些 材料"),
        ("一次性扩岗补助 多少钱 怎么 申领", "一次性扩岗补助 多少钱 怎么 申领"),
    ],
)
def test_a_pause_after_an_asking_word_ends_a_question(typed: str, read: str) -> None:
    assert punctuated(typed) == read


def test_what_the_caller_tells_is_not_asked() -> None:
    question = "我们厂是2019年成立的，2023年还能申请吗？"
    assert asking_pieces(question) == ["2023年还能申请吗？"]
    assert asked_text("听说有个试点额度，我们能不能参加？") == "我们能不能参加？"


def test_several_the_caller_has_is_told_a_count_of_places_is_asked() -> None:
    from bot.figures import kinds_asked

    assert kinds_asked("我们手里有几个实用新型专利，去年才授权的，能算Ⅰ类知识产权吗？") == []
    assert kinds_asked("安阳今年有几个专精特新名额，怎么申报？") == ["count"]
