"""Turn extracted policy text into paragraphs that keep their offsets in the source.

Drops page-number lines and web boilerplate, rejoins paragraphs that PDF extraction broke, and
keeps table rows (tab-separated) whole.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PAGE_NUMBER = re.compile(r"^\s*(?:[-—－–]\s*)?(?:第\s*)?\d{1,3}(?:\s*页)?(?:\s*[-—－–])?\s*$")
_BOILERPLATE = re.compile(
    r"^\s*(?:"
    r"(?:来源|信息来源|文章来源|稿源)\s*[:：].{0,40}"
    r"|(?:最新内容|热点内容|相关链接|相关文章|相关阅读|推荐阅读|热门文章)\s*[:：]?"
    r"|朗读|打印|打印本页|关闭|关闭窗口|【?\s*字[体号]\s*[:：]?\s*[大中小\s]*】?|分享到\s*[:：]?.*|扫一扫.*"
    r"|主动公开|依申请公开|不予公开|是、否同意对外公开\s*[是否]?|[A-D]\s*类|解决类别\s*[:：]\s*[A-D]"
    r"|签发人\s*[:：].{0,12}|索引号\s*[:：].*|[0-9A-Z]{10,}/\d{4}-\d{3,}"
    r"|.{0,20}(?:转载|版权所有|免责声明|网站标识码|ICP备|公网安备).{0,60}"
    r")\s*$"
)
# A line list under 最新内容/热点内容 runs until the next blank line.
_LIST_HEADER = re.compile(r"^\s*(?:最新内容|热点内容|相关链接|相关文章|推荐阅读|热门文章)\s*[:：]?\s*$")
_TERMINAL = "。！？；：:;!?”」』）)】…"
_HEADING_START = re.compile(
    r"^(?:第[一二三四五六七八九十百零〇]+[章节条]|[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]"
    r"|\d{1,3}\s*[.．、](?!\d)|[（(]\d{1,2}[）)]|[①-⑳])"
)
_SPACE_IN_NUMBER = re.compile(r"(?<=[\u4e00-\u9fff，。、：（])[ \u3000]+(?=\d)|(?<=[\d%％])[ \u3000]+(?=[\u4e00-\u9fff%％）])")
_WRAPPED_LINE_MIN = 38
_HTML_TAG = re.compile(r"</?(?:p|ol|ul|li|br|span|div|strong|b|i|em|font|table|tr|td|th|input)(?:\s[^<>]*)?/?>", re.I)


@dataclass
class Paragraph:
    """A paragraph or a table block, with its offsets in the source text."""

    text: str
    start: int
    end: int
    rows: list[str] | None = None  # table rows, header first, when this is a table

    @property
    def is_table(self) -> bool:
        return self.rows is not None


def normalize_spacing(text: str) -> str:
    """Remove the stray spaces that PDF extraction puts around numbers: '5 万元' -> '5万元'."""
    return _SPACE_IN_NUMBER.sub("", text)


def squash(text: str) -> str:
    """Text with all whitespace removed, for comparisons."""
    return "".join(text.split())


def is_noise(line: str) -> bool:
    """Page numbers and web-page boilerplate that is never answer material."""
    if "\t" in line:
        return False
    return bool(_PAGE_NUMBER.match(line) or _BOILERPLATE.match(line))


def paragraphs(text: str, start: int = 0, end: int | None = None) -> list[Paragraph]:
    """Split ``text[start:end]`` into cleaned paragraphs with source offsets."""
    end = len(text) if end is None else end
    raw: list[Paragraph] = []
    in_list = False
    pos = start
    for line in text[start:end].split("\n"):
        line_start, pos = pos, pos + len(line) + 1
        stripped = _HTML_TAG.sub(" ", line).strip() if "<" in line else line.strip()
        if not stripped:
            in_list = False
            raw.append(Paragraph("", line_start, line_start))  # paragraph break marker
            continue
        if _LIST_HEADER.match(stripped):
            in_list = True
            continue
        if in_list or is_noise(stripped):
            continue
        lead = len(line) - len(line.lstrip())
        s, e = line_start + lead, line_start + lead + len(stripped)
        if "\t" in stripped or (line.endswith("\t") and _looks_like_row(line)):
            cells = (_HTML_TAG.sub(" ", cell).strip() for cell in line.strip("\n").split("\t"))
            row = "\t".join(cells).strip("\t")
            raw.append(Paragraph(row, s, e, rows=[row]))
        else:
            raw.append(Paragraph(stripped, s, e))
    return _join(raw)


def _join(raw: list[Paragraph]) -> list[Paragraph]:
    out: list[Paragraph] = []
    broken = False
    for para in raw:
        if not para.text:
            broken = True
            continue
        prev = out[-1] if out else None
        if prev is not None and para.is_table and prev.is_table and not broken:
            assert prev.rows is not None
            assert para.rows is not None
            prev.rows.extend(para.rows)
            prev.text = "\n".join(prev.rows)
            prev.end = para.end
        elif prev is not None and _continues(prev, para):
            prev.text += para.text
            prev.end = para.end
        else:
            out.append(para)
        broken = False
    return out


def _continues(prev: Paragraph, para: Paragraph) -> bool:
    """A paragraph that PDF extraction cut in the middle of a sentence."""
    if prev.is_table or para.is_table:
        return False
    if prev.text[-1] in _TERMINAL:
        return False
    # A full-width wrapped line, or body text (it has a sentence end) that stops mid-sentence;
    # short lines without a sentence end are headings and titles.
    if len(prev.text) < _WRAPPED_LINE_MIN and not (any(c in prev.text for c in "。；，") and len(prev.text) >= 12):
        return False
    return not _HEADING_START.match(para.text)


def _looks_like_row(line: str) -> bool:
    return sum(1 for cell in line.split("\t") if cell.strip()) >= 1 and line.count("\t") >= 2
