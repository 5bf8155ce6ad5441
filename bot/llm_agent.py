"""LLM mode: a LangChain tool-calling agent answers from numbered clauses; the trust checks decide.

The agent starts from the clauses the assistant already retrieved, numbered [1]..[k], and may look
up more with the tools in ``bot.llm_tools`` (numbering continues). Its answer is kept only when its
markers point at clauses it was shown and every figure it states is stated by a clause it cites;
otherwise ``UntrustedAnswer`` is raised, and the assistant answers extractively instead. Network
failures and timeouts propagate as they are, for the same fallback.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from langchain.agents import create_agent
from langchain.agents.middleware import (
    AgentMiddleware,
    ModelCallLimitMiddleware,
    ModelRequest,
    ModelResponse,
    wrap_model_call,
)
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from pydantic import SecretStr

from bot.llm_tools import TOOLS, AgentContext, ClauseRegistry, number_and_format, quote
from bot.trust import reconcile_markers, unsupported_figures
from prompts import render

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from bot.assistant import Assistant
    from bot.memory import Turn
    from bot.settings import Settings
    from bot.types import Citation
    from retrieval.knowledge_base import KnowledgeBase
    from retrieval.types import Hit

log = logging.getLogger("huiqi.llm")

MAX_TOOL_ROUNDS = 3
REWRITE_TURNS = 3  # earlier turns shown to the rewrite call
HISTORY_ANSWER_CHARS = 200
MAX_REWRITE_CHARS = 120
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL)  # reasoning models (DeepSeek-R1, Qwen3) may emit it
_REWRITE_PREFIX = re.compile(r"^(改写后的问题|独立问题|问题)\s*[:：]\s*")


class LLMConfigError(ValueError):
    """LLM mode is switched on but cannot be set up; the message says what to do."""


class UntrustedAnswer(RuntimeError):
    """The model's answer failed the trust checks, so the extractive answer is used instead.

    Attributes:
        figures: The figures the answer states that no cited clause states (empty for other reasons).
    """

    def __init__(self, reason: str, figures: set[str] | frozenset[str] = frozenset()) -> None:
        self.figures = frozenset(figures)
        super().__init__(reason + (f": {', '.join(sorted(figures))}" if figures else ""))


@wrap_model_call
def _answer_after_last_tool_round(
    request: ModelRequest, handler: Callable[[ModelRequest], ModelResponse]
) -> ModelResponse:
    """After MAX_TOOL_ROUNDS rounds of tool calls the model is offered no tools, so it has to answer."""
    rounds = sum(1 for m in request.messages if isinstance(m, AIMessage) and m.tool_calls)
    return handler(request.override(tools=[]) if rounds >= MAX_TOOL_ROUNDS else request)


class LLMAgent:
    """Answers with a chat model and cited clauses; ``rewrite`` resolves follow-up questions.

    Args:
        model: Any LangChain chat model that supports tool calling.
        kb: The knowledge base the tools search.
        max_chars: Target length of an answer, told to the model.
    """

    def __init__(self, model: BaseChatModel, kb: KnowledgeBase, max_chars: int = 600) -> None:
        self.model = model
        self.kb = kb
        middleware: list[AgentMiddleware[Any, Any, Any]] = [
            _answer_after_last_tool_round,
            # a model that calls tools even when offered none is stopped, not looped
            ModelCallLimitMiddleware(run_limit=MAX_TOOL_ROUNDS + 1, exit_behavior="error"),
        ]
        self._agent = create_agent(
            model,
            TOOLS,
            system_prompt=render("system", max_tool_rounds=MAX_TOOL_ROUNDS, max_chars=max_chars),
            context_schema=AgentContext,
            middleware=middleware,
        )

    @classmethod
    def from_settings(cls, settings: Settings, assistant: Assistant) -> LLMAgent:
        """An agent on an OpenAI-compatible endpoint, as ``settings`` (then ``OPENAI_*``) say.

        Args:
            settings: ``llm_model``, ``llm_api_key``, ``llm_base_url``, ``llm_timeout`` and
                ``llm_temperature`` are used; ``OPENAI_API_KEY`` and ``OPENAI_BASE_URL`` fill in
                the key and the URL when the settings leave them unset.
            assistant: The assistant whose knowledge base the tools search (``assistant.kb``).

        Raises:
            LLMConfigError: If no API key is configured.
        """
        from langchain_openai import ChatOpenAI

        # OPENAI_* are the conventional variables of every OpenAI-compatible client; HUIQI_* win.
        key = settings.llm_api_key.get_secret_value() if settings.llm_api_key else os.environ.get("OPENAI_API_KEY")
        if not key:
            raise LLMConfigError(
                f"LLM mode (HUIQI_LLM_MODEL={settings.llm_model}) needs an API key: set HUIQI_LLM_API_KEY "
                "or OPENAI_API_KEY, or unset HUIQI_LLM_MODEL to answer with clause extracts only."
            )
        model = ChatOpenAI(
            model=settings.llm_model or "",
            base_url=settings.llm_base_url or os.environ.get("OPENAI_BASE_URL") or None,
            api_key=SecretStr(key),
            timeout=settings.llm_timeout,
            max_retries=0,  # each HTTP call gets llm_timeout once; on failure the assistant falls back at once
            temperature=settings.llm_temperature,
            use_responses_api=False,  # OpenAI-compatible servers (DeepSeek, Qwen, vLLM) speak chat completions
        )
        return cls(model, assistant.kb, settings.max_answer_chars)

    def answer(self, question: str, hits: list[Hit]) -> tuple[str, list[Citation]]:
        """The model's answer to ``question`` from ``hits`` (and what its tools find), checked.

        Args:
            question: The standalone question.
            hits: The clauses already retrieved, best first; they become [1]..[k].

        Returns:
            The answer text with markers renumbered [1].. in order of use, and exactly the
            citations it uses.

        Raises:
            UntrustedAnswer: If the answer cites nothing it was shown or states a figure that no
                cited clause states.
            Exception: Whatever the client raises on a timeout, an HTTP error or a lost connection.
        """
        registry = ClauseRegistry()
        prompt = render("answer", clauses=number_and_format(registry, hits), question=quote(question))
        state = self._agent.invoke(
            {"messages": [HumanMessage(prompt)]}, context=AgentContext(kb=self.kb, registry=registry)
        )
        final = state["messages"][-1]
        if not isinstance(final, AIMessage) or final.tool_calls:
            raise UntrustedAnswer("the model did not finish its answer")
        try:
            return check_answer(_THINK.sub("", final.text).strip(), registry.citations())
        except UntrustedAnswer as exc:
            log.warning("llm_answer_rejected", extra={"reason": str(exc), "figures": sorted(exc.figures)})
            raise

    def rewrite(self, question: str, history: list[Turn]) -> str | None:
        """``question`` rewritten to stand on its own after ``history``; None when that fails.

        Args:
            question: The follow-up as the user asked it.
            history: Earlier turns of the session, oldest first.
        """
        if not history:
            return None
        messages = [
            SystemMessage(render("rewrite")),
            HumanMessage(render("rewrite_input", history=format_history(history), question=quote(question))),
        ]
        try:
            reply = self.model.invoke(messages)
        except Exception as exc:  # the offline follow-up resolution takes over
            log.warning("llm_rewrite_failed", extra={"reason": f"{type(exc).__name__}: {str(exc)[:200]}"})
            return None
        return clean_rewrite(reply.text)


def check_answer(text: str, citations: list[Citation]) -> tuple[str, list[Citation]]:
    """The trust checks: markers reconciled with ``citations``, every figure stated by a cited clause.

    Raises:
        UntrustedAnswer: If no marker points at a citation, or a figure has no cited source.
    """
    text, used = reconcile_markers(text, citations)
    if not used:
        raise UntrustedAnswer("the answer cites none of the numbered clauses")
    missing = unsupported_figures(text, used)
    if missing:
        raise UntrustedAnswer("the answer states figures that no cited clause states", missing)
    return text.strip(), used


def format_history(history: list[Turn], turns: int = REWRITE_TURNS) -> str:
    """The last ``turns`` turns as the rewrite prompt shows them."""
    blocks = []
    for turn in history[-turns:]:
        lines = [f"用户：{turn.question}"]
        if turn.standalone and turn.standalone != turn.question:
            lines.append(f"（完整问题：{turn.standalone}）")
        answer = turn.answer if len(turn.answer) <= HISTORY_ANSWER_CHARS else turn.answer[:HISTORY_ANSWER_CHARS] + "…"
        lines.append(f"助手：{answer}")
        blocks.append(quote("\n".join(lines)))
    return "\n\n".join(blocks)


def clean_rewrite(text: str) -> str | None:
    """The first line of the model's reply, without quotes or a label; None when unusable."""
    lines = [line.strip() for line in _THINK.sub("", text).splitlines() if line.strip()]
    if not lines:
        return None
    line = _REWRITE_PREFIX.sub("", lines[0]).strip("\"'“”「」 ")
    return line if 0 < len(line) <= MAX_REWRITE_CHARS else None
