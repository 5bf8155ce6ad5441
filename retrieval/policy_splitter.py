"""Find the policies in a document: one for a plain document, many for a compilation.

A compilation (汇编) lists its policies in a table of contents (目录) with their document numbers
(文号); each policy is found in the body by its 文号 line or its title, and runs to the next one.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass, replace
from typing import Any

from retrieval.cleaner import squash

DOC_NUMBER = re.compile(r"[\u4e00-\u9fa5A-Za-z]{1,14}\s*[〔\[［【(（]\s*(?:19|20)\d{2}\s*[〕\]］】)）]\s*\d{1,4}\s*号")
_DOC_KEY = re.compile(r"[〔\[［【(（]\s*((?:19|20)\d{2})\s*[〕\]］】)）]\s*(\d{1,4})\s*号")
_TOC_HEADER = re.compile(r"^\s*目\s*录\s*$")
_TOC_SECTION = re.compile(r"^\s*[一二三四五六七八九十]+\s*[、.．]\s*(\S.{0,15})$")
_TOC_ENTRY = re.compile(r"^\s*(\d{1,3})\s*[.．、]\s*(.+)$")
_TOC_PAGE = re.compile(r"\t\s*\d{1,4}\s*$")
_DATE_LINE = re.compile(r"^\s*((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*$")
_DATE_ANY = re.compile(r"((?:19|20)\d{2})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})")
_SENTENCE_END = re.compile(r"[。；！？]")
# how the name of an issuing body ends (局, 厅, 委员会, 办公室, 人民政府, 中心支行, 领导小组…)
_BODY_START = re.compile(r"中国|中共|国家|国务院|全国|[\u4e00-\u9fa5]{2,4}?(?:省|市|县|区)")
_BODY_NAME = re.compile(r"^[^：:，,（(]{2,40}(?:局|厅|部|委员会|委|办公室|政府|院|行|中心|组|会|社|处|室|公司|分局)$")
_SUBJECT_START = re.compile(r"关于|印发|转发|《")
PROVINCES = ["北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省", "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省", "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省", "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区"]
_PROVINCE_SHORT = {p[:2]: p for p in PROVINCES} | {"黑龙": "黑龙江省", "内蒙": "内蒙古自治区"}
_DOC_PREFIX_PROVINCE = {
    "豫": "河南省", "湘": "湖南省", "浙": "浙江省", "苏": "江苏省", "粤": "广东省", "鲁": "山东省",
    "冀": "河北省", "晋": "山西省", "皖": "安徽省", "闽": "福建省", "赣": "江西省", "鄂": "湖北省",
    "川": "四川省", "黔": "贵州省", "滇": "云南省", "陕": "陕西省", "甘": "甘肃省", "辽": "辽宁省",
    "吉": "吉林省", "琼": "海南省",
}
_CITY = re.compile(r"(?:中共)?([\u4e00-\u9fa5]{2})市(?:人民政府|委|政府|人大|财政|发展|工业|科学|科技|人力|自然|住房|生态|金融|经济|商务|市场|税务|不动产|城市)")
_NATIONAL = re.compile(r"^(?:国务院|国家|中共中央|全国|财政部|商务部|科技部|工业和信息化部|工信部|人力资源社会保障部|人力资源和社会保障部|中国人民银行|国家税务总局|海关总署|自然资源部|生态环境部)")


@dataclass(frozen=True)
class Policy:
    """One policy's metadata and where its text lies in the source."""

    title: str
    start: int
    end: int
    doc_number: str = ""
    issuer: str = ""
    level: str = ""
    region: str = ""
    date: str = ""
    source: str = ""

    @property
    def policy_id(self) -> str:
        key = f"{self.source}\x1f{self.doc_number}\x1f{self.title}"
        return hashlib.sha1(key.encode("utf-8")).hexdigest()[:12]


@dataclass
class _TocEntry:
    title: str
    level: str


def split_policies(text: str, source: str, overrides: dict[str, str] | None = None) -> list[Policy]:
    """Return the policies in ``text``; a document without a table of contents is one policy."""
    lines = text.split("\n")
    offsets = _line_offsets(lines)
    toc = _parse_toc(lines)
    if toc is None:
        policy = _describe(text, 0, len(text), source)
        if overrides:
            fields: dict[str, Any] = {k: v for k, v in overrides.items() if k in _OVERRIDABLE and v}
            policy = replace(policy, **fields)
        return _bare_titles([policy])
    entries, body_start = toc
    starts = _locate(entries, lines, body_start)
    policies = [p for p in [_front_matter(text, lines, offsets, source)] if p is not None]
    for i, (entry, (line_no, doc_number)) in enumerate(zip(entries, starts, strict=True)):
        if line_no is None:
            continue
        nxt = next((s for s, _ in starts[i + 1 :] if s is not None), len(lines))
        start, end = offsets[line_no], offsets[nxt] if nxt < len(lines) else len(text)
        title = _strip_doc_number(entry.title, doc_number)
        described = _describe(text, start, end, source, title=title, doc_number=doc_number or "-")
        if doc_number == "":
            described = replace(described, doc_number="")
        policies.append(replace(described, level=entry.level or described.level))
    return _bare_titles(_fill_regions(policies))


def _bare_titles(policies: list[Policy]) -> list[Policy]:
    """Answers cite 《title》: a title listed or catalogued as "《…办法》" would read 《《…》》."""
    return [replace(p, title=_BOOK_TITLE.sub(r"\1", p.title)) for p in policies]


_OVERRIDABLE = {"title", "doc_number", "issuer", "level", "region", "date"}


def _front_matter(text: str, lines: list[str], offsets: list[int], source: str) -> Policy | None:
    """The compilation's own preface (序言): who compiled it and what it holds; the 目录 is left out."""
    header = next((i for i, line in enumerate(lines[:400]) if _TOC_HEADER.match(line)), None)
    if header is None:
        return None
    front = [squash(line) for line in lines[:header] if line.strip()]
    if sum(len(line) for line in front) < 100:
        return None
    title = "".join(front[:2])
    return Policy(title=title, start=0, end=offsets[header], date=_guess_date(text[: offsets[header]]),
                  source=source, issuer=front[2] if len(front) > 2 and len(front[2]) <= 40 else "")


def _strip_doc_number(title: str, doc_number: str) -> str:
    """'…的通知（国发〔2022〕12号）' -> '…的通知'."""
    flat = squash(title)
    if doc_number and doc_number in flat:
        flat = flat.replace(doc_number, "")
    return re.sub(r"[（(]\s*[）)]$", "", flat).strip()


def _line_offsets(lines: list[str]) -> list[int]:
    offsets, pos = [], 0
    for line in lines:
        offsets.append(pos)
        pos += len(line) + 1
    return offsets


def _parse_toc(lines: list[str]) -> tuple[list[_TocEntry], int] | None:
    """Entries of a 目录 with trailing page numbers, and the line where the body starts."""
    header = next((i for i, line in enumerate(lines[:400]) if _TOC_HEADER.match(line)), None)
    if header is None:
        return None
    entries: list[_TocEntry] = []
    level = ""
    i = header + 1
    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        section = _TOC_SECTION.match(line)
        entry = _TOC_ENTRY.match(line)
        if section and not _TOC_PAGE.search(line):
            level = _level_word(section.group(1))
            i += 1
            continue
        if not entry:
            break
        parts, j = [entry.group(2)], i
        while not _TOC_PAGE.search(lines[j]) and j + 1 < len(lines) and j - i < 4:
            j += 1
            if lines[j].strip():
                parts.append(lines[j])
        if not _TOC_PAGE.search(lines[j]):
            break
        title = _TOC_PAGE.sub("", "".join(p.strip() for p in parts)).strip()
        entries.append(_TocEntry(title=title, level=level))
        i = j + 1
    return (entries, i) if len(entries) >= 2 else None


def _level_word(heading: str) -> str:
    for word, level in (("国家", "国家"), ("部委", "国家"), ("中央", "国家"), ("省", "省"), ("市", "市"), ("县", "县")):
        if word in heading:
            return level
    return ""


def _locate(entries: list[_TocEntry], lines: list[str], body_start: int) -> list[tuple[int | None, str]]:
    """For each entry, the first line of its title block in the body and its 文号."""
    squashed = [squash(line) for line in lines]
    found: list[tuple[int | None, str]] = []
    cursor = body_start
    for entry in entries:
        anchor, doc_number = _find_anchor(entry.title, squashed, cursor)
        if anchor is None:
            found.append((None, ""))
            continue
        start = _title_block_start(squashed, anchor, squash(entry.title))
        found.append((start, doc_number))
        cursor = anchor + 1
    return found


def _find_anchor(title: str, squashed: list[str], cursor: int) -> tuple[int | None, str]:
    key = _DOC_KEY.search(title)
    flat_title = squash(title)
    for i in range(cursor, len(squashed)):
        line = squashed[i]
        if not line or len(line) > 40:
            continue
        if key:
            m = _DOC_KEY.search(line)
            if m and m.groups() == key.groups() and DOC_NUMBER.fullmatch(line):
                prefix = line[: m.start()]
                if prefix and prefix in flat_title:
                    return i, line
        elif line == flat_title or (len(line) >= 10 and line.endswith(flat_title[-10:]) and line in flat_title):
            return i, ""
    return None, ""


def _title_block_start(squashed: list[str], anchor: int, flat_title: str) -> int:
    """Walk up from the 文号 line over the issuer and title lines above it."""
    start, i, seen = anchor, anchor - 1, 0
    while i >= 0 and seen < 5:
        line = squashed[i]
        if not line:
            i -= 1
            continue
        if _SENTENCE_END.search(line) or _DATE_LINE.match(line) or len(line) > 90:
            break
        overlap = sum(1 for ch in line if ch in flat_title) / len(line)
        if overlap < 0.75:
            break
        start, i, seen = i, i - 1, seen + 1
    return start


def _describe(
    text: str, start: int, end: int, source: str, title: str = "", doc_number: str = ""
) -> Policy:
    body = text[start:end]
    head = body[:600]
    if not doc_number:
        m = DOC_NUMBER.search(head)
        doc_number = squash(m.group(0)) if m else ""
    if not title:
        title = _guess_title(head)
    issuer = _guess_issuer(title, body)
    return Policy(
        title=title,
        start=start,
        end=end,
        doc_number=doc_number,
        issuer=issuer,
        level=_guess_level(lead_body(issuer) or title, doc_number),
        region=_guess_region(title + lead_body(issuer), doc_number),
        date=_guess_date(body),
        source=source,
    )


_BOOK_TITLE = re.compile(r"^《([^《》]+)》$")


def lead_body(issuer: str) -> str:
    """The first of a joint document's issuers: the one whose level and region the document has."""
    return issuer.split("、", 1)[0]


def _guess_title(head: str) -> str:
    for line in head.split("\n"):
        flat = squash(line)
        if ("关于" in flat or "答复" in flat or flat.endswith(("通知", "意见", "办法", "方案", "决定"))) and len(flat) <= 80:
            return DOC_NUMBER.sub("", flat).strip(" （）()") or flat
    first = next((squash(line) for line in head.split("\n") if line.strip()), "")
    return first[:40]


def _guess_issuer(title: str, body: str) -> str:
    flat = squash(title)
    # The issuer ends where the subject starts: '…办公室印发《…》', '…局转发《…关于…》', '…关于…'.
    subject = _SUBJECT_START.search(flat)
    if subject and subject.start() > 0:
        return flat[: subject.start()]
    lines = [line.strip() for line in body.split("\n") if line.strip()]
    for i, line in enumerate(lines):
        if _DATE_LINE.match(squash(line)):
            return _signature(lines[:i])
    return ""


def _signature(lines: list[str]) -> str:
    """The issuing bodies signed above the date: every one of a joint document, in order.

    Each may stand on its own line, beside others on one line, or letter-spaced ("安 阳 市 财 政 局").
    No issuer when the line above the date is not a body's name (an attachment line): better none
    than the forwarded document's, whose signature comes further down.
    """
    names: list[str] = []
    for line in reversed(lines[-20:]):
        parts = line.split()
        if all(len(p) == 1 for p in parts):
            parts = [squash(line)]
        if len(squash(line)) > 80 or _SENTENCE_END.search(line) or not all(map(_is_body_name, parts)):
            break
        names[:0] = [squash(p) for p in parts]
    return "、".join(names)


def _is_body_name(text: str) -> bool:
    """A government body or bank, by how its name starts (a place, 中国, 国家…) and ends (局, 厅…)."""
    starts = _BODY_START.match(text) or any(text.startswith(p) for p in PROVINCES)
    return bool(starts and _BODY_NAME.match(text))


def _guess_level(issuer: str, doc_number: str) -> str:
    flat = squash(issuer)
    if _NATIONAL.match(flat) or (doc_number.startswith(("国", "工信部", "商", "财", "银发", "人社部")) and not flat):
        return "国家"
    if any(p in flat for p in PROVINCES) or "省" in flat:
        return "省"
    if "市" in flat:
        return "市"
    if "县" in flat or "区" in flat:
        return "县"
    if doc_number[:1] in _DOC_PREFIX_PROVINCE:
        return "省"
    return ""


def _guess_region(text: str, doc_number: str) -> str:
    flat = squash(text)
    city = _CITY.search(flat)
    if city:
        return city.group(1) + "市"
    for province in PROVINCES:
        if province in flat or province[:2] + "省委" in flat:
            return province
    for short, province in _PROVINCE_SHORT.items():
        if flat.startswith(short):
            return province
    return _DOC_PREFIX_PROVINCE.get(doc_number[:1], "")


def _guess_date(body: str) -> str:
    for line in body[:20000].split("\n"):
        m = _DATE_LINE.match(squash(line))
        if m:
            return _iso(*m.groups())
    m = _DATE_ANY.search(body[:800])
    return _iso(*m.groups()) if m else ""


def _iso(year: str, month: str, day: str) -> str:
    return f"{int(year):04d}-{int(month):02d}-{int(day):02d}"


def _fill_regions(policies: list[Policy]) -> list[Policy]:
    """A policy whose own text names no region takes the commonest one of its level in the file."""
    common: dict[str, str] = {}
    for level in {p.level for p in policies}:
        counts = Counter(p.region for p in policies if p.level == level and p.region)
        common[level] = counts.most_common(1)[0][0] if counts else ""
    national = {"国家": "全国"}
    out = []
    for p in policies:
        region = national.get(p.level) or (p.region if _region_fits(p) else "") or common.get(p.level, "")
        out.append(replace(p, region=region))
    return out


def _region_fits(policy: Policy) -> bool:
    if policy.level == "省":
        return policy.region.endswith(("省", "自治区")) or policy.region in PROVINCES
    if policy.level == "市":
        return policy.region.endswith("市")
    return bool(policy.region)
