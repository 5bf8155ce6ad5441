"""Real policy files for tests: the same small policy written as .txt, .md, .pdf, .docx and .html.

The policy (华阳市, a made-up city, so no test can be confused with the bundled corpus) has the
shape of a real notice: issuer and 文号, addressee, 一、/（一） sections long enough to become clauses
of their own, a table with a header row, a signature and a date. Each builder writes what that kind
of file looks like in the wild: page numbers and wrapped lines in the PDF, site navigation and a
热点内容 list around the HTML article, a Word table.
"""

from __future__ import annotations

import html
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

TITLE = "华阳市人民政府办公室关于印发华阳市支持中小企业高质量发展若干措施的通知"
DOC_NUMBER = "华政办〔2023〕7号"
ISSUER = "华阳市人民政府办公室"
DATE_LINE = "2023年3月15日"
ADDRESSEE = "各县（市、区）人民政府，市人民政府各部门："
PREAMBLE = "《华阳市支持中小企业高质量发展若干措施》已经市政府同意，现印发给你们，请认真贯彻落实。"


@dataclass(frozen=True)
class Item:
    """A （一）-level measure: its heading sentence and the text that follows."""

    heading: str
    body: str

    @property
    def text(self) -> str:
        return f"{self.heading}。{self.body}"


@dataclass(frozen=True)
class Section:
    heading: str
    items: tuple[Item, ...]


# Every item is over 300 characters, so no two are packed into one clause (max_clause_chars=600)
# and each comes out with the path (section heading, item heading).
SECTIONS: tuple[Section, ...] = (
    Section(
        "一、加大财政支持力度",
        (
            Item(
                "（一）研发费用补助",
                "对上年度研发费用投入达到 500 万元以上且占营业收入比重不低于 3% 的中小企业，按照研发费用"
                "增量部分的 10% 给予补助，单个企业每年最高不超过 100 万元。对首次建立研发准备金制度的企业，"
                "再给予 5 万元一次性奖励。补助资金由市财政和县（市、区）财政按现行财政体制分担，企业应在每年"
                "4 月 30 日前通过市惠企政策服务平台提交申请，逾期不予受理。市科技局会同市财政局对申报材料进行"
                "审核，审核结果在市政府网站公示 5 个工作日，公示无异议后拨付资金。享受本条补助的企业应当建立"
                "研发费用辅助账，按照国家有关规定归集研发费用，并接受财政、审计部门的监督检查；弄虚作假骗取"
                "补助资金的，追回已拨付资金，三年内不得申报市级财政资金支持。（责任单位：市科技局、市财政局）",
            ),
            Item(
                "（二）首次认定高新技术企业奖励",
                "对首次认定为国家高新技术企业的中小企业，给予 20 万元一次性奖励；对重新认定的高新技术企业，"
                "给予 10 万元奖励。对整体迁入我市且仍在有效期内的高新技术企业，按照首次认定标准给予奖励。"
                "对当年新增入库的科技型中小企业，每家给予 2 万元奖励，同一企业只奖励一次。奖励资金在认定"
                "结果公布后由企业向所在地科技部门申请，经县（市、区）科技部门初审、市科技局复核后，由市财政"
                "统一拨付。对获得奖励后三年内迁出我市或者被取消高新技术企业资格的，收回全部奖励资金。各县"
                "（市、区）可在此基础上制定配套奖励办法，所需资金由同级财政承担。（责任单位：市科技局、市财政局）",
            ),
        ),
    ),
    Section(
        "二、优化金融服务",
        (
            Item(
                "（一）贷款贴息",
                "对中小企业获得的一年期以内流动资金贷款，按照实际支付利息的 50% 给予贴息，单个企业每年"
                "贴息金额最高不超过 30 万元，贴息期限不超过一年。对当年首次获得银行贷款的小微企业，贴息比例"
                "提高到 70%。贷款资金应当用于企业生产经营，不得用于购买理财产品、偿还其他债务或者进入房地产"
                "领域。企业在贷款结清后三个月内，持借款合同、利息支付凭证和资金使用情况说明向市金融工作局"
                "申请贴息，市金融工作局会同市财政局审核后按季度集中拨付。同一笔贷款已享受其他财政贴息的，"
                "不得重复申请；对逾期未还款或者存在恶意逃废债行为的企业，不予贴息。（责任单位：市金融工作局）",
            ),
            Item(
                "（二）融资担保费补贴",
                "对政府性融资担保机构为中小企业提供的融资担保业务，担保费率不高于 1% 的，按照担保金额的 1% "
                "给予担保机构补贴，单户企业补贴金额每年最高不超过 20 万元。对单户担保金额 500 万元以下的小微"
                "企业担保业务，再给予担保机构 0.5% 的风险补偿。担保机构应于每年 1 月底前报送上年度担保业务"
                "明细，经市财政局、市金融工作局审核后拨付补贴资金。担保机构因代偿发生损失的，按照有关规定从"
                "风险补偿资金中予以补偿；对违规收取保证金、咨询费等费用的担保机构，取消当年补贴资格。"
                "（责任单位：市财政局、市金融工作局）",
            ),
        ),
    ),
    Section(
        "三、附则",
        (
            Item(
                "（一）施行日期",
                "本措施自印发之日起施行，有效期至 2025 年 12 月 31 日。此前我市出台的相关政策与本措施不一致"
                "的，以本措施为准；同一事项符合本措施和其他政策规定的，按照从高不重复原则给予支持。国家和省"
                "出台新的支持政策的，从其规定。各县（市、区）人民政府、市直有关部门要结合实际制定具体实施细则，"
                "明确申报条件、办理流程和兑现时限，于本措施印发之日起 30 日内向社会公布，并通过市惠企政策服务"
                "平台实现政策集中发布、免申即享和网上兑现。市政府督查室要将本措施落实情况纳入年度督查重点，"
                "对工作推进不力的单位予以通报。本措施由市工业和信息化局负责解释，具体问题由其会同有关部门答复。",
            ),
        ),
    ),
)

TABLE_TITLE = "附件：政策兑现事项清单"
TABLE_HEADER = ("申报事项", "支持标准", "受理部门")
TABLE_ROWS = (
    ("研发费用补助", "研发费用增量部分的10%，每年最高100万元", "市科技局"),
    ("首次认定高新技术企业奖励", "一次性奖励20万元", "市科技局"),
    ("贷款贴息", "实际支付利息的50%，每年最高30万元", "市金融工作局"),
    ("融资担保费补贴", "担保金额的1%，每年最高20万元", "市财政局"),
)

# A 清单 too long for one clause: it must be cut between rows, each part under the header row again.
LONG_TABLE_ROWS = tuple(
    (
        f"{town}{item}",
        f"按实际投入的{pct}%给予补助，单个项目最高不超过{cap}万元，当年申报当年兑现，资金由市、县两级财政按五五比例分担",
        dept,
    )
    for town, (item, pct, cap, dept) in zip(
        ("城关镇", "北关区", "文峰区", "殷都区", "龙安区", "汤阴县", "内黄县", "滑县", "林州市", "高新区"),
        (
            ("智能化改造", 10, 200, "市工业和信息化局"),
            ("绿色化改造", 15, 150, "市生态环境局"),
            ("数字化转型", 20, 100, "市工业和信息化局"),
            ("研发平台建设", 30, 300, "市科技局"),
            ("首台套装备推广", 25, 100, "市工业和信息化局"),
            ("专精特新培育", 10, 50, "市工业和信息化局"),
            ("质量品牌建设", 20, 30, "市市场监督管理局"),
            ("外贸新业态", 15, 80, "市商务局"),
            ("物流降本", 10, 60, "市交通运输局"),
            ("人才引进", 50, 100, "市人力资源和社会保障局"),
        ),
        strict=True,
    )
)

# Words that only the boilerplate around the web article contains.
HTML_BOILERPLATE = (
    "首页",
    "政务公开",
    "网站地图",
    "热点内容",
    "华阳市召开全市安全生产工作会议",
    "版权所有",
    "ICP备",
)


def body_lines() -> list[str]:
    """The policy body, one paragraph a line, in reading order."""
    lines = [ADDRESSEE, PREAMBLE]
    for section in SECTIONS:
        lines.append(section.heading)
        lines.extend(item.text for item in section.items)
    return lines


Rows = tuple[tuple[str, str, str], ...]


def table_lines(rows: Rows = TABLE_ROWS) -> list[str]:
    return ["\t".join(TABLE_HEADER), *("\t".join(row) for row in rows)]


def measures_text(page_numbers: bool = True, rows: Rows = TABLE_ROWS) -> str:
    """The policy as plain text, the way PDF-to-text tools leave it: blank-line paragraphs, page numbers."""
    parts = [ISSUER, DOC_NUMBER, TITLE, *body_lines()]
    if page_numbers:
        parts.insert(5, "- 1 -")  # after the preamble, where page 1 ends
        parts.insert(9, "第 2 页")
    parts += [TABLE_TITLE, "\n".join(table_lines(rows)), ISSUER, DATE_LINE]
    return "\n\n".join(parts) + "\n"


def write_txt(path: Path, page_numbers: bool = True, rows: Rows = TABLE_ROWS) -> Path:
    path.write_text(measures_text(page_numbers, rows), encoding="utf-8")
    return path


def write_md(path: Path, rows: Rows = TABLE_ROWS) -> Path:
    """Markdown with ``#`` headings, as people write policy notes by hand."""
    out = [f"# {TITLE}", "", DOC_NUMBER, "", ADDRESSEE, "", PREAMBLE, ""]
    for section in SECTIONS:
        out += [f"## {section.heading}", ""]
        for item in section.items:
            out += [item.text, ""]
    out += [f"## {TABLE_TITLE}", "", "\n".join(table_lines(rows)), "", ISSUER, "", DATE_LINE, ""]
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def write_docx(path: Path, rows: Rows = TABLE_ROWS) -> Path:
    """A Word document with the body as paragraphs and the 清单 as a real table (header row first)."""
    import docx

    document = docx.Document()
    for line in (ISSUER, DOC_NUMBER, TITLE, *body_lines(), TABLE_TITLE):
        document.add_paragraph(line)
    table = document.add_table(rows=1 + len(rows), cols=len(TABLE_HEADER))
    for r, row in enumerate((TABLE_HEADER, *rows)):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    document.add_paragraph(ISSUER)
    document.add_paragraph(DATE_LINE)
    document.save(str(path))
    return path


def write_html(path: Path, rows: Rows = TABLE_ROWS) -> Path:
    """A government web page: nav, header, breadcrumbs, 来源 line, 热点内容 list, footer, and the article."""
    paras = "\n".join(f"<p>{html.escape(line)}</p>" for line in body_lines())
    cells = "".join(f"<th>{html.escape(c)}</th>" for c in TABLE_HEADER)
    body_rows = "\n".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in rows
    )
    page = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>{TITLE}_华阳市人民政府</title></head>
<body>
<header><div class="logo">华阳市人民政府</div><div class="search">站内搜索</div></header>
<nav><ul><li><a href="/">首页</a></li><li><a href="/zwgk/">政务公开</a></li>
<li><a href="/hdjl/">互动交流</a></li><li><a href="/map.html">网站地图</a></li></ul></nav>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk/">政务公开</a> &gt; 政策文件</div>
<div class="main">
<article>
<h1>{TITLE}</h1>
<div class="info">来源：华阳市人民政府办公室 发布时间：2023-03-16 浏览次数：1024</div>
<p>{DOC_NUMBER}</p>
{paras}
<p>{TABLE_TITLE}</p>
<table><tr>{cells}</tr>
{body_rows}
</table>
<p>{ISSUER}</p>
<p>{DATE_LINE}</p>
</article>
<aside><h3>热点内容</h3><ul>
<li><a href="/a1.html">华阳市召开全市安全生产工作会议</a></li>
<li><a href="/a2.html">华阳市2023年春季招聘会成功举办</a></li>
<li><a href="/a3.html">市领导调研重点项目建设情况</a></li>
</ul></aside>
</div>
<footer><p>主办：华阳市人民政府办公室 版权所有 华阳市人民政府</p>
<p>网站标识码：4105000001 豫ICP备12345678号</p></footer>
</body></html>
"""
    path.write_text(page, encoding="utf-8")
    return path


def cjk_font() -> Path | None:
    """A TrueType-outlined font with Chinese glyphs (e.g. fonts-wqy-zenhei), or None.

    CFF-outlined fonts such as Noto Sans CJK are left out on purpose: fpdf2 embeds them with a CMap
    that pypdf decodes as NUL-separated garbage, which would test pypdf's bug rather than our loader.
    ``scripts/install-test-deps.sh`` installs a suitable font.
    """
    if shutil.which("fc-list"):
        out = subprocess.run(
            ["fc-list", ":lang=zh:fontformat=TrueType", "file"], capture_output=True, text=True, check=False
        ).stdout
        found = sorted(Path(line.split(":", 1)[0].strip()) for line in out.splitlines() if line.strip())
        regular = [p for p in found if "bold" not in p.name.lower()]
        if regular or found:
            return (regular or found)[0]
    for root in (Path("/usr/share/fonts/truetype"), Path("/usr/local/share/fonts")):
        found = sorted(root.glob("wqy*/*.tt[cf]")) if root.is_dir() else []
        if found:
            return found[0]
    return None


def write_pdf(path: Path, font: Path) -> Path:
    """A PDF as offices export them: wrapped lines, a page-number footer, the table as tab-free text."""
    from fpdf import FPDF

    class _Pdf(FPDF):
        def footer(self) -> None:
            self.set_y(-15)
            self.set_font("cjk", size=10)
            self.cell(0, 10, f"- {self.page_no()} -", align="C")

    pdf = _Pdf(format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=20)
    pdf.add_font("cjk", fname=str(font))
    pdf.add_page()
    pdf.set_font("cjk", size=13)
    for line in (ISSUER, DOC_NUMBER, TITLE):
        pdf.cell(0, 9, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", size=11)
    for line in body_lines():
        pdf.multi_cell(0, 7, line, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
    pdf.multi_cell(0, 7, ISSUER, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.multi_cell(0, 7, DATE_LINE, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.output(str(path))
    return path


def write_corrupt_pdf(path: Path) -> Path:
    """Starts like a PDF, then nothing a reader can use."""
    path.write_bytes(
        b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n" + b"\x9c\x00garbage" * 20
    )
    return path


def write_binary(path: Path) -> Path:
    """A file named .txt that is really binary (a PNG header and zeros)."""
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(512))
    return path


def write_empty(path: Path) -> Path:
    path.write_text("  \n\n\t\n", encoding="utf-8")
    return path


SECOND_TITLE = "华阳市人力资源和社会保障局关于做好2023年稳就业工作的通知"
SECOND_DOC_NUMBER = "华人社〔2023〕12号"
SECOND_TEXT = f"""华阳市人力资源和社会保障局

{SECOND_DOC_NUMBER}

{SECOND_TITLE}

各县（市、区）人力资源和社会保障局，市直有关单位：

为落实就业优先政策，稳定和扩大就业岗位，现就做好2023年稳就业工作通知如下。

一、发放一次性扩岗补助。对招用毕业年度或离校两年内未就业高校毕业生、登记失业的16至24岁青年，签订劳动合同并参加失业保险的企业，按每招用1人不超过 1500 元的标准发放一次性扩岗补助，政策执行至2023年12月31日。企业通过市就业服务平台申领，经审核后补助资金直接拨付至企业基本账户。

二、落实社会保险补贴。对小微企业吸纳离校两年内未就业高校毕业生就业并缴纳社会保险费的，按规定给予最长1年的社会保险补贴，补贴标准为企业实际缴纳的基本养老保险费、基本医疗保险费和失业保险费，不包括个人应缴纳部分。

三、加大创业担保贷款支持。对符合条件的个人创业者，创业担保贷款额度最高 20 万元；对小微企业当年新招用符合条件人员达到职工总数15%的，贷款额度最高 300 万元，按规定给予贴息。

华阳市人力资源和社会保障局

2023年2月20日
"""


def write_second_txt(path: Path) -> Path:
    """A second, shorter policy, so that filters have something to tell apart."""
    path.write_text(SECOND_TEXT, encoding="utf-8")
    return path
