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
from typing import TYPE_CHECKING

from bot.scope import PLACES

if TYPE_CHECKING:
    from bot.extractive import _Candidate

MAX_ITEM_CHARS = 60  # a list whose items are longer is numbered paragraphs, not a list to show whole
MAX_INTRO_CHARS = 34  # a line before a list this short introduces it ("一、申报10万元材料清单")
MAX_NAMED_ROWS = 3  # table rows a question may pick by naming their first cell

Fits = Callable[["_Candidate", list["_Candidate"]], bool]


def complete_lists(chosen: list[_Candidate], pool: list[_Candidate], fits: Fits) -> None:
    """Add the other items of each list a chosen item belongs to, in order, and its introducing line.

    "申报要准备哪些材料？" wants the whole list "1. 营业执照复印件 … 6. 诚信承诺书", not the items that
    happen to share its words. A list is a run of item lines with nothing else between them (a
    second list under another introducing line is another list). Only lists of short items (lines
    of at most MAX_ITEM_CHARS) are completed: numbered paragraphs (附则 1. … 2. …) are not a list to
    show whole. Items are added in order until one does not fit, so no item in the middle is left out.
    """
    done: set[tuple[int, int]] = set()
    for item in [c for c in chosen if c.item]:
        mine = sorted((c for c in pool if c.rank == item.rank), key=lambda c: c.index)
        run = _run({c.line for c in mine if c.item and c.heading == item.heading}, item.line)
        if (item.rank, min(run)) in done:
            continue
        done.add((item.rank, min(run)))
        members = [c for c in mine if c.item and c.line in run]
        if max(sum(len(c.text) for c in members if c.line == line) for line in run) > MAX_ITEM_CHARS:
            continue
        before = [c for c in mine if c.line == min(run) - 1]
        intro = before if before and sum(len(c.text) for c in before) <= MAX_INTRO_CHARS else []
        for candidate in intro + members:
            if candidate in chosen:
                continue
            if not fits(candidate, chosen):
                break
            chosen.append(candidate)


def add_named_rows(question: str, chosen: list[_Candidate], pool: list[_Candidate], fits: Fits) -> None:
    """Add the table rows whose first cell the question names, each with its table's header row.

    "安阳市的企业能享受吗" is answered by the row "安阳市 15376 16755 2115 1.8 0" of the cited
    降幅表, which shares no other word with the question; the header says what its numbers are.
    The other rows of such a table, picked for their figures, are left out. A table is a run of
    row lines; its first row is its header, which names nothing.
    """
    table_of: dict[int, tuple[int, int]] = {}  # id of a row -> (rank, first line of its table)
    headers: dict[tuple[int, int], _Candidate] = {}  # table -> its header row
    named: list[_Candidate] = []
    for rank in sorted({c.rank for c in pool if c.row}):
        rows = sorted((c for c in pool if c.rank == rank and c.row), key=lambda c: c.index)
        lines = {c.line for c in rows}
        for row in rows:
            table = table_of[id(row)] = (rank, min(_run(lines, row.line)))
            if table not in headers:
                headers[table] = row
            elif _names_cell(question, row.text.split("\t")[0].strip()):
                named.append(row)
    named = named[:MAX_NAMED_ROWS]
    asked = {table_of[id(row)] for row in named}
    keep = {id(c) for c in named} | {id(headers[table]) for table in asked}
    chosen[:] = [c for c in chosen if not c.row or table_of[id(c)] not in asked or id(c) in keep]
    for row in named:
        header = headers[table_of[id(row)]]
        if row in chosen:
            continue
        added = header not in chosen
        if added:
            if not fits(header, chosen):
                continue
            chosen.append(header)
        if fits(row, chosen):
            chosen.append(row)
        elif added:
            chosen.remove(header)


def layout(chosen: list[_Candidate], sizes: dict[tuple[int, int], int]) -> tuple[tuple[bool, ...], tuple[bool, ...]]:
    """Per chosen sentence of one clause (in order): whether it starts a line of its own (a list item
    or table row, or the line after one), and whether it ends a run that is one whole line of the
    clause (every sentence of it chosen; ``sizes``: (rank, line) -> sentences on it), copied
    verbatim, so that it may stand without a marker.
    """
    breaks: list[bool] = []
    for i, c in enumerate(chosen):
        before = chosen[i - 1] if i else None
        breaks.append(before is not None and c.line != before.line and (c.item or c.row or before.item or before.row))
    whole: list[bool] = []
    for i, c in enumerate(chosen):
        mine = [j for j, x in enumerate(chosen) if x.line == c.line]
        starts_run = mine[0] == 0 or breaks[mine[0]]
        whole.append(i == mine[-1] and starts_run and len(mine) == sizes[(c.rank, c.line)])
    return tuple(breaks), tuple(whole)


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
