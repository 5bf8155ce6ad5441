"""The assistant service: the one thing every channel calls.

question + session -> follow-up resolution -> hybrid search -> LLM answer (when configured) with
trust checks, else the extractive answer -> memory -> Answer.
"""

from __future__ import annotations

import logging
import re
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from bot.asking import punctuated
from bot.composer import ASK_ISSUER, compose, cover_parts, refusal, select_hits
from bot.corpus import CorpusTerms, out_of_scope
from bot.dates import missing_quarter, missing_year, past_end
from bot.documents import asks_document, named_documents, with_continuations, with_opening
from bot.feedback import FeedbackStore
from bot.figures import asks_for_money, deferred_figure, figure_first, lacks_figure
from bot.followup import level_asked, standalone_question
from bot.levels import cover_levels, levels_named
from bot.memory import Memory, Turn
from bot.relevance import asked_coverage, city_not_covered, parts_coverage, regional
from bot.settings import Settings
from bot.tiers import unpriced_tier
from bot.types import Answer, Citation
from retrieval.cache import LRUCache
from retrieval.knowledge_base import KnowledgeBase
from retrieval.types import Filters, Hit, PolicyInfo

log = logging.getLogger("huiqi.assistant")
_LABEL = re.compile(r"^(?:政策内容|主要内容|内容)[：:]\s*")

MAX_QUESTION_CHARS = 500


class QuestionError(ValueError):
    """A question that cannot be asked as it is; the message is for the user."""


class Assistant:
    """Answers questions with cited clauses; channels only translate to and from their wire format."""

    def __init__(self, settings: Settings, kb: KnowledgeBase | None = None, llm: Any = None) -> None:
        self.settings = settings
        self.kb = kb if kb is not None else KnowledgeBase(settings)
        self.memory = Memory(settings.data_dir / "memory.sqlite3")
        self.feedback = FeedbackStore(settings.data_dir / "feedback.sqlite3")
        self.llm = llm if llm is not None else _make_llm(settings, self)
        self.stats: dict[str, int] = {"extractive": 0, "llm": 0, "refused": 0, "llm_fallback": 0}
        self._stats_lock = threading.Lock()
        self._covered = CorpusTerms.empty()
        self._answers: LRUCache[tuple[str, tuple[Citation, ...], bool]] = LRUCache(settings.search_cache_size)

    # ---- the service -----------------------------------------------------------------------

    def ask(self, question: str, session_id: str | None = None, filters: Filters | None = None) -> Answer:
        """Answer ``question`` in ``session_id`` (a new session when None)."""
        question = validate_question(question)
        # what is answered, typos of the pinyin keyboard corrected; the question as typed is what is kept
        asked = self._corpus_terms().spelling.corrected(punctuated(question))
        session_id = session_id or new_session_id()
        history = self.memory.recent(session_id, self.settings.memory_turns)
        standalone = standalone_question(asked, history)
        if self.llm is not None and history:
            standalone = self.llm.rewrite(question, history) or standalone
        filters = self._with_level(filters, question, standalone != asked)
        started = time.perf_counter()
        answer = self._answer(question, standalone, session_id, filters)
        answer.extra["seconds"] = time.perf_counter() - started
        self.memory.add(
            session_id,
            Turn(question, standalone, answer.answer, tuple(c.doc_number for c in answer.citations)),
        )
        return answer

    def stream(
        self, question: str, session_id: str | None = None, filters: Filters | None = None, chunk: int = 24
    ) -> Iterator[tuple[str, dict[str, Any]]]:
        """Events for streaming channels: ("delta", {"text"}), ("citations", {...}), ("done", answer).

        The whole answer passes the trust checks before its first character is sent.
        """
        answer = self.ask(question, session_id, filters)
        for i in range(0, len(answer.answer), chunk):
            yield "delta", {"text": answer.answer[i : i + chunk]}
        yield "citations", {"citations": [c.__dict__ for c in answer.citations]}
        yield "done", answer.to_dict()

    def search(self, query: str, k: int = 5, filters: Filters | None = None) -> list[Hit]:
        query = validate_question(query)
        return self.kb.search(query, k, filters)

    def policies(self) -> list[PolicyInfo]:
        return self.kb.policies()

    def new_session(self, session_id: str | None = None) -> str:
        if session_id:
            self.memory.clear(session_id)
        return new_session_id()

    def rate(
        self, session_id: str, answer_id: str, rating: str, comment: str = "", channel: str = "api"
    ) -> int:
        return self.feedback.add(session_id, answer_id, rating, comment, channel)

    def _count(self, key: str) -> None:
        with self._stats_lock:
            self.stats[key] += 1

    # ---- answering -------------------------------------------------------------------------

    def _answer(self, question: str, standalone: str, session_id: str, filters: Filters | None) -> Answer:
        answer_id = uuid.uuid4().hex[:16]
        base: dict[str, Any] = {
            "session_id": session_id,
            "answer_id": answer_id,
            "question": question,
            "standalone_question": standalone,
        }
        if self.llm is not None:
            return self._llm_answer(standalone, filters, base)
        # Offline answers depend only on the question, the filters and the index: the same question
        # asked again (hotline callers, widget visitors) is served from the cache. The version is
        # read before the search, so an answer is never filed under a newer index than its own.
        key = (self.kb.version, standalone, filters.key() if filters is not None else None)
        cached = self._answers.get(key)
        if cached is None:
            cached = self._extractive(standalone, filters)
            self._answers.put(key, cached)
        text, citations, answered = cached
        self._count("extractive" if answered else "refused")
        return Answer(text, list(citations), answered, "extractive", **base)

    def _extractive(self, question: str, filters: Filters | None) -> tuple[str, tuple[Citation, ...], bool]:
        """The offline answer, or the honest refusal: (text, citations, answered)."""
        _, cited, reason = self._supported_hits(question, filters)
        if reason or not cited:
            return self._refusal(question, cited, reason)
        text, citations = compose(question, cited, self.settings.max_answer_chars, self.kb.idf)
        return text, tuple(citations), True

    def _llm_answer(self, standalone: str, filters: Filters | None, base: dict[str, Any]) -> Answer:
        hits, cited, reason = self._supported_hits(standalone, filters)
        if reason or not cited:
            self._count("refused")
            text, quoted, _ = self._refusal(standalone, cited, reason)
            return Answer(text, list(quoted), False, "llm", **base)
        # the clauses the offline answer would cite come first (a compared level's own rule, the
        # clause for a second part), then the rest of what the search found
        shown = cited + [h for h in hits if all(h.clause.id != c.clause.id for c in cited)]
        try:
            text, citations = self.llm.answer(standalone, shown)
            self._count("llm")
            return Answer(text, citations, True, "llm", **base)
        except Exception as exc:  # any LLM failure falls back to the extractive answer
            self._count("llm_fallback")
            notice = f"大模型暂不可用或答案未通过核验（{type(exc).__name__}），以下为条款摘录。"
            log.warning("llm_fallback", extra={"reason": str(exc)[:200], "session_id": base["session_id"]})
        text, citations = compose(standalone, cited, self.settings.max_answer_chars, self.kb.idf)
        self._count("extractive")
        return Answer(text, citations, True, "extractive", notice=notice, **base)

    def _refusal(self, question: str, quoted: list[Hit], reason: str) -> tuple[str, tuple[Citation, ...], bool]:
        """The honest refusal, citing the clause its reason quotes (one that grants without the figure)."""
        if quoted and reason:  # the reason leads with its own first line
            text = refusal(question, len(self.kb.sources()), reason, "", ASK_ISSUER)
            return text, (Citation.from_hit(1, quoted[0]),), False
        return refusal(question, len(self.kb.sources()), reason), (), False

    def _supported_hits(self, question: str, filters: Filters | None) -> tuple[list[Hit], list[Hit], str]:
        """The retrieved clauses, those an answer may cite, and why it must refuse instead ("" when it
        need not). A refusal comes with no clause, or with the one clause its reason quotes."""
        threshold = self.settings.refusal_threshold
        reason = self._out_of_scope(question)
        hits = [] if reason else self._retrieve(question, filters)
        cited = select_hits(hits, threshold)
        # relevance is judged on the whole question's best clause, before a compared level's own
        # clause (which answers only its part, at a lower coverage) may take the place of one; a
        # caller's story around the question may lower its coverage, what is asked may not
        relevant = (
            bool(cited)
            and max(
                cited[0].coverage,
                asked_coverage(question, cited[0], self.kb.idf, self.kb.words),
                parts_coverage(question, hits, self.kb.idf, self.kb.words),
            )
            >= threshold
        )
        if relevant:  # out of scope or beside the point: nothing to complete, no searches spent
            cited = self._complete(question, cited, hits, filters)
        if cited and not reason:
            reason, quoted = self._unsupported(question, cited, filters)
            if quoted:  # a clause that grants without the figure: quoted when it is about the question
                if relevant:
                    return hits, quoted, reason
                reason = ""
        if reason or not relevant:
            return hits, [], reason
        return hits, cited, ""

    def _complete(
        self, question: str, cited: list[Hit], hits: list[Hit], filters: Filters | None
    ) -> list[Hit]:
        """The cited clauses of a relevant question, completed: each level it compares, each part it
        asks, and a clause stating the figure asked moved up to be read."""
        threshold, idf = self.settings.refusal_threshold, self.kb.idf
        chosen_level = bool(filters and filters.level)  # the caller's level filter wins over levels named
        levels = [] if chosen_level else levels_named(question)
        if levels:
            by_level = {
                level: self._retrieve(question, replace(filters or Filters(), level=level))
                for level in levels
            }
            cited = cover_levels(question, cited, by_level, threshold, idf, asks_for_money(question))

        def search(text: str, level: str | None) -> list[Hit]:
            # by words alone: a part's own vector cost 8 ms of CPU and changed no answer of the gold sets
            return self._retrieve(
                text, replace(filters or Filters(), level=level) if level else filters, places_of=question, vectors=False
            )

        cited = cover_parts(
            question, cited, hits, threshold, idf, search, levels=not chosen_level, indexed_words=self.kb.words
        )
        cited = self._cover_documents(question, cited, filters)
        cited = with_continuations(cited, hits)
        cited = figure_first(question, cited, idf)
        return with_opening(question, cited, self.kb.policy_clauses) if asks_document(question) else cited

    def _cover_documents(self, question: str, cited: list[Hit], filters: Filters | None) -> list[Hit]:
        """Lead with the documents the question names by number ("349号通知的落款日期是哪天",
        "省349号通知和豫政办明电〔2022〕13号通知分别定的多少"): each one's cited clauses, or its best
        clause when none is cited, before the clauses of other documents."""
        named = named_documents(question, self._corpus_terms().numbers)
        if not named:
            return cited
        theirs: list[Hit] = []
        for number in named:
            mine = [h for h in cited if h.clause.doc_number == number]
            if not mine:
                found = self._retrieve(question, replace(filters or Filters(), doc_number=number), vectors=False)
                mine = found[:1]
            theirs += mine
        return [*theirs, *(h for h in cited if h not in theirs)]

    def _retrieve(self, text: str, filters: Filters | None, places_of: str = "", vectors: bool = True) -> list[Hit]:
        """Top clauses for ``text``, keeping only those of the places that ``places_of`` (the whole
        question, when ``text`` is one of its parts) or else ``text`` names."""
        wide = self.kb.search(text, self.settings.top_k * 3, filters, vectors)
        return regional(wide, places_of or text)[: self.settings.top_k]

    def _unsupported(self, question: str, cited: list[Hit], filters: Filters | None) -> tuple[str, list[Hit]]:
        """Why the cited clauses do not answer the question ("" when they do), and the clause the
        reason quotes, if any."""
        asks_other_level = filters is not None and filters.level in ("国家", "省")
        city = None if asks_other_level else city_not_covered(question, cited)
        if city:
            return f"已收录的政策中没有{city}本地的相关规定。", []
        year = missing_year(question, cited)
        if year:
            return f"已收录的相关政策中没有 {year} 年的规定。", []
        quarter = missing_quarter(question, cited)
        if quarter:
            return f"已收录的相关政策中没有{quarter}的规定。", []
        ended = past_end(question, cited, self.kb.idf)
        if ended:
            hit, sentence = ended
            return f"未找到这个时间以后的政策规定。\n{_quoting(hit, sentence)}此后是否延续，需以后续发布的文件为准。", [hit]
        deferred = deferred_figure(question, cited, self.kb.idf)
        if deferred:
            hit, sentence = deferred
            return f"未找到写明所问金额或比例的政策条款。\n{_quoting(hit, sentence)}", [hit]
        tier = unpriced_tier(question, cited)
        if tier:
            asked, priced = tier
            return f"找到的条款只写明了{'、'.join(priced)}的标准，没有{asked}的。", []
        if lacks_figure(question, cited, self.settings.max_answer_chars, self.kb.idf):
            return "找到的条款没有给出所问的具体数字（金额、比例、数量或期限）。", []
        return "", []

    def _out_of_scope(self, question: str) -> str:
        return out_of_scope(question, self._corpus_terms(), self.kb.idf)

    def _with_level(self, filters: Filters | None, question: str, follow_up: bool) -> Filters | None:
        level = level_asked(question) if follow_up else None
        if not level:
            return filters
        return replace(filters or Filters(), level=level)

    def _corpus_terms(self) -> CorpusTerms:
        """What the indexed policies cover, read again when the index changes (an upload)."""
        if self._covered.version != self.kb.version:
            self._covered = CorpusTerms.read(self.kb)
        return self._covered


def _quoting(hit: Hit, sentence: str) -> str:
    """'《title》（doc number）（clause）只写明：sentence[1]': the source is named in the text too, so
    that a copied answer keeps it."""
    clause = hit.clause
    source = f"《{clause.title}》" + "".join(f"（{x}）" for x in (clause.doc_number, clause.clause) if x)
    sentence = _LABEL.sub("", sentence.strip())  # "政策内容：对承担…" quotes from "对承担…"
    return f"{source}只写明：{sentence}[1]"


_SURROGATE = re.compile("[\ud800-\udfff]")


def validate_question(question: str) -> str:
    if not isinstance(question, str) or not question.strip():
        raise QuestionError("问题不能为空，请输入想咨询的政策问题。")
    question = question.strip()
    if _SURROGATE.search(question):  # half of a character pair, from a broken client: not storable
        raise QuestionError("问题中有无法识别的字符，请检查后重新输入。")
    if len(question) > MAX_QUESTION_CHARS:
        raise QuestionError(f"问题太长（{len(question)} 字），请精简到 {MAX_QUESTION_CHARS} 字以内。")
    return question


def new_session_id() -> str:
    return uuid.uuid4().hex


def _make_llm(settings: Settings, assistant: Assistant) -> Any:
    if not settings.llm_model:
        return None
    from bot.llm_agent import LLMAgent

    return LLMAgent.from_settings(settings, assistant)
