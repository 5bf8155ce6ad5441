"""The bundled compilation: its 目录 turned into policies, each policy into clauses that point home."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

import pytest

from retrieval.chunker import split_clauses
from retrieval.cleaner import Paragraph, squash
from retrieval.loaders import load_text
from retrieval.policy_splitter import Policy, _signature, split_policies
from retrieval.settings import RetrievalSettings
from retrieval.tables import row_serials, split_table
from retrieval.types import Clause
from tests.conftest import KNOWLEDGE

COMPILATION = KNOWLEDGE / "anyang-2022-enterprise-policy-compilation.txt"
TOC_LINE = re.compile(r"^\s*\d{1,3}\s*[.．、]\s*\S.*\t\s*\d{1,4}\s*$")
MARKUP = re.compile(r"<[^<>\n]{0,80}>")
LONGEST = 650  # max_clause_chars (600) plus what a kept-whole table row may add


@dataclass(frozen=True)
class Split:
    text: str
    policies: list[Policy]
    clauses: list[Clause]

    @property
    def toc_start(self) -> int:
        return self.text.index("\n目 录\n") + 1

    @property
    def listed(self) -> list[Policy]:
        """The policies the 目录 lists (a preface before the 目录 may be kept as a policy of its own)."""
        return [p for p in self.policies if p.start > self.toc_start]

    def policy(self, doc_number: str) -> Policy:
        found = [p for p in self.policies if p.doc_number == doc_number]
        assert len(found) == 1, (doc_number, [p.title for p in found])
        return found[0]


@pytest.fixture(scope="module")
def compilation() -> Split:
    text = load_text(COMPILATION)
    policies = split_policies(text, COMPILATION.name)
    clauses = [c for p in policies for c in split_clauses(text, p)]
    return Split(text, policies, clauses)


def _toc_sections(text: str) -> list[tuple[str, int]]:
    """(section heading, number of entries) as the 目录 itself lists them."""
    sections: list[tuple[str, int]] = []
    for line in text[text.index("目 录") :].split("\n")[1:]:
        stripped = line.strip()
        if not stripped:
            continue
        if re.match(r"^[一二三四五六七八九十]+、\S{1,15}$", stripped):
            sections.append((stripped, 0))
        elif re.match(r"^\d{1,3}\s*[.．、]", stripped):
            sections[-1] = (sections[-1][0], sections[-1][1] + 1)
        elif not re.search(r"\t\s*\d{1,4}\s*$", line):  # not the tail of a wrapped entry: the body begins
            break
    return sections


def test_the_compilation_yields_its_policies(compilation: Split) -> None:
    listed = compilation.listed
    assert len(listed) >= 55
    assert len({p.policy_id for p in compilation.policies}) == len(compilation.policies)
    for before, after in itertools.pairwise(listed):
        assert before.end == after.start  # listed policies tile the body, nothing lost between them
    assert listed[-1].end == len(compilation.text)
    for front in (p for p in compilation.policies if p not in listed):
        assert front.end <= compilation.toc_start  # a kept preface stops where the 目录 begins


@pytest.mark.parametrize(
    ("doc_number", "title", "level"),
    [
        ("安政办〔2021〕62号", "安阳市人民政府办公室关于印发安阳市科技创新政策实施细则的通知", "市"),
        ("国发〔2022〕12号", "国务院关于印发扎实稳住经济一揽子政策措施的通知", "国家"),
        (
            "豫政办〔2022〕14号",
            "河南省人民政府办公厅关于进一步做好惠企纾困工作促进经济平稳健康发展的通知",
            "省",
        ),
        ("工信部企业〔2022〕63号", "优质中小企业梯度培育管理暂行办法", "国家"),
        ("安银保监发〔2022〕4号", "安阳银保监分局关于开展安阳银行业“行长进万企”活动的通知", "市"),
    ],
)
def test_sample_policies_have_their_title_doc_number_and_level(
    compilation: Split, doc_number: str, title: str, level: str
) -> None:
    policy = compilation.policy(doc_number)
    assert policy.title == title
    assert policy.level == level
    body = compilation.text[policy.start : policy.end]
    assert squash(doc_number) in squash(body[:400])  # the policy starts at its own title block


@pytest.mark.parametrize(
    ("doc_number", "issuer"),
    [
        ("国发〔2022〕12号", "国务院"),
        ("安办文〔2021〕17号", "中共安阳市委办公室安阳市人民政府办公室"),  # '…办公室印发《…》的通知'
        ("安环文〔2021〕94号", "安阳市生态环境局"),  # '…局转发《…关于…》的通知'
        ("郑银发〔2022〕1号", "中国人民银行郑州中心支行"),
        ("豫工信联运行〔2022〕26号", "河南省工业和信息化厅河南省财政厅"),
    ],
)
def test_the_issuer_is_the_part_of_the_title_before_its_subject(
    compilation: Split, doc_number: str, issuer: str
) -> None:
    assert compilation.policy(doc_number).issuer == issuer


@pytest.mark.parametrize(
    ("doc_number", "issuer"),
    [
        # a title that starts with 关于 names no issuer: the bodies signed above the date do, all of them
        ("安自规发〔2021〕84号", "安阳市自然资源和规划局、安阳市财政局"),
        ("安金发〔2022〕1号", "安阳市金融工作局、中国人民银行安阳市中心支行、中国银行保险监督管理委员会安阳监管分局"),
        ("安科〔2022〕29号", "安阳市科学技术局、安阳市财政局"),
        # an attachment line above the date: no issuer, rather than the forwarded document's own
        ("安自规发〔2021〕12号", ""),
    ],
)
def test_the_issuer_of_a_guan_yu_title_is_its_signature(compilation: Split, doc_number: str, issuer: str) -> None:
    assert compilation.policy(doc_number).issuer == issuer


_TEN_CITIES = [f"{c}市财政局" for c in ("郑州", "开封", "洛阳", "平顶山", "安阳", "鹤壁", "新乡", "焦作", "濮阳", "许昌")]


@pytest.mark.parametrize(
    ("above_the_date", "issuer"),
    [
        (["请认真贯彻执行", "安阳市财政局"], "安阳市财政局"),  # a last sentence without its 。 is no body
        (["本办法自印发之日起施行", "安阳市人民政府"], "安阳市人民政府"),
        (["安 阳 市 财 政 局"], "安阳市财政局"),  # letter-spaced, as PDF signatures often are
        (["安阳市科学技术局  安阳市财政局"], "安阳市科学技术局、安阳市财政局"),  # side by side
        (_TEN_CITIES, "、".join(_TEN_CITIES)),  # more signers than a short look-back would see
        (["附件：申报指南"], ""),
    ],
)
def test_a_signature_block_gives_every_issuing_body(above_the_date: list[str], issuer: str) -> None:
    assert _signature(above_the_date) == issuer


def test_a_policy_without_a_doc_number_is_found_by_its_title(compilation: Split) -> None:
    title = "关于营造更好环境支持科技型中小企业研发的实施方案"
    [policy] = [p for p in compilation.policies if p.title == title]
    assert policy.doc_number == ""
    assert policy.level == "省"
    assert squash(title) in squash(compilation.text[policy.start : policy.start + 200])


def test_levels_follow_the_sections_of_the_table_of_contents(compilation: Split) -> None:
    sections = _toc_sections(compilation.text)
    assert [heading for heading, _ in sections] == ["一、国家、部委政策", "二、省政策", "三、市政策"]
    expected = [level for (_, n), level in zip(sections, ("国家", "省", "市"), strict=True) for _ in range(n)]
    assert [p.level for p in compilation.listed] == expected
    assert {p.region for p in compilation.listed if p.level == "国家"} == {"全国"}
    assert {p.region for p in compilation.listed if p.level == "市"} == {"安阳市"}


def test_no_clause_is_table_of_contents_material(compilation: Split) -> None:
    toc = (compilation.toc_start, compilation.listed[0].start)
    for clause in compilation.clauses:
        assert clause.span[1] <= toc[0] or clause.span[0] >= toc[1], clause.span
        toc_lines = [line for line in clause.text.split("\n") if TOC_LINE.match(line)]
        assert len(toc_lines) < 2, (clause.doc_number, toc_lines[:3])


def _is_table_with_header(clause: Clause) -> bool:
    """A part of a cut table: the header row first, then rows (or the sentences of one long row)."""
    lines = clause.text.split("\n")
    return len(lines) >= 2 and "\t" in lines[0]


def test_clauses_stay_short_except_a_table_row_kept_with_its_header(compilation: Split) -> None:
    long = [c for c in compilation.clauses if len(c.text) > LONGEST]
    assert [c for c in long if not _is_table_with_header(c)] == []
    assert max(len(c.text) for c in compilation.clauses) < 2 * LONGEST
    assert all(c.text.strip() for c in compilation.clauses)


def test_every_span_points_at_its_clause_in_the_source(compilation: Split) -> None:
    source = compilation.text
    for clause in compilation.clauses:
        start, end = clause.span
        assert 0 <= start < end <= len(source)
        window = squash(MARKUP.sub("", source[start : end + 50]))  # the cleaner drops <p> etc. from rows
        lines = [squash(line) for line in clause.text.split("\n") if line.strip()]
        assert lines[0][:10] in window, (clause.doc_number, clause.path, lines[0][:10])
        if _is_table_with_header(clause) and len(lines) > 1:
            # a later part of a cut table repeats the header: its first row must lie inside the span too
            assert lines[1][:10] in window, (clause.doc_number, clause.path)
        else:
            assert squash(clause.text)[:10] in window, (clause.doc_number, clause.path)


def test_first_time_high_tech_award_sits_under_its_heading(compilation: Split) -> None:
    policy = compilation.policy("安政办〔2021〕62号")
    clauses = [c for c in compilation.clauses if c.policy_id == policy.policy_id]
    [award] = [c for c in clauses if "1. 首次认定高新技术企业奖励" in c.text]
    assert any("高新技术企业认定奖励" in label for label in award.path), award.path
    assert award.path[0] == "四、申报条件和申报材料"
    assert "奖励50万元" in award.text
    assert [c.order for c in clauses] == list(range(len(clauses)))


def test_index_text_starts_with_title_doc_number_and_path(compilation: Split) -> None:
    for clause in compilation.clauses[::25]:
        head, _, body = clause.index_text().partition("\n")
        assert head.startswith(clause.title)
        assert clause.path_text in head
        assert (clause.doc_number in head) if clause.doc_number else True
        assert body == clause.text


def test_attachments_and_interpretations_are_parts_of_their_own(compilation: Split) -> None:
    """附件 and 《…》解读 after the last article do not hang under 第二十三条."""
    policy = compilation.policy("工信部企业〔2022〕63号")
    clauses = [c for c in compilation.clauses if c.policy_id == policy.policy_id]
    giants = [c for c in clauses if c.path and c.path[0].startswith("附件3")]
    assert giants
    assert giants[0].path[0] == "附件3 专精特新“小巨人”企业认定标准"
    assert any("从事特定细分市场时间达到3年以上" in c.text for c in giants)
    guide = [c for c in clauses if c.path and c.path[0].endswith("解读")]
    assert guide
    assert all(c.clause.startswith("解读") for c in guide)
    assert not [c.path for c in clauses if "第二十三条" in " ".join(c.path[:-1])]


@pytest.fixture(scope="module")
def shipped() -> Split:
    """The compilation cut at the clause size the settings ship with."""
    text = load_text(COMPILATION)
    policies = split_policies(text, COMPILATION.name)
    size = RetrievalSettings(_env_file=None).max_clause_chars  # type: ignore[call-arg]
    return Split(text, policies, [c for p in policies for c in split_clauses(text, p, size)])


def _rows_in(text: str) -> set[str]:
    return {m.group(1) for line in text.split("\n") if (m := re.match(r"^\s*(\d{1,3})\t", line))}


@pytest.mark.parametrize("doc_number", ["安办文〔2022〕4号", "安环文〔2021〕130号", "安环文〔2021〕94号"])
def test_the_pieces_of_a_numbered_table_are_cited_by_their_rows(shipped: Split, doc_number: str) -> None:
    """A long table cut into pieces: each piece's label names the rows it holds, so a citation can be found."""
    policy = shipped.policy(doc_number)
    pieces = [c for c in shipped.clauses if c.policy_id == policy.policy_id and "序号" in c.clause]
    assert len(pieces) > 2
    assert len({c.clause for c in pieces}) == len(pieces), [c.clause for c in pieces]
    for piece in pieces:
        named = re.search(r"序号(\d+)(?:～(\d+))?", piece.clause)
        assert named
        first, end = int(named.group(1)), int(named.group(2) or named.group(1))
        held = {int(n) for n in _rows_in(piece.text)}
        assert held <= set(range(first, end + 1)), (piece.clause, sorted(held))  # no row outside the range
        assert not held or {first, end} & held, (piece.clause, sorted(held))


def test_the_table_of_40_measures_cites_its_listing_reward_by_its_row(shipped: Split) -> None:
    policy = shipped.policy("安办文〔2022〕4号")
    [listing] = [c for c in shipped.clauses if c.policy_id == policy.policy_id and "多方位推进企业上市、挂牌" in c.text]
    assert re.fullmatch(r"附件 序号13(～1[45])?", listing.clause), listing.clause


def test_a_table_cut_by_a_page_break_repeats_no_row() -> None:
    """A table that starts with row 6 (its header is on the page before) must not quote row 6 in every part."""
    rows = ["6\t不规范贮存危险废物\t" + "首次。" * 30, "7\t未设标志\t" + "当场改正。" * 30, "8\t未备案\t首次。"]
    parts = split_table(Paragraph("\n".join(rows), 0, 10, rows=rows), 200, lambda p, n: [p])
    assert [part.rows for part in parts] == [[rows[0]], [rows[1], rows[2]]]
    headed = ["序号\t事项\t情形", *rows]
    parts = split_table(Paragraph("\n".join(headed), 0, 10, rows=headed), 200, lambda p, n: [p])
    assert all(part.rows and part.rows[0] == headed[0] for part in parts)


def test_a_row_cut_at_sentence_ends_keeps_its_number_and_a_section_row_does_not() -> None:
    header = "序号\t事项\t情形"
    first = Paragraph("", 0, 0, rows=[header, "5\t超标排放\t首次。", "6\t不规范贮存危险废物\t第一句。"])
    rest = Paragraph("", 0, 0, rows=[header, "第二句。"])  # the rest of row 6
    section = Paragraph("", 0, 0, rows=[header, "七、深化链条招商", "7\t未设标志\t当场改正。"])

    def is_heading(row: str) -> bool:
        return row.startswith("七、")

    assert row_serials([first], None, is_heading) == (["5", "6"], "6")
    assert row_serials([rest], "6", is_heading) == (["6"], "6")
    assert row_serials([section], "6", is_heading) == (["7"], "7")
    assert row_serials([Paragraph("正文。", 0, 3)], None, is_heading) == ([], None)


def test_a_title_listed_in_book_title_marks_is_kept_bare(compilation: Split) -> None:
    """Answers cite 《title》: a policy listed as "《优质中小企业梯度培育管理暂行办法》" must not read 《《…》》."""
    assert [p.title for p in compilation.policies if p.title.startswith("《") and p.title.endswith("》")] == []


def test_the_later_pieces_of_a_text_cut_at_sentence_ends_are_its_continuations(shipped: Split) -> None:
    """Two citations of one policy never share a label: "解读五、" then "解读五、（续1）"."""
    labels: dict[tuple[str, str], int] = {}
    for clause in shipped.clauses:
        key = (clause.policy_id, clause.clause)
        labels[key] = labels.get(key, 0) + 1
    shared = sum(n for n in labels.values() if n > 1)
    assert shared <= 0.02 * len(shipped.clauses), shared
    guide = [c.clause for c in shipped.clauses if c.clause.startswith("解读五、")]
    assert guide[:2] == ["解读五、", "解读五、（续1）"], guide


def test_a_catalogued_title_in_book_title_marks_is_kept_bare() -> None:
    text = "关于支持企业发展的通知\n一、对新认定的企业给予奖励。"
    [policy] = split_policies(text, "notice.txt", {"title": "《安阳市支持企业发展办法》"})
    assert policy.title == "安阳市支持企业发展办法"


def test_an_attachment_number_and_an_item_number_do_not_run_together(shipped: Split) -> None:
    """"附件1" then "2." reads "附件1 2.", not "附件12."."""
    policy = shipped.policy("安环委办〔2022〕16号")
    labels = [c.clause for c in shipped.clauses if c.policy_id == policy.policy_id and c.clause.startswith("附件")]
    assert labels
    assert all(re.match(r"附件\d+(?:\s|$|[^\d.])", label) for label in labels), labels
