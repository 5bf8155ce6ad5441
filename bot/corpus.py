"""What the indexed policies cover, read once per index version, and the questions they cannot
answer before any clause is searched: not a policy question, a caller's own case file, another
region, or support asked for what no text names."""

from __future__ import annotations

import re
from typing import NamedTuple

from bot.figures import unindexed_subject
from bot.scope import PLACES, asks_case_status, is_policy_question, out_of_region, places_in, policy_names
from bot.subjects import clause_sentences, ungranted, unnamed_title, unnamed_topic
from retrieval.knowledge_base import KnowledgeBase
from retrieval.lexical import tokenize
from retrieval.policy_splitter import lead_body
from retrieval.spelling import Spelling

MIN_QUOTED_NAME = 4  # characters of a name a clause quotes, for it to make a question a policy one
MIN_PLACE_WORDS = 2  # of the policies' words beside a place they cover, for a question to be a policy one


class CorpusTerms(NamedTuple):
    """What the indexed policies cover."""

    version: int
    places: set[str]  # the places they are about
    names: set[str]  # the names their titles and clauses quote, and their document numbers
    text: str  # all their text, lower case
    numbers: set[str]  # their document numbers
    sentences: str  # their sentences, one a line, as titles are looked for in them
    spelling: Spelling  # their words by sound, for a caller's typos

    @classmethod
    def empty(cls) -> CorpusTerms:
        return cls(-1, set(), set(), "", set(), "", Spelling(()))

    @classmethod
    def read(cls, kb: KnowledgeBase) -> CorpusTerms:
        version = kb.version  # read first: an upload during the reading leaves the next call to redo it
        policies = kb.policies()
        places = set()
        for policy in policies:
            places.update(places_in(f"{policy.title}{policy.region}{lead_body(policy.issuer)}"))
            if policy.level == "国家":
                places.add("全国")
        # the names titles quote, and the longer ones clauses quote ("安阳 亲清恳谈日 每月哪天"; not
        # three-character sayings such as “红绿灯”, “一对一”)
        clauses = kb.clauses()
        numbers = {policy.doc_number for policy in policies if policy.doc_number}
        names = (
            policy_names(policy.title for policy in policies)
            | {name for name in policy_names(c.text for c in clauses) if len(name) >= MIN_QUOTED_NAME}
            | numbers
        )  # "豫政办明电〔2022〕13号是哪天发的"
        text = "\n".join(f"{c.title}\n{c.text}" for c in clauses).lower()
        sentences = clause_sentences(f"{c.title}\n{c.text}" for c in clauses)
        return cls(version, places, names, text, numbers, sentences, Spelling(kb.idf, text))


def out_of_scope(question: str, terms: CorpusTerms, idf: dict[str, float]) -> str:
    """Why no clause can answer the question, in one sentence for the caller ("" when one may)."""
    if not is_policy_question(question, terms.names) and not _about_covered_place(
        question, terms.places, idf
    ):
        return "这个问题看起来与企业政策无关；Huiqi 解答补贴、税费、融资、认定奖励等企业政策问题。"
    if asks_case_status(question):
        return "Huiqi 只解答政策条款，不能查询具体企业的申报或审批进度；请联系受理部门或拨打 12345 热线。"
    missing = out_of_region(question, terms.places)
    if missing:
        return f"知识库中没有{'、'.join(missing)}的政策文件。"
    unknown = unindexed_subject(question, terms.text)
    if unknown:
        return f"已收录的政策中没有提到“{unknown}”。"
    named = unnamed_title(question, terms.sentences) or unnamed_topic(question, terms.text)
    if named:
        return f"已收录的政策中没有关于“{named}”的规定。"
    priced = ungranted(question, terms.text, terms.sentences)
    if priced:
        return f"已收录的政策中没有给“{priced}”的奖补规定。"
    return ""


def _about_covered_place(question: str, places: set[str], idf: dict[str, float]) -> bool:
    """Whether the question names a place the policies cover and at least MIN_PLACE_WORDS other
    words of theirs: "安阳2022年新建几个公共充电桩？" asks a target of Anyang's plan, though no
    word of it is a policy word; "安阳今天天气怎么样" shares only 天气 (of 重污染天气)."""
    named = places_in(question)
    if not any(p in places or PLACES[p] in places for p in named):
        return False
    words = {t for t in tokenize(question) if len(t) >= 2 and idf.get(t, 0.0) > 0 and not re.search(r"\d", t)}
    return len(words - set(named) - {f"{p}{s}" for p in named for s in "省市县区"}) >= MIN_PLACE_WORDS
