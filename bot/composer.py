"""Builds the extractive answer text and its citations from the retrieved clauses."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.asking import question_parts
from bot.documents import asks_issue_date
from bot.extractive import FILL_CHARS, Extract, Weights, overlap, pick_sentences, word_weights
from bot.levels import LEVEL_TOKENS, level_of_part
from bot.scope import names_place, places_in
from bot.types import Citation
from retrieval.hybrid_search import Coverage
from retrieval.lexical import clause_words, query_groups
from retrieval.types import Clause, Hit

_LEVEL_LABEL = {"国家": "国家", "省": "省级", "市": "市级", "县": "县级"}
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


def select_hits(hits: list[Hit], threshold: float, limit: int = 4) -> list[Hit]:
    """The hits worth citing: close to the best one, and above the relevance threshold."""
    if not hits:
        return []
    top = hits[0]
    keep = [
        h for h in hits if h.coverage >= max(threshold, top.coverage * 0.6) and h.score >= top.score * 0.7
    ]
    return (keep or [top])[:limit]


MIN_PART_COVERAGE = 0.5  # of a question part's words (IDF-weighted) a clause must hold to answer it


PART_SEARCH_DEPTH = 3  # a part's own search: its best clauses that may answer it
PART_WHOLE_RATIO = 0.6  # of the refusal threshold: what a clause found for one part must cover of the whole
# a part a cited clause answers still gets the clause that holds this much more of its words: "…契税能
# 补贴多少？我和爱人都交公积金，公积金最多能贷多少？" had its second part half held by a clause about
# housing in general, while the clause on 夫妻双方缴存 loans held more of it
PART_BETTER_MARGIN = 0.05
PART_HELD_WELL = 0.85  # a part a cited clause holds this much of is answered: no search spent on it


def cover_parts(
    question: str,
    cited: list[Hit],
    hits: list[Hit],
    threshold: float,
    idf: dict[str, float],
    search: Callable[[str, str | None], list[Hit]] | None = None,
    levels: bool = True,
    indexed_words: Callable[[Clause], frozenset[str]] = clause_words,
) -> list[Hit]:
    """Add, for each part of a question asked in several, the clause that best answers that part,
    unless a cited clause answers it about as well (PART_BETTER_MARGIN).

    "全省给安阳下的小升规目标是多少家？企业首次上规入统，县里一次性奖多少？" asks two things that two
    policies answer; the clauses close to the best one may all be about the first. The candidates
    are the top five clauses for the whole question, and, with ``search``, the best clauses of a
    search for the part alone: "契税能补贴多少？…公积金最多能贷多少？" has each part's clause under the
    threshold of the whole question, which the clause touching both outranks. A clause from a part's
    own search must still cover PART_WHOLE_RATIO of the threshold of the whole question. A part that
    names one level of government ("社保国家说能缓缴到什么时候？") is answered only by a clause of that
    level, searched for with the whole question and with the part, each filtered to the level (not
    with ``levels`` off: the caller filtered to a level). A part with nothing but places and levels
    ("洛阳呢？") gets no clause of its own: any clause that names 洛阳 would be about it.
    ``indexed_words`` gives a clause's words; the knowledge base holds them already (``KnowledgeBase.words``).
    """
    parts = question_parts(question)
    if len(parts) < 2 or not cited:
        return cited
    out = list(cited)
    words: dict[str, frozenset[str]] = {}  # clause id -> its indexed words, read once for all parts
    whole = Coverage.of(query_groups(question), idf)

    def words_of(hit: Hit) -> frozenset[str]:
        if hit.clause.id not in words:
            words[hit.clause.id] = indexed_words(hit.clause)
        return words[hit.clause.id]

    for part in parts:
        if not _has_content(part, idf):
            continue  # "洛阳呢？", "省里呢？": nothing but a place or a level to look for
        weights = word_weights(part, idf)

        def about(hit: Hit, weights: Weights = weights) -> float:
            return overlap(weights, words_of(hit))

        level = level_of_part(part) if levels else None
        holder = max((h for h in out if level in (None, h.clause.level)), key=about, default=None)
        held = about(holder) if holder is not None else 0.0
        if held >= PART_HELD_WELL:
            continue  # answered: no search spent
        candidates = [h for h in hits[:5] if h.coverage >= threshold and level in (None, h.clause.level)]
        if search is not None:
            found = search(part, level)[:PART_SEARCH_DEPTH]
            if level is not None:
                found += search(question, level)[:PART_SEARCH_DEPTH]
            candidates += [h for h in found if whole.share(words_of(h)) >= threshold * PART_WHOLE_RATIO]
        fresh = [h for h in candidates if all(h.clause.id != c.clause.id for c in out)]
        # the part's own words first; between equals, the clause more about the whole question
        extra = max(fresh, key=lambda h: (about(h), whole.share(words_of(h))), default=None)
        if extra is None or about(extra) < MIN_PART_COVERAGE:
            continue
        if holder is None or held < MIN_PART_COVERAGE:
            out.append(extra)  # no cited clause answers the part
        elif about(extra) >= held + PART_BETTER_MARGIN and (
            extra.clause.policy_id in {h.clause.policy_id for h in out}
            or whole.share(words_of(extra)) >= whole.share(words_of(holder))
        ):
            # a clause that answers the part better, of a cited policy or as much about the whole
            # question: a follow-up "要交纸质材料吗？" is not answered by another programme's rule
            out.append(extra)
    return out


def _has_content(part: str, idf: dict[str, float]) -> bool:
    """Whether the part asks about something besides the places and levels of government it names."""
    places = places_in(part)
    return any(
        word not in LEVEL_TOKENS and not names_place(word, places)
        for word in word_weights(part, idf)
    )


def compose(
    question: str, hits: list[Hit], budget: int, idf: dict[str, float] | None = None
) -> tuple[str, list[Citation]]:
    """An answer made only of sentences copied from ``hits``, each followed by its marker.

    A short answer filled with more of its clauses (``pick_sentences``) that comes out over the
    budget once titles, tags and headings are counted is made again with that much less filling,
    then with none.
    """
    fill = min(budget, FILL_CHARS)
    dated = asks_issue_date(question)
    text, citations = _composed(hits, pick_sentences(question, hits, budget, idf, fill=fill), budget, dated)
    for less in (fill - (len(text) - budget), 0):
        if len(text) <= budget:
            break
        extracts = pick_sentences(question, hits, budget, idf, fill=max(less, 0))
        text, citations = _composed(hits, extracts, budget, dated)
    return text, citations


def _issued(clause: Clause) -> str:
    """The day a policy was issued, as its text writes it ("2022年5月18日"), from its date "2022-05-18"."""
    found = _ISO_DATE.fullmatch(clause.date)
    return f"{found[1]}年{int(found[2])}月{int(found[3])}日" if found else ""


def _composed(
    hits: list[Hit], extracts: list[Extract], budget: int, dated: bool = False
) -> tuple[str, list[Citation]]:
    """The answer's lines: a lead line per policy (its title and number, and the day it was issued
    when ``dated``: "是什么文号、哪天发的"), then its chosen sentences with their markers."""
    if not extracts:
        extracts = [Extract(hits[0], (hits[0].clause.text[:budget],))]
    groups: dict[str, list[Extract]] = {}
    for ex in extracts:
        groups.setdefault(ex.hit.clause.policy_id or ex.hit.clause.title, []).append(ex)
    citations: list[Citation] = []
    lines: list[str] = []
    levels = [_LEVEL_LABEL.get(g[0].hit.clause.level, "") for g in groups.values()]
    several = len(groups) > 1
    if several:
        named = "、".join(dict.fromkeys(lv for lv in levels if lv))
        lines.append(f"共有 {len(groups)} 项政策涉及这个问题" + (f"（{named}）" if named else "") + "：")
    for group in groups.values():
        clause = group[0].hit.clause
        issued = _issued(clause) if dated else ""
        about = "，".join(x for x in (clause.doc_number, f"{issued}印发" if issued else "") if x)
        doc = f"（{about}）" if about else ""
        tag = f"【{_LEVEL_LABEL[clause.level]}】" if several and clause.level in _LEVEL_LABEL else ""
        lines.append(f"{tag}根据《{clause.title}》{doc}：")
        for ex in group:
            n = len(citations) + 1
            citations.append(Citation.from_hit(n, ex.hit))
            lines.extend(_cited_lines(ex, n))
    return "\n".join(lines), citations


ASK_AGAIN = "建议：换一种说法再问，写明政策名称、地区或扶持类型（如“安阳 高新技术企业 奖励”）；或拨打 12345 政务服务便民热线咨询。"
ASK_ISSUER = "建议：具体标准以发文单位的规定为准，可向发文单位咨询，或拨打 12345 政务服务便民热线。"


def refusal(
    question: str, sources: int, reason: str = "", lead: str = "未找到相关政策条款。", advice: str = ASK_AGAIN
) -> str:
    """The honest answer when no clause fits."""
    why = f"{reason}\n" if reason else ""
    return f"{lead}{why}已检索：“{question}”（在已收录的 {sources} 份政策文件中）。\n{advice}"


def _cited_lines(ex: Extract, n: int) -> list[str]:
    """The extract's sentences with its marker at the end of each run.

    A heading to show starts a line of its own, unmarked, and ends the run before it. An item of a
    numbered list ("2. 在统计局规上企业库截图") or a table row, and the line after one, start a line of
    their own too. Such a line goes without a marker only when it is a whole item or row copied
    verbatim; the marker at the end of the list cites it with the rest.
    """
    count = len(ex.sentences)
    headings = ex.headings or ("",) * count
    breaks = ex.breaks or (False,) * count
    whole = ex.whole or (False,) * count
    lines: list[str] = []
    current, verbatim = "", False
    for sentence, heading, new_line, ends_whole in zip(ex.sentences, headings, breaks, whole, strict=True):
        if heading:
            if current:
                lines.append(f"{current}[{n}]")
            lines.append(heading)
            current = ""
        elif new_line and current:
            lines.append(current if verbatim else f"{current}[{n}]")
            current = ""
        current += sentence
        verbatim = ends_whole
    lines.append(f"{current}[{n}]")
    return lines
