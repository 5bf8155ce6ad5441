"""The offline answer: the sentences of the retrieved clauses that answer the question, each cited.

It never writes a fact of its own: every sentence in the body is copied from a cited clause, and
the connecting words are fixed phrases ("根据…", "涉及…").
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from dataclasses import dataclass
from typing import NamedTuple

from bot.asking import INTENTS, asking_piece, intents, question_parts
from bot.lists import add_named_items, add_named_rows, complete_lists, layout
from retrieval.chunker import heading_marker
from retrieval.lexical import query_tokens, text_words
from retrieval.support import SENTENCE
from retrieval.types import Hit
from retrieval.vocabulary import ASKING_WORDS, QUESTION_FORMS

_NUMBER = re.compile(r"\d|[一二三四五六七八九十百千万两]+(?:个|年|月|天|日|倍|项|家|次)")
_ASKS_LIST = re.compile(r"哪些|哪几|有什么(?:材料|资料|条件|要求)|清单")
_NUMBERED_RANKS = (1, 8)  # retrieval.chunker's ranks of numbered markers, 第X章 to ①
_BRACKETED = re.compile(r"[（(][^）)]*[）)]")
MAX_HEADING_CHARS = 34  # longer numbered lines are wrapped sentences more often than headings
# a numbered line of a few words; not "（一）经办机构：农商行（农信社）。", a label with its value
_HEADING = re.compile(r"^(?:[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[）)]|[一二三四五六七八九十]{1,3}、)[^，,；;：:]{1,20}[。：:]?$")
MIN_PART_OVERLAP = 0.5  # share of a question part's words its own sentence must hold
FLOOR = 0.3  # a sentence must score at least this share of the best one
RANK_PENALTY = 0.06  # per rank of its clause
# an answer shorter than FILL_CHARS shows more of its first FILL_RANKS clauses (issue 3: a body under
# ~600 characters); measured on every gold set (eval/RESULTS.md, eighth session)
FILL_CHARS = 450
FILL_RANKS = 2
FILL_FLOOR = 0.1
_JUNK = re.compile(r"^附件|附件[:：]|现(?:将有关事项|就有关事项)?通知如下|印发给你们|请认真(?:贯彻)?(?:落实|执行|遵照)|联系电话|联系人|邮箱|@|https?://|www\.|申报汇总表|情况表|^[各有关].{2,40}[:：]$")

_LOG_IN = re.compile(r"登录|登陆")  # "登录“河南政务服务网”（https://…）": where to apply, not a contact line


@dataclass(frozen=True)
class Extract:
    """Sentences picked from one hit, in their order in the clause."""

    hit: Hit
    sentences: tuple[str, ...]
    headings: tuple[str, ...] = ()  # per sentence: the heading line to show on its own above it, or ""
    breaks: tuple[bool, ...] = ()  # per sentence: starts a line of its own (a list item or table row, or after one)
    whole: tuple[bool, ...] = ()  # per sentence: ends a whole item or row line, copied verbatim (needs no marker)


def pick_sentences(
    question: str, hits: list[Hit], budget: int, idf: dict[str, float] | None = None, limit: int = 6,
    fill: int = FILL_CHARS,
) -> list[Extract]:
    """Choose the sentences that answer ``question`` across all ``hits``, within ``budget`` characters.

    Sentences compete globally (a lower-ranked clause pays a small penalty), so the one sentence that
    answers can come from the third clause; the chosen ones are shown per clause, in clause order.
    After the best sentence, each later part of a question asked in several ("最多贷多少？利息是不是
    全包？") gets its own best sentence when one is clearly about it; a sentence that another policy
    repeats (a measure and its implementing rules) is shown once.
    """
    weights = word_weights(question, idf)
    wanted = intents(question)
    pool: list[_Candidate] = []
    line_texts: dict[tuple[int, int], str] = {}  # (rank, line) -> that line of that clause
    for rank, hit in enumerate(hits):
        line_texts.update(((rank, n), line) for n, line in enumerate(_lines(hit.clause.text)))
        for i, (sentence, heading, line, item, row) in enumerate(_under_headings(hit.clause.text)):
            if len(sentence) >= 4 or item:  # a short item ("②税单") still belongs to its list
                # the heading it sits under says what it is about: "奖励50万元" under "（1）…高新技术企业奖励"
                about = text_words(sentence) | text_words(heading)
                score = _score(sentence, about, weights, wanted) - RANK_PENALTY * rank
                pool.append(_Candidate(score, rank, i, sentence, about, heading, line, item, row))
    pool.sort(key=lambda c: -c.score)
    if not pool or pool[0].score <= 0:
        return []
    chosen: list[_Candidate] = [pool[0]]
    parts = question_parts(question)
    asks = [asking_piece(p) for p in parts]
    titles = [text_words(hit.clause.title) for hit in hits]
    # the first part too: the best sentence overall may answer a later one ("…会受到什么限制")
    for part in [a for a, p in zip(asks, parts, strict=True) if a != p] + (parts if len(parts) > 1 else []):
        best = _best_for_part(part, pool, weights, idf, titles)
        if best is not None and len(chosen) < limit and _fits(best, chosen, budget):
            chosen.append(best)
    floor = FLOOR * pool[0].score
    for candidate in pool[1:]:
        if candidate.score < floor or len(chosen) >= limit:
            break
        if _fits(candidate, chosen, budget):
            chosen.append(candidate)

    def fits(candidate: _Candidate, chosen: list[_Candidate]) -> bool:
        return _fits(candidate, chosen, budget, repeats=True)  # two lists may both start "1. 营业执照复印件"

    add_named_rows(question, chosen, pool, fits)
    add_named_items(question, chosen, pool, fits)
    if _ASKS_LIST.search(question):
        paths = tuple(hit.clause.path_text for hit in hits) if "materials" in wanted else ()
        complete_lists(chosen, pool, fits, materials=paths, asked=frozenset(weights))
    if "eligibility" in wanted:
        complete_lists(chosen, pool, fits, conditions=True)  # all the conditions an applicant must meet
    if fill > 0:
        _fill(chosen, pool, min(budget, fill), limit + 2, weights)
    chosen.sort(key=lambda c: (c.rank, c.index))
    extracts: list[Extract] = []
    for rank in dict.fromkeys(c.rank for c in chosen):
        mine = [c for c in chosen if c.rank == rank]
        texts = tuple(_trim(c.text) for c in mine)
        breaks, whole = layout(mine, texts, line_texts)
        extracts.append(Extract(hits[rank], texts, _headings(mine), breaks, whole))
    return extracts


def _fill(
    chosen: list[_Candidate], pool: list[_Candidate], upto: int, limit: int, weights: Weights
) -> None:
    """Add to a short answer, up to ``upto`` characters, the next best sentences of its first
    FILL_RANKS clauses: the words of "能申请什么" are in "奖励50万元" but not in the 申报条件 beside it.

    Not list items or table rows: which of those to show is for the list and table rules. A sentence
    must score at least FILL_FLOOR of the best one and hold FILL_FLOOR of the question's words (an
    answer shape alone, a date or a 不得, says nothing about the question).
    """
    for candidate in pool[1:]:
        if sum(len(c.text) for c in chosen) >= upto or len(chosen) >= limit:
            return
        if (
            candidate.rank < FILL_RANKS
            and not (candidate.row or candidate.item)
            and candidate.score >= FILL_FLOOR * pool[0].score
            and overlap(weights, candidate.tokens) >= FILL_FLOOR
            and _fits(candidate, chosen, upto)
        ):
            chosen.append(candidate)


def _headings(chosen: list[_Candidate]) -> tuple[str, ...]:
    """Per chosen sentence, the heading line to show above it: "企业年销售收入5000万元以上的，奖励50万元"
    says for whom only in its heading "（1）战略性新兴产业领域内规模以上企业认定为高新技术企业奖励".

    A heading is shown once for the sentences under it.
    """
    out: list[str] = []
    shown = ""
    for c in chosen:
        new = c.heading and c.heading != shown
        out.append(c.heading if new else "")
        shown = c.heading or shown
    return tuple(out)


@dataclass(frozen=True)
class _Candidate:
    score: float
    rank: int  # of its clause among the hits
    index: int  # of the sentence in its clause
    text: str
    tokens: frozenset[str]  # its own words and its heading's
    heading: str = ""  # the heading line it sits under, shown before it when no sentence says it
    line: int = 0  # of the clause text it is on
    item: bool = False  # on a numbered line beside its siblings: an item of a list
    row: bool = False  # a row of a table (its cells separated by tabs)


def _fits(candidate: _Candidate, chosen: list[_Candidate], budget: int, repeats: bool = False) -> bool:
    """Within the budget, and not a sentence already chosen (or nearly all of one, unless ``repeats``)."""
    shown = {c.heading for c in chosen} | {candidate.heading}
    if candidate in chosen or sum(len(c.text) for c in chosen) + len(candidate.text) + sum(map(len, shown)) > budget:
        return False
    if repeats:
        return True
    flat = _flat(candidate.text)
    for other in (_flat(c.text) for c in chosen):
        short, long = sorted((flat, other), key=len)
        if short in long and len(short) >= 0.8 * len(long):
            return False
    return True


def _lines(text: str) -> list[str]:
    """The clause's non-blank lines, stripped; a sentence's ``line`` numbers them."""
    return [x.strip() for x in text.split("\n") if x.strip()]


class _Piece(NamedTuple):
    """A sentence of a clause and where it stands."""

    sentence: str
    heading: str  # the heading line it sits under, "" when none
    line: int  # the clause line it is on
    item: bool  # that line is an item of a numbered list
    row: bool  # that line is a table row


def _under_headings(text: str) -> list[_Piece]:
    """The clause's sentences, each with the heading line it sits under ("" when none), the number
    of its line, whether that line is an item of a numbered list, and whether it is a table row.

    A heading line is numbered, short, states no figure and ends no sentence ("（1）战略性新兴产业
    领域内规模以上企业认定为高新技术企业奖励", "(五) 加大政府采购支持中小企业力度。"), and is followed by
    text of its own: a deeper number or none. Numbered lines next to a sibling ("1. 营业执照复印件"
    under "2. …") are list items, chosen like sentences. A heading is not a sentence to choose, only
    shown above the chosen sentences under it; it stops applying at the next line numbered at its rank
    or above.
    """
    lines = _lines(text)
    markers = [heading_marker(line) for line in lines]
    ranks = [found[0] if found else None for found in markers]
    out: list[_Piece] = []
    heading, heading_rank = "", 99
    for i, (line, found) in enumerate(zip(lines, markers, strict=True)):
        if found and found[0] <= heading_rank:
            heading, heading_rank = "", 99  # a sibling or a higher heading ends the scope
        if found and i + 1 < len(lines) and _is_heading(line, *found, ranks[i - 1] if i else None, ranks[i + 1]):
            heading, heading_rank = line, found[0]
        else:
            item = found is not None and _NUMBERED_RANKS[0] <= found[0] <= _NUMBERED_RANKS[1] and _has_sibling(ranks, i)
            out.extend(_Piece(sentence, heading, i, bool(item), "\t" in line) for sentence in _sentences(line))
    return out


def _has_sibling(ranks: list[int | None], i: int) -> bool:
    """Whether line ``i`` has a line of its rank next to it, deeper lines between them skipped: in
    "2. 近3年财务报表：（1）…（2）… 3. 诚信承诺书", "3." is an item beside "2."."""
    rank = ranks[i]
    for step in (-1, 1):
        j = i + step
        while 0 <= j < len(ranks) and ranks[j] is not None and ranks[j] > rank:  # type: ignore[operator]
            j += step
        if 0 <= j < len(ranks) and ranks[j] == rank:
            return True
    return False


def _is_heading(line: str, rank: int, marker: re.Match[str], before: int | None, after: int | None) -> bool:
    """A numbered line that heads the lines after it rather than being an item of a list."""
    if before == rank or (after is not None and after <= rank) or len(line) > MAX_HEADING_CHARS:
        return False  # an item beside its siblings, a line with nothing under it, or a wrapped sentence
    # the words after a number (第三条, 一、, （二）, 1., （1）, ①); a label (政策内容：) or 附件 keeps its own
    body = line[marker.end():] if _NUMBERED_RANKS[0] <= rank <= _NUMBERED_RANKS[1] else line
    if body.endswith("。") and len(line) > 20:
        return False  # "第十五条 经认定公布的…, 享受有关优惠政策。" is an article's sentence
    body = body.rstrip("。：: ")  # "(五) 加大政府采购支持中小企业力度。" heads what follows
    return not re.search(r"[。；！？!?;，,\t]", body) and not re.search(r"\d", _BRACKETED.sub("", body))


def _sentences(text: str) -> list[str]:
    """The clause's sentences; a heading sentence ("(六) 落实税收优惠政策。") is joined to the next one."""
    out: list[str] = []
    for sentence in (s.strip() for s in SENTENCE.findall(text)):
        if out and _HEADING.match(out[-1]):
            out[-1] += sentence
        elif sentence:
            out.append(sentence)
    return out


# the pieces jieba cuts out of a way of asking ("能不能" -> 不能, "低一点" -> 一点): rare in clauses, so
# heavy by IDF, and never what a sentence must hold to answer
_ASKING_PIECES = ASKING_WORDS | {"不能", "一点", "一些", "没有", "能否"}


class Weights(dict[str, float]):
    """Each word of a question with its IDF, and the sets of words that say one thing between them:
    the rules' words for one phrase of the caller's ("门槛能不能低一点": 减按, 放宽)."""

    alternatives: tuple[frozenset[str], ...] = ()


def word_weights(text: str, idf: dict[str, float] | None) -> Weights:
    """Each word of ``text`` (abbreviations expanded) with its IDF, 1.0 when unknown; not the words
    that only ask. A phrase of the caller's that the rules say in their own words ("门槛能不能低一点":
    减按, 放宽) makes one set of alternatives with them."""
    weights = Weights({t: (idf or {}).get(t, 1.0) for t in set(query_tokens(text)) if t not in _ASKING_PIECES})
    groups = []
    for pattern, words in QUESTION_FORMS:
        found = pattern.search(text)
        if found is None:
            continue
        # the phrase's own words, not one the question names again ("我和爱人都交公积金，公积金最多能贷多少")
        elsewhere = text_words(text[: found.start()] + text[found.end() :])
        group = frozenset(w for w in (*text_words(found.group(0)), *words) if w in weights and w not in elsewhere)
        if len(group) > 1:
            groups.append(group)
    weights.alternatives = tuple(groups)
    return weights


def overlap(weights: Weights, tokens: AbstractSet[str]) -> float:
    """The IDF-weighted share of the weighed words that ``tokens`` holds. A set of alternatives weighs
    as its heaviest word and is held by its heaviest word held ("规模标准减按80%执行" says what
    "门槛能不能低一点" asks)."""
    groups = weights.alternatives
    alone = [t for t in weights if not any(t in g for g in groups)]
    total = sum(weights[t] for t in alone) + sum(max(weights[t] for t in g) for g in groups)
    found = sum(weights[t] for t in alone if t in tokens)
    found += sum(max((weights[t] for t in g if t in tokens), default=0.0) for g in groups)
    return found / (total or 1.0)


def _best_for_part(
    part: str, pool: list[_Candidate], whole: Weights, idf: dict[str, float] | None,
    titles: list[frozenset[str]],
) -> _Candidate | None:
    """The sentence that best answers one part, judged by the part's own words and answer shape.

    It must hold at least MIN_PART_OVERLAP of the part's words (IDF-weighted), with the title of its
    policy (``titles``, by rank): "农业产业化重点龙头企业多久认定一次" is answered by "…原则上每两年
    开展一次" in the 农业产业化重点龙头企业 rules. The whole question's words count half, so that
    "创新龙头呢？" prefers a sentence about the subject of the question.
    """
    own = word_weights(part, idf)
    if sum(own.values()) <= 0:
        return None
    wanted = intents(part)
    best: tuple[float, _Candidate] | None = None
    for candidate in pool:
        if overlap(own, candidate.tokens | titles[candidate.rank]) < MIN_PART_OVERLAP:
            continue
        score = (_score(candidate.text, candidate.tokens, own, wanted)
                 + 0.5 * _score(candidate.text, candidate.tokens, whole, []) - RANK_PENALTY * candidate.rank)
        if best is None or score > best[0]:
            best = (score, candidate)
    return None if best is None else best[1]


def _flat(sentence: str) -> str:
    return re.sub(r"[\s（）()，,、；;：:。]", "", sentence)


def _score(sentence: str, tokens: frozenset[str], weights: Weights, wanted: list[str]) -> float:
    """IDF-weighted share of the question's words in the sentence, plus bonuses for answer shapes."""
    bonus = sum(0.3 for name in wanted if INTENTS[name][1].search(sentence))
    if "amount" in wanted and _NUMBER.search(sentence):
        bonus += 0.1
    if (len(sentence) < 12 and not _NUMBER.search(sentence)) or _HEADING.match(sentence):
        bonus -= 0.2  # a bare heading ("(六) 落实税收优惠政策。") says little on its own
    if _JUNK.search(sentence) and not _LOG_IN.search(sentence) and "contact" not in wanted:
        bonus -= 0.5  # attachment lists, contact lines and addressees answer nothing (a site to log in to does)
    return overlap(weights, tokens) + bonus


def _trim(sentence: str, limit: int = 260) -> str:
    return sentence if len(sentence) <= limit else sentence[: limit - 1] + "…"
