"""What a question asks support for must be named by some clause: titles gained, trades, activities."""

from __future__ import annotations

import pytest

from bot.subjects import clause_sentences, ungranted, unnamed_title, unnamed_topic

_CLAUSES = clause_sentences(
    [
        "对认定为国家级、省级制造业创新中心的单位，分别给予100万元、50万元的一次性奖励。",
        "对新认定的国家级专精特新“小巨人”企业，给予一次性奖励。",
        "对获得河南省科学技术进步奖项目的第一完成单位，给予一等奖30万元、二等奖20万元的配套奖励。",
        "质量管理水平：获得省级以上质量奖荣誉。",
        "其他企业首次认定为高新技术企业的，奖励15万元。",
        "对获得省级智能制造、工业互联网、大数据产业发展等试点示范的企业，给予一次性奖励50万元。",
        "支持发展直播电商，扩大线上流量；对我市主导产业的项目给予专项奖励。",
        "品牌已经国家知识产权局商标局正式注册。",
        "在我市注册的企业，按规定享受政策。",
        "对通过国家两化融合管理体系评定的企业，给予50万元奖励。",
        "对钢铁、有色、化工等传统产业头雁企业，给予一次性奖励。",
        "每建成1个5G基站给予5000元奖励。",
    ]
)
_CORPUS = _CLAUSES


@pytest.mark.parametrize(
    ("question", "unnamed"),
    [
        ("安阳对获得中国质量奖的企业奖励多少？", "中国质量奖"),  # 质量奖 is named, not this one
        ("我们公司今年获得了河南省省长质量奖，安阳市有没有配套的一次性奖励？", "河南省省长质量奖"),
        ("安阳对新认定的国家级工业设计中心给多少一次性奖励？", "国家级工业设计中心"),
        ("刚通过了数据管理能力成熟度评估（DCMM）三级，市里有奖励吗？", "数据管理能力成熟度评估"),
        # what a clause names, at another level, with a year, a grade, a typo, or in a list, is named
        ("我们被认定为省级制造业创新中心，奖多少？", None),
        ("评上了国家级专精特新小巨人企业，有什么奖励？", None),
        ("获得河南省科技进步一等奖，安阳配套多少？", None),
        ("2023年度首次认定的高新技术企业奖励多少？", None),
        ("首次认定高新计术企业奖励多少？", None),
        ("获得省级智能制造试点示范项目奖励多少？", None),
        ("通过两化融合管理体系认证奖励多少？", None),  # 认证: the clause's 评定
        # one title of two named: the question is answered for it
        ("获得省级工业设计中心和国家级专精特新小巨人企业，能拿多少？", None),
        # no title: a verb's everyday use, an asking word, a step of the procedure
        ("通过电子税务局申报企业所得税怎么弄？", None),
        ("首次认定的能奖多少？", None),
        ("获批后市里奖不奖？", None),
    ],
)
def test_a_title_gained_must_be_named_by_a_clause(question: str, unnamed: str | None) -> None:
    assert unnamed_title(question, _CLAUSES) == unnamed


@pytest.mark.parametrize(
    ("question", "unnamed"),
    [
        ("无人机企业在安阳有什么专项补贴？", "无人机"),
        ("我们组织新招员工搞“以工代训”，安阳能按人头给以工代训补贴吗？", "以工代训"),  # not 以工代赈 mistyped
        ("郴州哪个县被省里支持重点发展稀土产业？", "稀土"),  # an industry named where support is asked
        ("在优化产业布局部分，支持把高新区建成什么样的产业基地？", None),
        # what the texts name is no unnamed trade, nor two of their words joined, nor a typo of theirs
        ("直播电商企业有什么补贴？", None),
        ("5G企业有什么补贴？", None),  # the texts' 5g, lower case
        ("线上流量企业有什么补贴？", None),
        # a caller's everyday words are not read (开店 is what the texts call 个体工商户), nor a trade
        # told and not asked about, nor the caller's words
        ("开店有补贴吗？", None),
        ("网红孵化有奖励吗？", None),
        ("我们是做汽车密封件的，能申请专精特新吗？", None),
        ("安阳这边一次性奖多少？后面几年还有没有持续的支持？", None),
        ("安阳买房给契税补贴、公积金贷款额度提高，是哪个文件定的？", None),
    ],
)
def test_a_trade_asked_support_for_must_be_named_by_a_clause(question: str, unnamed: str | None) -> None:
    assert unnamed_topic(question, _CORPUS) == unnamed


@pytest.mark.parametrize(
    ("question", "priced"),
    [
        ("安阳商标注册奖励多少？", "商标注册"),  # 商标 and 注册 are named, never with a grant
        ("获得高新技术企业认定奖励多少？", None),
        ("首次认定高企奖励多少", None),  # 高企: 高新技术企业
        ("买房补贴多少？", None),  # a caller's word for the texts' 购房
        ("有没有一次性入库奖励？", None),  # no name, a question whether
        ("钢铁企业有什么补贴？", None),  # not how much
        ("钢铁企业奖励多少？", None),  # its rarest word, 钢铁, is granted beside other trades
    ],
)
def test_a_name_priced_must_be_granted_in_a_sentence(question: str, priced: str | None) -> None:
    assert ungranted(question, _CORPUS, _CLAUSES) == priced
