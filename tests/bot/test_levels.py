"""Questions that compare levels of government cite each level's own rule."""

from __future__ import annotations

from bot.levels import cover_levels, levels_named
from retrieval.lexical import tokenize
from retrieval.types import Clause, Hit


def _hit(text: str, level: str, coverage: float, score: float = 1.0) -> Hit:
    return Hit(Clause(text=text, title=f"{level}的政策", source="t.txt", level=level), score=score, coverage=coverage)


PROVINCE_REPLY = _hit("支持符合条件的企业到沪深北交易所上市融资。", "省", 0.6, 1.6)
PROVINCE_RULE = _hit("企业申请在证券交易所首次公开发行股票并上市的，由省财政分别给予50万元、150万元补助。", "省", 0.4, 1.2)
PROVINCE_OTHER = _hit("对专精特新企业给予30万元奖励。", "省", 0.35, 1.1)
CITY_PLAN = _hit("支持龙头企业到主板上市，分阶段抓好上市后备企业培育。", "市", 0.37, 1.4)
CITY_RULE = _hit("对在境内证券交易所主板上市的企业，给予500万元奖励。", "市", 0.33, 1.0)


def _idf(*texts: str) -> dict[str, float]:
    """Every word weighs the same."""
    return {token: 1.0 for text in texts for token in tokenize(text)}


def test_a_question_names_levels_side_by_side() -> None:
    assert levels_named("省里和市里分别有哪些上市奖补？") == ["省", "市"]
    assert levels_named("省财政按阶段能给多少补助？真上市了市里再奖多少？") == ["省", "市"]
    assert levels_named("河南省里文件和安阳市的政策分别是多少？") == ["省", "市"]
    assert levels_named("河南省和安阳市分别奖多少？") == ["省", "市"]
    # a province by its name: "国家那个…、河南的…各是多少"
    assert levels_named("国家那个一次性扩岗补助、河南的一次性吸纳就业补贴各是多少？") == ["国家", "省"]


def test_a_rank_before_a_title_or_a_single_level_is_no_comparison() -> None:
    assert levels_named("我们想申报省级专精特新中小企业，市里有什么奖励？") == []
    assert levels_named("国家级专精特新小巨人，河南省按投资额补多少比例？") == []
    assert levels_named("省里对高企奖励多少？") == []
    assert levels_named("河南省级企业技术中心，国家级的奖多少？") == []
    assert levels_named("企业上市和挂牌，省里分别奖多少？") == []  # 上市 names no city
    assert levels_named("城市里的企业和省里的企业有啥区别") == []
    assert levels_named("按国家规定缴纳社保的小微企业，市里有什么补贴？") == []  # 国家 as a qualifier


def test_what_a_level_says_names_it() -> None:
    assert levels_named("社保国家说能缓缴到什么时候？省里说能缓多久？") == ["国家", "省"]


def test_each_level_gets_its_clause_that_grants_a_sum_about_its_part() -> None:
    question = "企业到交易所上市，省里分阶段补多少？市里对主板上市再奖多少？"
    by_level = {"省": [PROVINCE_REPLY, PROVINCE_RULE, PROVINCE_OTHER], "市": [CITY_PLAN, CITY_RULE]}
    idf = _idf(question, *(h.clause.text for hits in by_level.values() for h in hits))
    cited = cover_levels(question, [PROVINCE_REPLY], by_level, 0.4, idf, wants_grant=True)
    # the provincial reply grants nothing, so the provincial rule that does takes its place
    assert cited == [PROVINCE_RULE, CITY_RULE]


def test_without_money_asked_each_level_gets_its_best_clause() -> None:
    question = "企业上市，省里和市里分别有什么支持措施？"
    by_level = {"省": [PROVINCE_REPLY, PROVINCE_RULE], "市": [CITY_PLAN, CITY_RULE]}
    cited = cover_levels(question, [PROVINCE_REPLY], by_level, 0.4, {}, wants_grant=False)
    assert cited == [PROVINCE_REPLY, CITY_PLAN]


def test_a_level_clause_far_from_the_question_is_not_cited() -> None:
    weak = _hit("对在境内证券交易所主板上市的企业，给予500万元奖励。", "市", 0.1)
    cited = cover_levels("省里和市里分别奖多少？", [PROVINCE_RULE], {"市": [weak]}, 0.4, {}, wants_grant=True)
    assert cited == [PROVINCE_RULE]
