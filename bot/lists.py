"""Lists and tables in an extractive answer.

A question that asks for a list ("要准备哪些材料") gets the whole list the chosen item belongs to,
with the line that introduces it; a table row whose first cell the question names ("安阳市的企业
能享受吗") comes with its table's header row. Items and rows stand on lines of their own, and a
line that is a whole line of the clause, copied verbatim, needs no marker of its own: the marker
at the end of the list cites it with the rest.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from dataclasses import replace
from typing import TYPE_CHECKING

from bot.scope import PLACES
from retrieval.lexical import expand_query

if TYPE_CHECKING:
    from bot.extractive import _Candidate

MAX_ITEM_CHARS = 60  # a list whose items are longer is numbered paragraphs, not a list to show whole
MAX_INTRO_CHARS = 34  # a line before a list this short introduces it ("一、申报10万元材料清单")
MAX_NAMED = 3  # table rows (by their first cell) or list tiers (by their label) a question may pick

Fits = Callable[["_Candidate", list["_Candidate"]], bool]


CONDITIONS_INTRO = re.compile(r"(?:满足|符合|具备|具有)(?:以下|下列|如下)|(?:以下|下列|如下).{0,6}条件")
MAX_CONDITION_CHARS = 120  # the conditions of eligibility are longer sentences than a materials list


def complete_lists(
    chosen: list[_Candidate],
    pool: list[_Candidate],
    fits: Fits,
    conditions: bool = False,
    materials: tuple[str, ...] = (),
    asked: AbstractSet[str] = frozenset(),
) -> None:
    """Add the rest of each list a chosen item (or its introducing line) belongs to, in order.

    "申报要准备哪些材料？" wants the whole list "1. 营业执照复印件 … 6. 诚信承诺书" under the line that
    introduces it, not the items that happen to share its words. A list is a run of item lines with
    nothing else between them (a second list under another introducing line is another list). Only
    lists of short items (lines of at most MAX_ITEM_CHARS) are completed: numbered paragraphs
    (附则 1. … 2. …) are not a list to show whole. A list that does not fit the budget whole is left
    as the sentences chosen for their words.

    With ``conditions`` (a question of eligibility: "现在能去申请专精特新中小企业吗？"), only a list under
    a line that introduces conditions ("同时满足以下四项条件") is completed, with items up to
    MAX_CONDITION_CHARS: an applicant must see every condition, not the two that share its words.

    With ``materials`` (for a question of what to hand in: each clause's heading path, by rank), a
    list of at least MIN_HEADED_ITEMS lines with long items, under a line or heading naming materials
    ("申报企业应提供以下基本材料：", "二、申报材料"), is completed by the head of each item not chosen
    (``_headed_items``; an item whose hidden part holds a word of ``asked``, the question's words,
    is kept whole).
    """
    items = [c for c in pool if c.item]
    starts = [c for c in chosen if c.item]
    starts += [i for c in chosen if not (c.item or c.row) and len(c.text) <= MAX_INTRO_CHARS
               for i in items if i.rank == c.rank and i.line == c.line + 1][:1]
    done: set[tuple[int, int]] = set()
    for start in starts:
        mine = sorted((c for c in pool if c.rank == start.rank), key=lambda c: c.index)
        run = _run({c.line for c in mine if c.item and c.heading == start.heading}, start.line)
        if (start.rank, run.start) in done:
            continue
        done.add((start.rank, run.start))
        members = [c for c in mine if c.item and c.line in run]
        before = [c for c in mine if c.line == run.start - 1]
        said = " ".join([start.heading, *(c.text for c in before)])  # what introduces the list
        if conditions and not CONDITIONS_INTRO.search(said):
            continue  # for eligibility, only a list that says it is the conditions to meet
        longest = MAX_CONDITION_CHARS if conditions else MAX_ITEM_CHARS
        if max(sum(len(c.text) for c in members if c.line == line) for line in run) > longest:
            named = MATERIALS_INTRO.search(f"{materials[start.rank]} {said}") if materials else None
            if not named or len(run) < MIN_HEADED_ITEMS:
                continue  # numbered paragraphs (附则 1. … 2. …), not a list of what to hand in
            members = _headed_items(members, chosen, asked)  # "(一) 介绍企业发展农业产业化情况的专题材料…"
            if max((len(c.text) for c in members if c not in chosen), default=0) > MAX_KEPT_CHARS:
                continue
        intro = before if before and not (before[0].item or before[0].row) and sum(len(c.text) for c in before) <= MAX_INTRO_CHARS else []
        _add_all([c for c in intro + members if c not in chosen], chosen, fits)


MATERIALS_INTRO = re.compile(r"材料|资料|提供|提交|报送|清单")
MIN_HEADED_ITEMS = 3  # a materials list of this many lines, some long, is shown by the head of each item
_HEAD_END = re.compile(r"[（(，,：:；;]")


def _headed_items(members: list[_Candidate], chosen: list[_Candidate], asked: AbstractSet[str]) -> list[_Candidate]:
    """The items of a list, each by its first sentence cut before its first aside ("（包括…）", "，…")
    and marked cut with "…"; an item already chosen whole stays whole. "申报要交哪些证明材料" is
    answered by every item of "（一）介绍企业发展…专题材料（包括企业基本情况…限1500字以内）。… （四）人民
    银行出具的企业信用报告。…", where the long first item kept the list from being shown at all."""
    shown = {c.line for c in chosen}
    items: list[_Candidate] = []
    for line in dict.fromkeys(c.line for c in members):
        mine = [c for c in members if c.line == line]
        if line in shown:
            items += [c for c in mine if c in chosen]
            continue
        first = mine[0]
        cut = _HEAD_END.search(first.text, MIN_HEAD_CHARS)
        if cut and len(first.text) > MAX_ITEM_CHARS and not _tells_more(first.text[: cut.start()], first.text[cut.start() :], asked):
            first = replace(first, text=first.text[: cut.start()] + "…")
        items.append(first)
    return items


def _tells_more(head: str, rest: str, asked: AbstractSet[str]) -> bool:
    """Whether the part of an item a cut would hide holds a word of the question its head does not:
    "企业申报日在“信用中国”网站中查询(…)的“失信被执行人”…" is kept whole for "信用方面要查哪些网站"."""
    return any(len(w) >= 2 and w in rest and w not in head for w in asked)


MAX_KEPT_CHARS = 200  # an item kept whole for the question's words; the budget still holds for the list
MIN_HEAD_CHARS = 6  # "(一) 介绍" is no head: an aside this early is part of the item's name


def add_named_rows(question: str, chosen: list[_Candidate], pool: list[_Candidate], fits: Fits) -> None:
    """Add the table rows whose first cell the question names, each with its table's header row.

    "安阳市的企业能享受吗" is answered by the row "安阳市 15376 16755 2115 1.8 0" of the cited
    降幅表, which shares no other word with the question; the header says what its numbers are.
    The other rows of such a table, picked for their figures, are left out. A table is a run of
    row lines; its first line is its header, which names nothing.
    """
    table_of: dict[tuple[int, int], tuple[int, int]] = {}  # (rank, row line) -> (rank, header line)
    named: list[tuple[int, int]] = []  # (rank, row line)
    for rank in sorted({c.rank for c in pool if c.row}):
        rows = sorted((c for c in pool if c.rank == rank and c.row), key=lambda c: c.index)
        lines = {c.line for c in rows}
        for row in rows:
            key = (rank, row.line)
            if key in table_of:
                continue  # a later sentence of a row already seen
            table_of[key] = (rank, _run(lines, row.line).start)
            if table_of[key] != key and _names_cell(question, row.text.split("\t")[0].strip()):
                named.append(key)
    named = named[:MAX_NAMED]
    asked = {table_of[key] for key in named}
    shown = set(named) | asked  # the named rows and their headers
    chosen[:] = [c for c in chosen if not c.row or table_of[(c.rank, c.line)] not in asked or (c.rank, c.line) in shown]
    for key in named:
        header_and_row = (table_of[key], key)
        _add_all([c for c in pool if (c.rank, c.line) in header_and_row and c not in chosen], chosen, fits)


_ITEM_LABEL = re.compile(r"^\s*(?:\d{1,2}[.．、]|[（(][一二三四五六七八九十\d]{1,3}[）)])\s*([^\d，,。；;：:（(]{2,12}?)类?(?:企业)?\s*\d")


def add_named_items(question: str, chosen: list[_Candidate], pool: list[_Candidate], fits: Fits) -> None:
    """Add the tier of a tiered list that the question names, with the line that says what its figures are.

    "我们是养猪的企业…规模上得达到啥标准？" is answered by "2. 畜禽类8000万元、3000万元、10000万元以上；"
    under "（三）企业规模。资产总额、固定资产、年销售收入分别为：", which shares no word with the question
    but 畜禽, the standards' word for what it raises. An item is named when its label (the words
    between its number and its first figure, 类 left off) is in the question or its stand-ins.
    """
    asked = expand_query(question)
    named = []
    for c in pool:
        label = _ITEM_LABEL.match(c.text) if c.item else None
        if label and label.group(1).strip() in asked:
            named.append(c)  # chosen already or not: the line that says what its figures are may be missing
    for item in named[:MAX_NAMED]:
        before = [c for c in pool if c.rank == item.rank and c.line < item.line and c.text.rstrip().endswith(("：", ":"))]
        intro = max(before, key=lambda c: c.line, default=None)
        _add_all([c for c in (intro, item) if c is not None and c not in chosen], chosen, fits)


def layout(
    chosen: list[_Candidate], texts: tuple[str, ...], line_texts: dict[tuple[int, int], str]
) -> tuple[tuple[bool, ...], tuple[bool, ...]]:
    """Per chosen sentence of one clause (in order, shown as ``texts``): whether it starts a line
    of its own (a list item or table row, or the line after one), and whether it ends a run that
    is one whole line of the clause (``line_texts``: (rank, line) -> the line), copied verbatim, so
    that it may stand without a marker.
    """
    breaks: list[bool] = []
    for i, c in enumerate(chosen):
        before = chosen[i - 1] if i else None
        breaks.append(before is not None and c.line != before.line and (c.item or c.row or before.item or before.row))
    whole: list[bool] = []
    for i, c in enumerate(chosen):
        mine = [j for j, x in enumerate(chosen) if x.line == c.line]
        starts_run = mine[0] == 0 or breaks[mine[0]]
        shown = "".join(texts[j] for j in mine)
        whole.append(i == mine[-1] and starts_run and shown == line_texts[(c.rank, c.line)])
    return tuple(breaks), tuple(whole)


def _add_all(candidates: list[_Candidate], chosen: list[_Candidate], fits: Fits) -> None:
    """Add every one of ``candidates`` in order, or none when they do not all fit."""
    added: list[_Candidate] = []
    for candidate in candidates:
        if not fits(candidate, chosen):
            for done in added:
                chosen.remove(done)
            return
        chosen.append(candidate)
        added.append(candidate)


def _run(lines: set[int], line: int) -> range:
    """The run of consecutive lines in ``lines`` that holds ``line``."""
    first, last = line, line
    while first - 1 in lines:
        first -= 1
    while last + 1 in lines:
        last += 1
    return range(first, last + 1)


def _names_cell(question: str, cell: str) -> bool:
    """Whether the question names a row's first cell: "安阳市", or "安阳" for a city or county."""
    if len(cell) < 2 or re.search(r"\d", cell):
        return False
    return cell in question or (cell[-1] in "市县" and cell[:-1] in PLACES and cell[:-1] in question)
