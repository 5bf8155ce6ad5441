"""What the LLM agent may look up, and the numbering that ties its [n] markers to clauses.

Every clause the model sees gets a number in one ``ClauseRegistry`` per answer: the retrieved hits
first ([1]..[k]), then whatever the tools return, continuing the count. The answer's markers are
turned into citations from that registry, so a marker can only ever point at a clause the model
was actually shown.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

from langchain.tools import ToolRuntime, tool

from bot.types import Citation
from retrieval.knowledge_base import KnowledgeBase
from retrieval.types import Filters, Hit

SEARCH_K = 5
MAX_POLICY_CLAUSES = 30
_LEVELS = {"国家": "国家", "全国": "国家", "中央": "国家", "省": "省", "市": "市", "县": "县", "区": "县"}
_LEVEL_LABEL = {"国家": "国家级", "省": "省级", "市": "市级", "县": "县级"}


class ClauseRegistry:
    """Numbers clauses [1], [2], … in the order the model sees them; a clause seen again keeps its number."""

    def __init__(self, hits: Iterable[Hit] = ()) -> None:
        self._hits: dict[int, Hit] = {}
        self._numbers: dict[str, int] = {}
        self._lock = threading.Lock()  # the tool node may run parallel tool calls in threads
        for hit in hits:
            self.add(hit)

    def add(self, hit: Hit) -> int:
        """The number of ``hit``'s clause, assigning the next one if it is new."""
        with self._lock:
            key = hit.clause.id
            if key not in self._numbers:
                n = len(self._hits) + 1
                self._numbers[key] = n
                self._hits[n] = hit
            return self._numbers[key]

    def citations(self) -> list[Citation]:
        """One citation per numbered clause, numbered as the model saw them."""
        with self._lock:
            return [Citation.from_hit(n, hit) for n, hit in sorted(self._hits.items())]

    def __len__(self) -> int:
        return len(self._hits)


@dataclass(frozen=True)
class AgentContext:
    """Per-answer dependencies handed to the tools through the agent's runtime context."""

    kb: KnowledgeBase
    registry: ClauseRegistry


def quote(text: str) -> str:
    """Text from a user or a document, made unable to open or close the prompt's <tags>."""
    return text.replace("<", "＜").replace(">", "＞")


def format_clause(n: int, hit: Hit) -> str:
    """``[n] 《title》（文号）clause〔level，region〕`` and the verbatim text on the next line."""
    c = hit.clause
    doc = f"（{c.doc_number}）" if c.doc_number else ""
    where = "，".join(x for x in (_LEVEL_LABEL.get(c.level, ""), c.region) if x)
    head = f"[{n}] 《{c.title}》{doc}{c.clause or c.path_text}" + (f"〔{where}〕" if where else "")
    return quote(f"{head}\n{c.text}")


def number_and_format(registry: ClauseRegistry, hits: Iterable[Hit]) -> str:
    """Register ``hits`` and list them as the model should see them, one blank line apart."""
    return "\n\n".join(format_clause(registry.add(hit), hit) for hit in hits)


def _level(value: str | None) -> str | None:
    if not value:
        return None
    return _LEVELS.get(value.strip().removesuffix("级"))


@tool(parse_docstring=True)
def search_policies(
    query: str,
    runtime: ToolRuntime[AgentContext],
    level: str | None = None,
    region: str | None = None,
    doc_number: str | None = None,
) -> str:
    """Search the policy clauses; returns numbered clauses that can be cited as [n].

    Args:
        query: What to look for, in Chinese keywords, e.g. "高新技术企业 认定 奖励".
        level: Only policies of this level: 国家, 省, 市 or 县.
        region: Only policies of this region, e.g. 河南省, 安阳市.
        doc_number: Only the policy with this document number, e.g. 豫发改工业〔2022〕349号.
    """
    ctx = runtime.context
    filters = Filters(level=_level(level), region=region or None, doc_number=doc_number or None)
    hits = ctx.kb.search(query, SEARCH_K, None if filters.is_empty() else filters)
    if not hits:
        return "没有找到相关条款。可以换关键词，或去掉层级、地区、文号筛选后再试。"
    return number_and_format(ctx.registry, hits)


@tool(parse_docstring=True)
def get_policy(doc_number: str, runtime: ToolRuntime[AgentContext]) -> str:
    """Read one policy's clauses, in order, numbered for citation as [n].

    Args:
        doc_number: The policy's document number (文号), or for a policy without one the 编号 that
            list_policies shows.
    """
    ctx = runtime.context
    clauses = ctx.kb.policy_clauses(doc_number)
    if not clauses:
        return f"没有文号为“{quote(doc_number)}”的政策；请先用 list_policies 查看已收录的政策及其文号。"
    shown = number_and_format(ctx.registry, (Hit(c, 0.0) for c in clauses[:MAX_POLICY_CLAUSES]))
    more = len(clauses) - MAX_POLICY_CLAUSES
    if more > 0:
        shown += f"\n\n（该政策还有 {more} 条未列出；请用 search_policies 加文号筛选查找具体内容。）"
    return shown


@tool(parse_docstring=True)
def list_policies(runtime: ToolRuntime[AgentContext]) -> str:
    """List every policy in the knowledge base: title, document number, level, region, issuer, date."""
    lines = []
    for p in runtime.context.kb.policies():
        doc = f"（{p.doc_number}）" if p.doc_number else f"（无文号，编号 {p.policy_id}）"
        meta = "，".join(x for x in (_LEVEL_LABEL.get(p.level, ""), p.region, p.issuer, p.date) if x)
        lines.append(quote(f"- 《{p.title}》{doc}" + (f"：{meta}" if meta else "") + f"；{p.clause_count} 条"))
    return "\n".join(lines) if lines else "知识库中还没有政策文件。"


TOOLS = [search_policies, get_policy, list_policies]
