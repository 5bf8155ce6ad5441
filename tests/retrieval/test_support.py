"""A question about what support there is gets the clauses that grant it first."""

from __future__ import annotations

import pytest

from bot.settings import Settings
from retrieval.knowledge_base import KnowledgeBase
from retrieval.lexical import tokenize
from retrieval.support import ASKS_SUPPORT, leading_first
from retrieval.types import Clause, Hit


def _hit(text: str) -> Hit:
    return Hit(Clause(text=text, title="政策措施", source="t.txt"), score=1.0, coverage=0.6)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("我们刚认定为高新技术企业，能申请什么？", True),
        ("专精特新小巨人有哪些奖励？", True),
        ("外贸企业有什么扶持政策", True),
        ("新招的大学生，能拿到哪些补贴？", True),
        ("我们公司能申请高新技术企业认定吗？", False),  # a yes/no on eligibility
        ("小巨人认定有什么条件？", False),
        ("满负荷生产奖励申报材料报给什么单位？", False),
        ("申请奖励需要补什么材料？", False),
        ("奖励什么时候发？", False),
        ("小巨人有什么政策要求？", False),
        ("这个补贴有什么政策依据？", False),
        ("能申请到什么材料清单？", False),
    ],
)
def test_which_questions_ask_for_support(question: str, asks: bool) -> None:
    assert (ASKS_SUPPORT.search(question) is not None) == asks


def test_a_clause_granting_support_about_the_subject_comes_first() -> None:
    standards = _hit("专精特新“小巨人”企业认定需同时满足专、精、特、新、链、品六个方面指标。")
    other_award = _hit("对省级以上中小企业公共服务示范平台分档次奖励，一等奖奖励50万元。")
    subsidy = _hit("对国家级专精特新“小巨人”企业，按照实际投资给予补助，最高不超过500万元。")
    question = "专精特新小巨人有哪些奖励？"
    idf = dict.fromkeys(tokenize(question), 1.0)
    # the subsidy leads; an award for something else does not; the rest keep their order
    assert leading_first(question, [standards, other_award, subsidy], idf) == [subsidy, standards, other_award]


def test_search_puts_the_subsidy_before_the_standards(shared_settings: Settings) -> None:
    top = KnowledgeBase(shared_settings).search("专精特新小巨人有哪些奖励？", k=3)
    assert "500" in top[0].clause.text
    assert "小巨人" in top[0].clause.text


def test_what_a_support_question_finds_does_not_depend_on_how_many_are_asked(shared_settings: Settings) -> None:
    kb = KnowledgeBase(shared_settings)
    for question in ("专精特新小巨人有哪些奖励？", "我们是科技型中小企业，能享受哪些优惠？", "企业上市有什么奖励？"):
        five = [h.clause.id for h in kb.search(question, k=5)]
        assert five == [h.clause.id for h in kb.search(question, k=15)][:5], question


def test_a_clause_that_says_what_a_term_means_comes_first_for_a_definition_question() -> None:
    reward = _hit("在2022年2月15日前实现满负荷生产的规模以上工业企业，给予10万元的财政奖励。")
    meaning = _hit("（二）满负荷生产。是指日均用电量达到本企业2021年用电量峰值的80%。")
    question = "怎么才算满负荷生产？"
    assert leading_first(question, [reward, meaning], {}) == [meaning, reward]
    # a question that asks for neither support nor a definition keeps the order
    assert leading_first("满负荷生产奖励多少？", [reward, meaning], {}) == [reward, meaning]


def test_what_the_caller_tells_before_the_question_does_not_weigh_on_the_definition() -> None:
    fields = Hit(Clause(text="主导产品原则上属于制造业核心基础零部件、关键基础材料等重点领域。", title="政策措施", source="t.txt"),
                 score=1.0, coverage=0.6)
    meaning = Hit(Clause(text="所称“主导产品”是指企业核心技术在产品中发挥重要作用，且产品收入之和占企业同期营业收入比重超过30%。",
                         title="政策措施", source="t.txt"), score=0.77, coverage=0.5)
    question = "申报专精特新中小企业，材料里老说“主导产品”。什么样的产品才算主导产品？收入占比有没有要求？"
    assert leading_first(question, [fields, meaning], {}) == [meaning, fields]
