"""Lists and tables in an answer: whole lists, named rows with their header, verbatim lines."""

from __future__ import annotations

import re
from functools import cache

from bot.composer import compose
from bot.extractive import _under_headings
from retrieval.types import Clause, Hit

MARKER = re.compile(r"\[\d+\]")


def _answer(question: str, text: str) -> list[str]:
    hit = Hit(Clause(text=text, title="政策", source="t.txt"), score=1.0, coverage=0.8)
    answer, _ = compose(question, [hit], 600, {})
    return answer.splitlines()[1:]  # after the line naming the policy


def _check_lines(body: list[str], text: str) -> None:
    """Unmarked lines are whole lines of the clause; marked ones are made of its sentences, whole."""
    lines = {line.strip() for line in text.splitlines()}
    sentences = tuple(piece.sentence for piece in _under_headings(text))

    @cache
    def made_of_sentences(line: str) -> bool:
        if line.endswith("…") and any(s.startswith(line[:-1]) for s in sentences):
            return True  # the head of a long sentence, marked cut
        return not line or any(line.startswith(s) and made_of_sentences(line[len(s):]) for s in sentences)

    for line in body:
        if MARKER.search(line):
            assert made_of_sentences(MARKER.sub("", line)), line
        else:
            assert line in lines, line


def test_text_before_a_list_keeps_its_marker() -> None:
    text = ("企业首次上规入统的，奖励10万元。奖励资金由市财政承担。企业应按时申报。\n申报时提交以下材料：\n"
            "1. 营业执照复印件\n2. 诚信承诺书")
    body = _answer("首次上规入统奖励多少，要交哪些材料？", text)
    assert any("10万元" in line and MARKER.search(line) for line in body)
    _check_lines(body, text)


def test_each_list_is_completed_under_its_own_introducing_line() -> None:
    text = ("首次上规入统企业申报材料：\n1. 营业执照复印件\n2. 诚信承诺书\n年产值增长20%以上的，另附：\n"
            "1. 上年度审计报告\n2. 电费缴费凭证")
    body = [MARKER.sub("", line) for line in _answer("首次上规入统申报要交营业执照等哪些材料？", text)]
    assert body[:3] == ["首次上规入统企业申报材料：", "1. 营业执照复印件", "2. 诚信承诺书"]
    # the second list keeps its own condition above it
    assert body.index("年产值增长20%以上的，另附：") < body.index("1. 上年度审计报告")
    _check_lines(_answer("首次上规入统申报要交营业执照等哪些材料？", text), text)


def test_an_item_after_a_nested_list_is_still_an_item_of_the_list() -> None:
    text = "申报材料：\n1. 营业执照复印件\n2. 近3年财务报表：\n（1）资产负债表\n（2）利润表\n3. 诚信承诺书"
    body = _answer("要交哪些材料？", text)
    assert "3. 诚信承诺书[1]" in body
    _check_lines(body, text)


RATES = "附件 降幅表\n地区\t可支付月数\t2022年费率下调比例\n郑州市\t78.6\t50%\n开封市\t21.7\t20%\n安阳市\t1.8\t0"


def test_naming_the_header_cell_names_no_row() -> None:
    body = _answer("哪些地区工伤保险费率下调50%？", RATES)
    assert any(line.startswith("郑州市") for line in body)  # the rows chosen for their figures stay
    _check_lines(body, RATES)


def test_a_named_row_comes_under_the_header_of_its_own_table() -> None:
    text = "表一 目标\n地区\t目标（家）\n安阳市\t10\n表二 奖励\n项目\t金额（万元）\n郑州市\t20\n安阳市\t30"
    body = [MARKER.sub("", line) for line in _answer("安阳的奖励金额是多少万元？", text)]
    assert body.index("项目\t金额（万元）") < body.index("安阳市\t30")
    assert "郑州市\t20" not in body


def test_only_a_city_or_county_is_named_without_its_suffix() -> None:
    text = "项目\t金额\n高新区\t10万元\n安阳市\t8万元\n鹤壁市\t6万元"
    body = [MARKER.sub("", line) for line in _answer("高新技术企业在安阳奖励多少？", text)]
    assert "安阳市\t8万元" in body
    assert "高新区\t10万元" not in body  # "高新" in 高新技术 does not name 高新区


def test_a_list_is_completed_from_its_introducing_line_short_items_too() -> None:
    text = "申报材料：\n①营业执照复印件\n②税单\n③诚信承诺书复印件"
    body = _answer("要交哪些材料？", text)
    assert [MARKER.sub("", line) for line in body] == ["申报材料：", "①营业执照复印件", "②税单", "③诚信承诺书复印件"]
    _check_lines(body, text)


def test_an_item_of_a_sub_list_does_not_introduce_the_next_items() -> None:
    text = "1. 基本材料\n（1）营业执照\n（2）法人身份证\n2. 财务报表复印件\n3. 诚信承诺书复印件"
    body = [MARKER.sub("", line) for line in _answer("还要交哪些材料，财务报表复印件？", text)]
    assert body == ["2. 财务报表复印件", "3. 诚信承诺书复印件"]  # not under "（2）法人身份证" as its intro


def test_a_line_changed_in_the_copying_keeps_its_marker() -> None:
    text = "地区\t奖励标准\t拨付方式\n郑州市\t奖励10万元。\t按季度拨付奖励\n开封市\t奖励8万元。\t按年度拨付奖励"
    body = _answer("奖励多少万元，怎么拨付奖励？", text)  # the tab after 。 is not copied
    _check_lines(body, text)
    spaced = "申报材料：\n1. 营业执照复印件。 需加盖公章\n2. 诚信承诺书复印件"
    _check_lines(_answer("要交哪些材料？", spaced), spaced)


def test_a_named_row_already_chosen_still_gets_its_header() -> None:
    text = "地区\t金额\n郑州市\t奖励10万元\n安阳市\t奖励8万元"
    body = [MARKER.sub("", line) for line in _answer("安阳市奖励多少万元？", text)]
    assert body == ["地区\t金额", "安阳市\t奖励8万元"]


CONDITIONS = (
    "一、认定条件\n同时满足以下四项条件即视为满足认定条件：\n(一) 从事特定细分市场时间达到2年以上。\n"
    "(二) 上年度研发费用总额不低于100万元，且占营业收入总额比重不低于3%。\n"
    "(三) 上年度营业收入总额在1000万元以上。\n(四) 近三年进入“创客中国”大赛全国500强企业组名单。"
)


def test_a_question_of_eligibility_gets_every_condition_it_must_meet() -> None:
    body = _answer("我们做这个细分市场快三年了，研发投了60万，现在能去申请专精特新中小企业吗？", CONDITIONS)
    for condition in ("2年以上", "不低于100万元", "1000万元以上", "创客中国"):
        assert any(condition in line for line in body), (condition, body)
    _check_lines(body, CONDITIONS)


def test_only_a_list_of_conditions_is_completed_for_eligibility() -> None:
    scores = CONDITIONS.replace("同时满足以下四项条件即视为满足认定条件：", "评价指标及分值如下表：")
    body = _answer("研发投了60万，现在能去申请专精特新中小企业吗？", scores)
    assert not any("创客中国" in line for line in body)  # items picked for their words, the list not completed
    _check_lines(body, scores)



MATERIALS = (
    "第十二条 申报企业应提供以下基本材料：\n"
    "(一) 介绍企业发展农业产业化情况的专题材料（包括企业基本情况、采取的产业化经营模式、与基地农户的利益联结方式、"
    "带动的基地和农户基本情况、促进农户增收情况等，限1500字以内）。\n"
    "(二) 加盖企业公章的省重点龙头企业申报表。\n(三) 企业营业执照复印件（加盖企业公章）。\n"
    "(四) 人民银行出具的企业信用报告。\n"
    "(五) 有资质会计师事务所出具的近两年的资产负债表、损益表、现金流量表及报表附注等。\n"
    "(六) 企业的带动能力、带动方式和利益联结关系情况须由县以上农业农村部门提供说明，应将企业带动农户情况进行公示，接受社会监督。\n"
    "(七) 企业的纳税情况须由企业所在地税务部门出具企业近两年内纳税情况证明。\n"
    "(八) 县级以上农业农村或其他法定监管部门出具的近两年内没有发生产品质量安全事件的证明（加盖农业农村或其他法定监管部门公章）。\n"
    "(九) 产品质量、环保、科技成果、商标、专利、出口等方面的证明材料，可根据企业实际情况据实出具。"
)


def test_a_materials_list_with_a_long_item_is_shown_by_the_head_of_each_item() -> None:
    body = _answer("想申报省重点龙头企业，除了申报表和营业执照复印件，还得准备哪些证明材料？", MATERIALS)
    assert any("人民银行出具的企业信用报告" in line for line in body), body  # shares no word with the question
    assert any("纳税情况证明" in line for line in body), body
    _check_lines(body, MATERIALS)


def test_a_list_with_a_long_item_is_not_completed_for_other_questions() -> None:
    body = _answer("龙头企业申报表要加盖什么章？", MATERIALS)
    assert not any("人民银行" in line for line in body), body


TIERS = (
    "第六条 申报省重点龙头企业应符合以下条件：\n（一）企业组织形式。申报企业必须是依法设立的农业企业。\n"
    "（三）企业规模。资产总额、固定资产、年销售收入分别为：\n1. 粮棉油类6000万元、3000万元、9000万元以上；\n"
    "2. 畜禽类8000万元、3000万元、10000万元以上；\n3. 休闲农业类5000万元、2000万元、3000万元。\n"
    "（四）企业效益。企业的总资产报酬率应高于现行一年期银行贷款基准利率。"
)


def test_a_named_tier_picked_for_its_words_still_gets_the_line_that_says_what_its_figures_are() -> None:
    body = _answer("畜禽类的省重点龙头企业，资产总额、固定资产要达到多少？", TIERS)
    tier = next(i for i, line in enumerate(body) if "畜禽类8000万元" in line)
    assert any("分别为" in line for line in body[:tier]), body
    _check_lines(body, TIERS)


LEADERS = (
    "二、申报材料\n"
    "1. 2021年河南省头雁企业奖补资金申请表（加盖企业公章）；\n"
    "2. 法人营业执照，法定代表人身份证复印件；\n"
    "3. 企业申报日在“信用中国”网站中查询的“失信被执行人”和“税收违法黑名单”以及“国家企业信用信息公示系统”"
    "网站中查询的“严重违法失信企业名单”截图（加盖企业公章）；\n"
    "4. 经会计师事务所审计的2021年度审计报告（带验证码）。"
)


def test_an_item_whose_hidden_part_holds_the_question_words_is_kept_whole() -> None:
    body = _answer("报头雁奖补资金要交哪些材料？信用方面交什么截图？", LEADERS)
    assert any("截图" in line for line in body), body
    _check_lines(body, LEADERS)
