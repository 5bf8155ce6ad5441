"""Trust checks on an answer: citation markers that point somewhere, and figures the clauses state."""

from __future__ import annotations

import re
from dataclasses import replace

from bot.types import Citation

_MARKER = re.compile(r"\[(\d{1,2})\]")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_CN_UNITS = {"十": 10, "百": 100, "千": 1000}
_CN_NUMBER = "零〇一二两三四五六七八九十百千"
_PERCENT_CN = re.compile(rf"百分之([{_CN_NUMBER}]+(?:点[{_CN_NUMBER}]+)?)")
_CN_WITH_UNIT = re.compile(rf"([{_CN_NUMBER}]+)(?=个月|年|天|日|倍|家|项|人|个|万|亿|元|次|周)")
_FIGURE = re.compile(
    r"(\d+(?:\.\d+)?)\s*(万元|亿元|万|亿|元|%|％|个月|个工作日|工作日|年|天|日|倍|家|项|人|月|次|周|号)?"
)


def cn_to_int(text: str) -> int | None:
    """'三十' -> 30, '两' -> 2, '一百五十' -> 150; None when it is not a plain number."""
    if not text or any(ch not in _CN_DIGITS and ch not in _CN_UNITS for ch in text):
        return None
    total, digit = 0, 0
    for ch in text:
        if ch in _CN_DIGITS:
            digit = _CN_DIGITS[ch]
        else:
            total += (digit or 1) * _CN_UNITS[ch]
            digit = 0
    return total + digit


def normalize_figures(text: str) -> str:
    """Write Chinese numerals as digits and drop the spaces inside figures."""
    text = _PERCENT_CN.sub(lambda m: f"{_cn_decimal(m.group(1))}%", text)
    text = _CN_WITH_UNIT.sub(lambda m: str(v) if (v := cn_to_int(m.group(1))) is not None else m.group(1), text)
    return re.sub(r"(?<=\d)\s+(?=[\d万亿元%％个年天日倍家项人月次周号])", "", text)


def _cn_decimal(text: str) -> str:
    whole, _, frac = text.partition("点")
    value = cn_to_int(whole)
    if value is None:
        return text
    digits = "".join(str(_CN_DIGITS.get(ch, "")) for ch in frac)
    return f"{value}.{digits}" if digits else str(value)


def figures(text: str) -> set[str]:
    """The amounts, percentages, counts and dates in ``text``, normalised ('5 万元' -> '5万')."""
    out: set[str] = set()
    for number, unit in _FIGURE.findall(normalize_figures(_MARKER.sub(" ", text))):
        unit = {"万元": "万", "亿元": "亿", "％": "%", "工作日": "个工作日"}.get(unit, unit)
        number = number.rstrip("0").rstrip(".") if "." in number else number
        out.add(number + unit)
    return out


def unsupported_figures(answer: str, citations: list[Citation]) -> set[str]:
    """Figures in ``answer`` that no cited clause states."""
    stated: set[str] = set()
    for citation in citations:
        stated |= figures(f"{citation.title}{citation.doc_number}{citation.clause}{citation.text}")
    bare = {re.match(r"\d+(?:\.\d+)?", f).group(0) for f in stated}  # type: ignore[union-attr]
    missing = set()
    for figure in figures(answer):
        if figure in stated:
            continue
        number = re.match(r"\d+(?:\.\d+)?", figure).group(0)  # type: ignore[union-attr]
        if figure == number and number in bare:
            continue  # a bare number that a clause states with its unit
        missing.add(figure)
    return missing


def reconcile_markers(answer: str, citations: list[Citation]) -> tuple[str, list[Citation]]:
    """Drop markers that point nowhere and citations never used; renumber in order of use."""
    by_n = {c.n: c for c in citations}
    order: list[int] = []
    for m in _MARKER.finditer(answer):
        n = int(m.group(1))
        if n in by_n and n not in order:
            order.append(n)
    renumber = {old: new for new, old in enumerate(order, 1)}

    def fix(m: re.Match[str]) -> str:
        n = int(m.group(1))
        return f"[{renumber[n]}]" if n in renumber else ""

    text = _MARKER.sub(fix, answer)
    text = re.sub(r"(\[\d+\])(?:\1)+", r"\1", text)
    return text, [replace(by_n[old], n=new) for old, new in renumber.items()]


def markers_in(answer: str) -> list[int]:
    return [int(n) for n in _MARKER.findall(answer)]
