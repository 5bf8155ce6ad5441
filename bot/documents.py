"""The documents a question is about: whether it asks which document rules something, the documents
it names by number, the clauses that say what a document is (its opening, when it takes effect),
and the continuations of cited clauses."""

from __future__ import annotations

import re
from collections.abc import Callable

from bot.asking import intents
from retrieval.types import Clause, Hit

# a question about the document itself: which one, its number, who issued it; not the papers to hand
# in ("要带什么文件", "哪份文件要盖公章")
_ASKS_DOCUMENT = re.compile(
    r"文号|哪个文件|什么文件|哪份文件|哪个部门(?:发|出|制定)|谁制定|谁发布|哪几个(?:部门|单位)(?:联合)?(?:发|印发|制定|出)"
)
_PAPERS = re.compile(r"[带交盖提报].{0,3}(?:什么|哪些|哪份|哪个)文件|文件[^，。？?]{0,4}(?:盖章|公章|原件|复印件)")
_FIGURE = re.compile(r"\d+(?:\.\d+)?\s*(?:%|％|万元|亿元|元)")
_TAKES_EFFECT = re.compile(r"自.{0,20}起(?:施行|实行|执行|实施)|有效期至")


def asks_document(question: str) -> bool:
    """Whether the question asks which document rules something (not which papers to hand in)."""
    return bool(_ASKS_DOCUMENT.search(question)) and not _PAPERS.search(question) and "materials" not in intents(question)


# "是什么文号、哪天发的", "哪天印发的", "落款日期": the day a document was issued
_ASKS_ISSUED = re.compile(
    r"(?:哪天|哪一天|什么时候|何时|哪年|几月|日期|时间)[^，,。？?]{0,3}(?:发(?![钱放到给])|印发|出台|下发|发布|签发|公布|出的)"
    r"|(?:发|印发|出台|下发|发布|签发|公布)[^，,。？?]{0,3}(?:哪天|日期|时间|什么时候)|落款|成文日期|发文日期"
    r"|文号[和、及与跟]日期"  # "文号和日期是什么"
)
# a document asked about: "…通知/文件/文号…哪天发的" ("留抵退税什么时候发钱" asks when money is paid)
_DOCUMENT_WORD = re.compile(r"文件|通知|文号|〔|号|办法|意见|方案|答复|函|规定|措施|细则")


def asks_issue_date(question: str) -> bool:
    """Whether the question asks the day a document was issued ("是什么文号、哪天发的")."""
    return _ASKS_ISSUED.search(question) is not None and _DOCUMENT_WORD.search(question) is not None


def with_opening(question: str, cited: list[Hit], policy_clauses: Callable[[str], list[Clause]]) -> list[Hit]:
    """For a question about the document itself, the cited policy's opening clause (its number,
    issuer, date, and the notice it forwards: "省厅哪个文件") and the clause saying when it takes
    effect, after the first cited clause. The policy is the first cited one that states the
    figures the question names ("稳岗返还提到90%是哪个文件规定的？"), else the first."""
    figures = _FIGURE.findall(question)
    top = next((h for h in cited if figures and all(f in h.clause.text for f in figures)), cited[0])
    clauses = policy_clauses(top.clause.policy_id)
    wanted = [*clauses[:1], *[c for c in clauses if _TAKES_EFFECT.search(c.text)][:1]]
    have = {h.clause.id for h in cited}
    added = [Hit(c, top.score, top.coverage) for c in dict.fromkeys(wanted) if c.id not in have]
    return [cited[0], *added, *cited[1:]]


# "省349号通知", "安阳市176号通知": a number a document is called by (not "武14号建议", "0831号建议")
_SHORT_NUMBER = re.compile(r"(?<![\d〕\]])(\d{2,4})号(?=通知|文件|文|措施|意见|办法|方案)")


def named_documents(question: str, numbers: set[str]) -> list[str]:
    """The indexed document numbers a question names, whole ("豫政办明电〔2022〕13号") or by the number
    that ends one of them alone ("省349号通知"), in the order named."""
    named = {number: question.find(number) for number in numbers if number in question}
    for short in _SHORT_NUMBER.finditer(question):
        ends = [n for n in numbers if re.search(rf"(?<!\d){short[1]}号$", n)]
        if len(ends) == 1:
            named.setdefault(ends[0], short.start())
    return sorted(named, key=named.__getitem__)


def with_continuations(cited: list[Hit], hits: list[Hit]) -> list[Hit]:
    """Each cited clause followed by its continuation ("附件三、（续1）": the rest of a clause too long
    for one) when the search found that too: "…会怎么处理" is answered by the end of the 承诺书 whose
    start answers the rest."""
    out: list[Hit] = []
    for hit in cited:
        out.append(hit)
        clause = hit.clause
        out += [
            h for h in hits
            if h.clause.policy_id == clause.policy_id and h.clause.order == clause.order + 1
            and h.clause.clause.startswith(f"{_CONTINUED.sub('', clause.clause)}（续")
            and all(h.clause.id != c.clause.id for c in [*cited, *out])
        ]
    return out


_CONTINUED = re.compile(r"（续\d+）$")
