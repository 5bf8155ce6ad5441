"""Cleaning: page numbers and web boilerplate go, broken lines come back together, '5 万元' -> '5万元'."""

from __future__ import annotations

from pathlib import Path

from retrieval.chunker import split_clauses
from retrieval.cleaner import normalize_spacing, paragraphs
from retrieval.loaders import load_text
from retrieval.policy_splitter import split_policies
from tests.conftest import KNOWLEDGE

# As a PDF-to-text tool leaves a page: full-width lines cut mid-sentence, a page footer in between.
PDF_PAGE = """一、加大财政支持力度
（一）研发费用补助。对上年度研发费用投入达到 500 万元以上且占营业收入比重不低于 3%
的中小企业，按照研发费用增量部分的 10% 给予补助，单个企业每年最高不超过 100

- 2 -

万元。对首次建立研发准备金制度的企业，再给予 5 万元一次性奖励。
第 3 页
（二）首次认定高新技术企业奖励。对首次认定为国家高新技术企业的中小企业，给予 20 万元一次性奖励。
17
"""

# A web page as text: site furniture above and below the article, a 热点内容 list that runs to a blank line.
WEB_PAGE = """索引号：11410500MB1234567X/2023-00123
主动公开
朗读
【字体：大 中 小】
打印本页
来源：华阳市人民政府办公室
华阳市人民政府办公室关于做好稳就业工作的通知
一、发放一次性扩岗补助。企业招用高校毕业生并参加失业保险的，按每人不超过 1500 元发放一次性扩岗补助。
热点内容
华阳市召开全市安全生产工作会议
市领导调研重点项目建设情况

二、落实社会保险补贴。对小微企业吸纳高校毕业生就业的，按规定给予社会保险补贴。
关闭窗口
分享到：微信 微博
版权所有：华阳市人民政府 网站标识码：4105000001
豫ICP备12345678号
"""


def _texts(text: str) -> list[str]:
    return [p.text for p in paragraphs(text)]


def test_page_number_lines_are_dropped() -> None:
    texts = _texts(PDF_PAGE)
    joined = "\n".join(texts)
    for footer in ("- 2 -", "第 3 页", "17"):
        assert footer not in texts
    assert "第 3 页" not in joined
    assert not joined.rstrip().endswith("17")


def test_lines_cut_inside_a_sentence_are_rejoined_even_across_a_page_footer() -> None:
    texts = _texts(PDF_PAGE)
    assert texts[0] == "一、加大财政支持力度"  # a heading is never glued to the next line
    assert texts[1].startswith("（一）研发费用补助。")
    assert "不低于 3%的中小企业" in texts[1]
    assert "最高不超过 100万元。对首次建立" in texts[1]
    assert texts[1].endswith("给予 5 万元一次性奖励。")
    assert texts[2].startswith("（二）首次认定高新技术企业奖励。")
    assert len(texts) == 3


def test_offsets_of_cleaned_paragraphs_point_at_their_source_lines() -> None:
    for para in paragraphs(PDF_PAGE):
        assert PDF_PAGE[para.start : para.start + 6] == para.text[:6]
        assert PDF_PAGE[: para.end].endswith(para.text[-6:])


def test_web_boilerplate_and_the_hot_list_are_dropped() -> None:
    texts = _texts(WEB_PAGE)
    assert texts == [
        "华阳市人民政府办公室关于做好稳就业工作的通知",
        "一、发放一次性扩岗补助。企业招用高校毕业生并参加失业保险的，按每人不超过 1500 元发放一次性扩岗补助。",
        "二、落实社会保险补贴。对小微企业吸纳高校毕业生就业的，按规定给予社会保险补贴。",
    ]


def test_spaces_around_numbers_are_removed_in_clause_text() -> None:
    assert normalize_spacing("给予 5 万元奖励") == "给予5万元奖励"
    assert normalize_spacing("不低于 3% 的企业") == "不低于3%的企业"
    assert normalize_spacing("按 50% 给予贴息（最高 30 万元）") == "按50%给予贴息（最高30万元）"
    assert (
        normalize_spacing("Windows 10 and Office 365") == "Windows 10 and Office 365"
    )  # Latin text untouched
    [policy] = split_policies(PDF_PAGE, "page.txt")
    text = "\n".join(c.text for c in split_clauses(PDF_PAGE, policy))
    assert "5万元一次性奖励" in text
    assert "20万元一次性奖励" in text
    assert " 万元" not in text


def test_table_rows_are_neither_joined_nor_cleaned_away() -> None:
    text = "附件：兑现清单\n申报事项\t支持标准\t受理部门\n贷款贴息\t<p>实际支付利息的50%</p>\t市金融工作局\n12\t补充事项\t市财政局\n"
    paras = paragraphs(text)
    assert [p.is_table for p in paras] == [False, True]
    assert paras[1].rows == [
        "申报事项\t支持标准\t受理部门",
        "贷款贴息\t实际支付利息的50%\t市金融工作局",
        "12\t补充事项\t市财政局",
    ]


def test_the_bundled_web_reply_loses_its_page_furniture() -> None:
    path: Path = KNOWLEDGE / "jinhua-2023-traditional-industry-reply.txt"
    text = load_text(path)
    [policy] = split_policies(text, path.name)
    clauses = split_clauses(text, policy)
    body = "\n".join(c.text for c in clauses)
    for furniture in ("1133070000259288XD/2023-04645", "主动公开", "朗读", "解决类别"):
        assert furniture not in body
    assert "对智能化改造项目按照设备投资额最高给予30%补助" in body


def test_no_html_markup_survives_in_the_bundled_compilation() -> None:
    path: Path = KNOWLEDGE / "anyang-2022-enterprise-policy-compilation.txt"
    text = load_text(path)
    assert "<p>" in text  # the source has markup inside its table rows
    assert "<input" in text
    cells = [p for p in paragraphs(text) if p.is_table]
    assert cells
    assert not [p.text for p in cells if "<p" in p.text or "</p>" in p.text or "<input" in p.text]
