"""Split one policy into citable clauses that follow Chinese policy structure.

Headings (第X章/第X条, 一、/（一）/1./（1）/①, and blocks such as 政策内容：) build a tree; a section
that fits in ``max_chars`` becomes one clause, a larger one is split into its children, small
neighbours are packed together, and a long paragraph is cut at sentence ends. Every clause keeps its
heading path and its character span in the source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from retrieval.cleaner import Paragraph, normalize_spacing, paragraphs
from retrieval.policy_splitter import Policy
from retrieval.settings import MAX_CLAUSE_CHARS
from retrieval.tables import row_serials, split_table
from retrieval.types import Clause

_CN_NUM = "一二三四五六七八九十百零〇"
_MARKERS: list[tuple[int, re.Pattern[str]]] = [
    # An attachment ("附件 1" alone on its line) or an interpretation ("《…》解读") is a part of its own
    # above every heading of the main text: it must not hang under the last article, and the
    # chapters of an attachment (a 实施细则 with 第一章…) stay inside it.
    (0, re.compile(r"^附件\s*[\d一二三四五六七八九十]{0,3}\s*$|^附件\s*[\d一二三四五六七八九十]{1,3}\s*[:：]\s*$")),
    (0, re.compile(r"^《[^》]{4,60}》\s*(?:政策)?解读\s*$")),
    (1, re.compile(rf"^第[{_CN_NUM}]+章")),
    (2, re.compile(rf"^第[{_CN_NUM}]+节")),
    (3, re.compile(rf"^第[{_CN_NUM}]+条")),
    (4, re.compile(r"^[一二三四五六七八九十]+、")),
    (5, re.compile(r"^[（(]\s*[一二三四五六七八九十]+\s*[）)]")),
    (6, re.compile(r"^\d{1,3}\s*[.．、](?!\d)")),
    (7, re.compile(r"^[（(]\s*\d{1,2}\s*[）)]")),
    (8, re.compile(r"^[①-⑳]")),
    (
        9,
        re.compile(
            r"^(?:政策内容|申报条件|申报材料|申报对象|支持对象|支持内容|支持标准|奖励标准|补贴标准|适用对象"
            r"|办理流程|申报流程|申报程序|申报方式|兑现方式|兑现流程|受理部门|办理部门|政策依据|责任单位)(?=[：:])"
        ),
    ),
]
_SENTENCE = re.compile(r"[^。；！？!?;]*[。；！？!?;”’」』）)]*")
_MIN_OWN = 60
_TINY = 50


@dataclass
class _Node:
    rank: int
    marker: str = ""
    label: str = ""
    paras: list[Paragraph] = field(default_factory=list)
    children: list[_Node] = field(default_factory=list)

    def size(self) -> int:
        return sum(len(p.text) for p in self.paras) + sum(c.size() for c in self.children)

    def all_paras(self) -> list[Paragraph]:
        out = list(self.paras)
        for child in self.children:
            out.extend(child.all_paras())
        return out


@dataclass
class _Piece:
    paras: list[Paragraph]
    path: tuple[str, ...]
    markers: tuple[str, ...]
    cut: bool = False  # one of the pieces of a text or table too long for one clause


def split_clauses(text: str, policy: Policy, max_chars: int = MAX_CLAUSE_CHARS) -> list[Clause]:
    """Clauses of ``policy``, whose text is ``text[policy.start:policy.end]``."""
    paras = paragraphs(text, policy.start, policy.end)
    root = _build_tree(paras)
    pieces: list[_Piece] = []
    _emit(root, (), (), max_chars, pieces)
    pieces = _merge_tiny(pieces, max_chars)
    clauses = []
    for order, (piece, label) in enumerate(zip(pieces, _labels(pieces), strict=True)):
        body = normalize_spacing("\n".join(p.text for p in piece.paras))
        clauses.append(
            Clause(
                text=body,
                title=policy.title,
                source=policy.source,
                clause=label,
                path=piece.path or ("正文",),
                doc_number=policy.doc_number,
                issuer=policy.issuer,
                level=policy.level,
                region=policy.region,
                date=policy.date,
                span=(piece.paras[0].start, piece.paras[-1].end),
                policy_id=policy.policy_id,
                order=order,
            )
        )
    return clauses


def _labels(pieces: list[_Piece]) -> list[str]:
    """How each piece is cited: its heading markers ("三、（二）1."), and for the pieces of a cut text
    the rows of a table they hold ("附件 序号13～14") or their place after the first ("五、（续1）")."""
    labels: list[str] = []
    before, last = "", None  # the heading label of the piece before; the 序号 of the row before
    for piece in pieces:
        label = base = _joined(piece.markers) or (piece.path[-1] if piece.path else "正文")
        if piece.cut:
            serials, last = row_serials(piece.paras, last if base == before else None, _is_heading)
            if serials:
                gap = "" if base.endswith(("、", "）", ")")) else " "  # "附件 序号3", "三、序号3"
                label += gap + "序号" + (serials[0] if serials[0] == serials[-1] else f"{serials[0]}～{serials[-1]}")
        before = base
        labels.append(label)
    return _continued(labels)


def _joined(markers: tuple[str, ...]) -> str:
    """The markers as one label; a space between two numbers: "附件1 2.", not "附件12."."""
    label = ""
    for marker in markers:
        label += (" " if label[-1:].isdigit() and marker[:1].isdigit() else "") + marker
    return label


def _is_heading(text: str) -> bool:
    return heading_of(text) is not None


def _continued(labels: list[str]) -> list[str]:
    """A label that repeats the one before it is a continuation: "解读五、", "解读五、（续1）"."""
    out: list[str] = []
    run = 0
    for n, label in enumerate(labels):
        run = run + 1 if n and label == labels[n - 1] else 0
        out.append(f"{label}（续{run}）" if run else label)
    return out


def heading_of(text: str) -> tuple[int, str] | None:
    """The rank and marker of a paragraph that opens a heading, else None."""
    found = heading_marker(text)
    return (found[0], _normalize_marker(found[1].group(0), found[0])) if found else None


def heading_marker(text: str) -> tuple[int, re.Match[str]] | None:
    """The rank of a paragraph that opens a heading and its marker as written, else None."""
    for rank, pattern in _MARKERS:
        m = pattern.match(text)
        if m:
            return rank, m
    return None


def _normalize_marker(marker: str, rank: int) -> str:
    flat = "".join(marker.split())
    if flat.endswith("解读"):
        return "解读"
    if flat.startswith("附件"):
        return flat.rstrip(":：")
    if rank in (5, 7):
        return "（" + flat[1:-1] + "）"
    if rank == 6:
        return flat[:-1] + "."
    return flat


def _label(text: str, marker: str) -> str:
    first = re.split(r"[。；：:]", text, maxsplit=1)[0]
    if len(first) <= 40:
        return first
    return first[:30] + "…"


def _build_tree(paras: list[Paragraph]) -> _Node:
    root = _Node(rank=-1)
    stack = [root]
    titles = _titled_attachments(paras)
    for i, para in enumerate(paras):
        head = None if para.is_table else heading_of(para.text)
        if head is None:
            stack[-1].paras.append(para)
            continue
        rank, marker = head
        while stack[-1].rank >= rank:
            stack.pop()
        node = _Node(rank=rank, marker=marker, label=titles.get(i) or _label(para.text, marker), paras=[para])
        stack[-1].children.append(node)
        stack.append(node)
    return root


def _titled_attachments(paras: list[Paragraph]) -> dict[int, str]:
    """Labels for bare "附件 1" lines: the attachment's title when the next line is one."""
    labels: dict[int, str] = {}
    for i, para in enumerate(paras[:-1]):
        head = heading_of(para.text)
        if head and head[1].startswith("附件"):
            nxt = paras[i + 1].text.strip()
            if len(nxt) <= 40 and not nxt.endswith(("。", "；")) and heading_of(nxt) is None:
                labels[i] = f"{head[1]} {nxt}"
    return labels


def _emit(
    node: _Node, path: tuple[str, ...], markers: tuple[str, ...], max_chars: int, out: list[_Piece]
) -> None:
    if node.rank >= 0:
        path, markers = (*path, node.label), (*markers, node.marker)
    if node.size() <= max_chars:
        out.append(_Piece(node.all_paras(), path, markers))
        return
    carry: list[Paragraph] = []
    own = sum(len(p.text) for p in node.paras)
    if node.paras and (own >= _MIN_OWN or not node.children):
        chunks = _split_long(node.paras, max_chars)
        out.extend(_Piece(chunk, path, markers, cut=len(chunks) > 1) for chunk in chunks)
    else:
        carry = list(node.paras)  # a bare heading line goes in front of its first child
    pack: list[_Node] = []

    def flush() -> None:
        nonlocal carry
        if not pack:
            return
        paras = carry + [p for child in pack for p in child.all_paras()]
        carry = []
        if len(pack) == 1:
            child = pack[0]
            out.append(_Piece(paras, (*path, child.label), (*markers, child.marker)))
        else:
            span = f"{pack[0].marker}～{pack[-1].marker}"
            out.append(_Piece(paras, (*path, f"{pack[0].label} 等"), (*markers, span)))
        pack.clear()

    for child in node.children:
        size = child.size()
        if size > max_chars:
            flush()
            before = len(out)
            _emit(child, path, markers, max_chars, out)
            if carry and len(out) > before:
                out[before].paras[:0] = carry
                carry = []
            continue
        if pack and sum(c.size() for c in pack) + size + sum(len(p.text) for p in carry) > max_chars:
            flush()
        pack.append(child)
    flush()
    if carry:
        out.append(_Piece(carry, path, markers))


def _split_long(paras: list[Paragraph], max_chars: int) -> list[list[Paragraph]]:
    """Group paragraphs up to ``max_chars``; cut a longer paragraph at sentence ends, tables at rows."""
    units: list[Paragraph] = []
    for para in paras:
        if len(para.text) <= max_chars:
            units.append(para)
        elif para.is_table:
            units.extend(split_table(para, max_chars, _split_sentences))
        else:
            units.extend(_split_sentences(para, max_chars))
    groups: list[list[Paragraph]] = []
    size = 0
    for unit in units:
        if groups and size + len(unit.text) <= max_chars:
            groups[-1].append(unit)
            size += len(unit.text)
        else:
            groups.append([unit])
            size = len(unit.text)
    return groups


def _split_sentences(para: Paragraph, max_chars: int) -> list[Paragraph]:
    max_chars = max(max_chars, 20)
    sentences = [s for s in _SENTENCE.findall(para.text) if s]
    out: list[Paragraph] = []
    buf, offset, buf_start = "", 0, 0
    for sentence in sentences:
        while len(sentence) > max_chars:  # one sentence longer than a clause: cut it
            if buf:
                out.append(_sub(para, buf, buf_start))
                buf = ""
            out.append(_sub(para, sentence[:max_chars], offset))
            offset += max_chars
            sentence = sentence[max_chars:]
        if buf and len(buf) + len(sentence) > max_chars:
            out.append(_sub(para, buf, buf_start))
            buf = ""
        if not buf:
            buf_start = offset
        buf += sentence
        offset += len(sentence)
    if buf:
        out.append(_sub(para, buf, buf_start))
    return out


def _sub(para: Paragraph, text: str, offset: int) -> Paragraph:
    start = min(para.start + offset, para.end)
    return Paragraph(text, start, min(start + len(text), para.end))


def _merge_tiny(pieces: list[_Piece], max_chars: int) -> list[_Piece]:
    """A piece too small to stand alone (a signature, a date) joins its neighbour."""
    out: list[_Piece] = []
    for piece in pieces:
        size = sum(len(p.text) for p in piece.paras)
        if out and size < _TINY and sum(len(p.text) for p in out[-1].paras) + size <= max_chars * 1.2:
            out[-1].paras.extend(piece.paras)
        else:
            out.append(piece)
    if len(out) > 1 and sum(len(p.text) for p in out[0].paras) < _TINY:
        first = out.pop(0)
        out[0].paras[:0] = first.paras
    return out
