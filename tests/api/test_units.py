"""The API's small pure parts: rate limiter, error sentences, chat sessions, reference lists."""

from __future__ import annotations

from bot.api.errors import validation_message
from bot.api.openai_compat import message_text, session_for
from bot.api.ratelimit import SlidingWindowLimiter
from bot.types import Answer, Citation


def test_the_window_slides() -> None:
    limiter = SlidingWindowLimiter(limit=2, window=60)
    assert limiter.hit("a", now=0.0) is None
    assert limiter.hit("a", now=10.0) is None
    assert limiter.hit("a", now=20.0) == 40
    assert limiter.hit("b", now=20.0) is None
    assert limiter.hit("a", now=60.5) is None  # the hit at 0 has left the window
    assert limiter.hit("a", now=61.0) == 9


def test_a_limit_of_zero_switches_the_limiter_off() -> None:
    limiter = SlidingWindowLimiter(limit=0)
    assert all(limiter.hit("a", now=float(i)) is None for i in range(1000))


def test_idle_identities_are_forgotten() -> None:
    limiter = SlidingWindowLimiter(limit=5, window=1)
    for i in range(2048):
        limiter.hit(f"client-{i}", now=float(i))
    assert len(limiter._hits) < 1100


def test_validation_messages_name_the_field() -> None:
    assert validation_message([{"type": "extra_forbidden", "loc": ("body", "foo"), "msg": "x"}]) == (
        "Unknown field 'foo': remove it (see /docs for the accepted fields)."
    )
    assert validation_message([{"type": "missing", "loc": ("body", "filters", "level"), "msg": "x"}]) == (
        "Missing required field 'filters.level'."
    )
    assert validation_message(
        [{"type": "value_error", "loc": ("body", "question"), "msg": "Value error, 问题太长"}]
    ) == ("问题太长")


def test_chat_sessions_follow_the_user_or_the_history() -> None:
    history = [("user", "扩岗补助多少钱"), ("assistant", "每人不超过1500元。")]
    assert session_for(None, []) is None
    assert session_for(None, history) == session_for(None, list(history))
    assert session_for(None, history) != session_for(None, history[:1])
    assert session_for("company-7", history) == session_for("company-7", [])
    assert session_for("company-7", []) != session_for("company-8", [])


def test_message_text_lists_references_after_the_answer() -> None:
    citation = Citation(
        1,
        "……每人不超过1500元……",
        "国务院关于印发扎实稳住经济一揽子政策措施的通知",
        "国发〔2022〕12号",
        "7.",
        "anyang.txt",
        0.9,
    )
    answer = Answer("每人不超过1500元。[1]", [citation], True, "extractive", "s1")
    assert message_text(answer) == (
        "每人不超过1500元。[1]\n\n参考条款：\n[1] 《国务院关于印发扎实稳住经济一揽子政策措施的通知》（国发〔2022〕12号）7."
    )
    refused = Answer("未找到相关政策条款。", [], False, "extractive", "s1")
    assert message_text(refused) == "未找到相关政策条款。"
