"""Tables in policy texts: cut at rows, and the pieces of a cut table named by the rows they hold.

A long table (the 奖补资金政策汇总表 of a 40条措施, a 免予处罚 list) is split into several clauses.
Each piece is cited by the 序号 of its rows ("附件 序号13～14") so that a hotline operator can find it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from retrieval.cleaner import Paragraph

SERIAL = re.compile(r"^\s*(\d{1,3})\s*(?:\t|$)")  # a row that starts with its 序号 cell


def split_table(
    para: Paragraph, max_chars: int, split_sentences: Callable[[Paragraph, int], list[Paragraph]]
) -> list[Paragraph]:
    """Rows stay whole; every part after the first repeats the header row.

    A table cut by a page break starts with a numbered row, not a header: its parts repeat nothing
    (a repeated row 6 would be quoted under "序号10"). A row longer than a clause goes on alone, cut
    at sentence ends by ``split_sentences``.
    """
    rows = para.rows or para.text.split("\n")
    header = [] if SERIAL.match(rows[0]) else rows[:1]
    parts: list[list[str]] = []
    current = list(header)
    for row in rows[len(header) :]:
        if len(row) > max_chars:
            if len(current) > len(header):
                parts.append(current)
            room = max(max_chars - len("".join(header)), max_chars // 2)  # a header longer than a clause must not stall
            parts.extend([*header, piece.text] for piece in split_sentences(Paragraph(row, 0, 0), room))
            current = list(header)
            continue
        if len(current) > len(header) and len("\n".join(current)) + len(row) + 1 > max_chars:
            parts.append(current)
            current = list(header)
        current.append(row)
    if len(current) > len(header) or not parts:
        parts.append(current)
    return [Paragraph("\n".join(rows_), para.start, para.end, rows=rows_) for rows_ in parts]


def row_serials(paras: list[Paragraph], last: str | None, is_heading: Callable[[str], bool]) -> tuple[list[str], str | None]:
    """The 序号 of the table rows in ``paras``, and the last one seen (``last``: the one before them).

    The rest of a row cut at sentence ends (the first row of a part, with no 序号 of its own) goes
    on under the number before it; a section row inside the table ("七、深化链条招商") does not.
    """
    serials: list[str] = []
    for para in paras:
        rows = para.rows or []
        if len(rows) > 1 and not SERIAL.match(rows[0]):
            rows = rows[1:]  # the header
        for n, row in enumerate(rows):
            found = SERIAL.match(row)
            if found:
                serials.append(last := found.group(1))
            elif n == 0 and last is not None and not is_heading(row):
                serials.append(last)
    return serials, last
