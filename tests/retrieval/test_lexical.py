"""The words a question stands for: abbreviations and the policies' own variants."""

from __future__ import annotations

import pytest

from retrieval.hybrid_search import Coverage
from retrieval.lexical import expand_query, query_groups, tokenize


@pytest.mark.parametrize(
    ("question", "word", "stands_for"),
    [
        ("高企有什么奖励", "高企", "高新技术企业"),
        ("科小研发费用补助", "科小", "科技型中小企业"),
        ("首次升规入统奖多少", "升规入统", "上规入统"),  # the policies use both for the same step
        ("首次上规入统奖多少", "上规入统", "升规入统"),
        ("研发投入有什么门槛", "研发投入", "研发费用"),  # callers say the one, the standards count the other
        ("刚小升规，一次性奖多少", "小升规", "上规入统"),
    ],
)
def test_a_question_word_stands_for_the_policies_wording(question: str, word: str, stands_for: str) -> None:
    groups = dict(query_groups(question))
    assert set(tokenize(stands_for)) & groups[word]


def test_a_clause_in_the_other_wording_covers_the_question() -> None:
    groups = query_groups("首次升规入统奖多少")
    coverage = Coverage.of(groups, {word: 1.0 for word, _ in groups})
    clause = set(tokenize("对首次上规入统企业，由所在县（市、区）政府一次性奖励8万元。"))
    assert coverage.share(clause) > coverage.share(set(tokenize("对首次认定的企业给予奖励。")))


def test_how_a_question_is_asked_does_not_count_against_a_clause() -> None:
    words = {w for w, _ in query_groups("研发财政补助每年最多给多少？评上以后上限又是多少？")}
    assert {"研发", "财政", "补助", "每年"} <= words
    assert not words & {"最多", "以后", "上限", "评上"}
    # a question of asking words only keeps them: there is nothing else to weigh
    assert {w for w, _ in query_groups("以后呢？")} == {"以后"}


def test_a_domain_word_is_one_token_in_a_question_as_in_a_clause() -> None:
    # without it jieba cut "评上瞪羚以后" into 瞪 + 羚, words no clause has, so 瞪羚 weighed nothing
    assert "瞪羚" in tokenize("评上瞪羚以后研发补助上限又是多少？")
    assert "瞪羚" in tokenize("对符合条件的“瞪羚”企业每年给予最高300万元资金补助")


@pytest.mark.parametrize(
    ("question", "added", "not_added"),
    [
        # a way of asking in the rules' words
        ("代偿补偿一年能报几次、啥时候报？", {"每年", "申报"}, set()),
        ("这个通知管到啥时候？", {"有效期"}, set()),
        ("年销售3个多亿，能申报单项冠军吗？", {"亿元"}, set()),
        ("我和爱人都交公积金，最多能贷多少？", {"夫妻"}, set()),
        ("公司准备ipo，省里有补助吗？", {"首次公开发行"}, set()),
        ("环评报告表还没批下来就先盖了，能不能不罚？", {"未批先建", "免于处罚"}, set()),
        ("灾后重建信用贷款是去哪类银行办？", {"经办机构"}, {"责任单位"}),
        ("我们自己申请从规上库里退出来了，还能报吗？", {"退库"}, set()),
        ("我们县里的项目能直接用吗？", {"适用于", "参照"}, set()),
        ("这个“首次”是从什么时候开始算的？", {"起算"}, set()),
        ("这些奖补能不能跟别的财政政策叠加着拿？", {"重复", "享受"}, set()),
        ("投标押金可以用保函代替吗？", {"保证金"}, set()),
        # and not where the same characters mean something else
        ("员工出差的住宿费能报销多少？", set(), {"申报"}),
        ("办不动产登记去哪个窗口？", {"责任单位"}, {"经办机构"}),
        ("我老公开了个小饭馆，疫情期间有补贴吗？", set(), {"夫妻"}),
        ("我们公司每年上交所得税好几百万，有奖励吗？", set(), {"上海证券交易所", "首次公开发行"}),
        ("一年用电50万度，电费有补贴吗？", set(), {"亿元", "万元"}),
    ],
)
def test_question_forms_add_the_rules_words_only_where_they_are_asked(
    question: str, added: set[str], not_added: set[str]
) -> None:
    extra = set(expand_query(question).removeprefix(question).split())
    assert added <= extra
    assert not (not_added & extra)


def test_a_word_and_the_longer_word_it_sits_in_weigh_once() -> None:
    # "小升规" is cut into 升规 and 小升规 too; both stand for the same thing
    words = [word for word, _ in query_groups("我们厂今年刚小升规，一次性奖多少？")]
    assert "小升规" in words
    assert "升规" not in words
    assert "升规" in [word for word, _ in query_groups("我们厂今年刚升规，一次性奖多少？")]
