"""Huiqi's policy knowledge base: load -> clean -> split into clauses -> index -> hybrid search.

The public surface is :class:`retrieval.knowledge_base.KnowledgeBase` (``ingest``, ``search``,
``policies``) and the :class:`Clause` / :class:`Hit` types. Nothing here knows of channels,
sessions or LLMs.
"""

from retrieval.types import Clause, Filters, Hit, PolicyInfo

__all__ = ["Clause", "Filters", "Hit", "PolicyInfo"]
