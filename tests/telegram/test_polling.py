"""The bot end to end: python-telegram-bot long-polls the fake Bot API over HTTP and answers from the real index."""

from __future__ import annotations

import logging
import re

import pytest

from bot.channels import telegram_format as fmt
from tests.support.fake_telegram import FakeTelegram, telegram_html_errors, visible_text
from tests.telegram.conftest import Chat, ScriptedAssistant, sent

pytestmark = pytest.mark.integration

QUESTION = "小微企业贷款有哪些支持政策？"


async def test_a_question_gets_a_cited_answer_while_typing(chat: Chat) -> None:
    calls = await chat.say(QUESTION)
    assert [c.method for c in calls][:1] == ["sendChatAction"]
    assert calls[0].params["action"] == "typing"
    (reply,) = sent(calls)
    text = reply.params["text"]
    assert reply.params["parse_mode"] == "HTML"
    assert telegram_html_errors(text) == []
    assert "<b>引用条款</b>" in text
    assert re.search(r"^\[1\] 《[^》]+》", text, re.MULTILINE)
    assert "[1]" in text.split("<b>引用条款</b>")[0]  # the marker in the answer body
    buttons = reply.buttons()
    assert "查看原文 [1]" in buttons
    assert "👍" in buttons
    assert "👎" in buttons


async def test_a_long_answer_arrives_in_valid_parts_with_the_buttons_on_the_last(
    chat: Chat, assistant: ScriptedAssistant
) -> None:
    assistant.stretch = 8
    replies = sent(await chat.say(QUESTION))
    assert len(replies) >= 2
    for reply in replies:
        assert len(reply.params["text"]) <= fmt.MESSAGE_LIMIT
        assert telegram_html_errors(reply.params["text"]) == []
    assert [bool(r.buttons()) for r in replies] == [False] * (len(replies) - 1) + [True]
    assert "<b>引用条款</b>" in replies[-1].params["text"]


async def test_a_follow_up_stays_in_the_chats_session_until_new(chat: Chat, assistant: ScriptedAssistant) -> None:
    first = sent(await chat.say("返乡创业示范项目一个能拿多少奖补？"))[-1]
    second = sent(await chat.say("那示范园区呢？"))[-1]
    session_id = first.buttons()["👍"].split(":")[3]
    assert second.buttons()["👍"].split(":")[3] == session_id
    turns = assistant.memory.recent(session_id)
    assert [t.question for t in turns] == ["返乡创业示范项目一个能拿多少奖补？", "那示范园区呢？"]
    assert "返乡创业" in turns[1].standalone

    (notice,) = sent(await chat.say("/new"))
    assert notice.params["text"] == fmt.NEW_SESSION
    third = sent(await chat.say(QUESTION))[-1]
    assert third.buttons()["👍"].split(":")[3] != session_id
    assert assistant.memory.recent(session_id) == []  # /new forgot the old conversation


async def test_two_quick_questions_in_one_chat_are_answered_one_after_the_other(
    telegram_api: FakeTelegram, chat: Chat, assistant: ScriptedAssistant
) -> None:
    telegram_api.push(telegram_api.message_update("返乡创业示范项目一个能拿多少奖补？"))
    await chat.say("那示范园区呢？")  # sent before the first is answered; settles both
    first, second = sent(telegram_api.calls())
    session_id = first.buttons()["👍"].split(":")[3]
    assert second.buttons()["👍"].split(":")[3] == session_id
    turns = assistant.memory.recent(session_id)
    assert [t.question for t in turns] == ["返乡创业示范项目一个能拿多少奖补？", "那示范园区呢？"]
    assert "返乡创业" in turns[1].standalone  # the follow-up was read with the first question in memory


async def test_view_source_shows_the_whole_clause(chat: Chat, assistant: ScriptedAssistant) -> None:
    answer = sent(await chat.say(QUESTION))[-1]
    data = answer.buttons()["查看原文 [1]"]
    calls = await chat.press(data, answer.result)
    assert sent(calls, "answerCallbackQuery")
    clause = assistant.kb.get(data.split(":")[1])
    assert clause is not None
    parts = sent(calls)
    assert parts[0].params["text"].startswith(f"<b>[1] 《{fmt.escape(clause.title, quote=False)}》")
    assert clause.text.strip() in "".join(visible_text(p.params["text"]) for p in parts)
    assert parts[0].params["reply_parameters"]["message_id"] == answer.result["message_id"]


async def test_thumbs_up_stores_feedback_and_is_acknowledged(chat: Chat, assistant: ScriptedAssistant) -> None:
    answer = sent(await chat.say(QUESTION))[-1]
    (ack,) = sent(await chat.press(answer.buttons()["👍"], answer.result), "answerCallbackQuery")
    assert ack.params["text"] == fmt.THANKS
    (row,) = assistant.feedback.export()
    _, _, answer_id, session_id = answer.buttons()["👍"].split(":")
    assert (row["rating"], row["answer_id"], row["session_id"], row["channel"]) == (
        "up", answer_id, session_id, "telegram")


async def test_a_group_is_answered_only_when_the_bot_is_addressed(
    telegram_api: FakeTelegram, chat: Chat, assistant: ScriptedAssistant
) -> None:
    group = Chat(telegram_api, chat.application, chat_id=-2001, chat_type="supergroup")
    assert await group.say(QUESTION) == []  # no reply, not even "typing…"

    (reply,) = sent(await group.say(f"@{telegram_api.bot_user['username']} {QUESTION}"))
    assert "《" in reply.params["text"]
    assert reply.params["reply_parameters"]["message_id"] == group.last_update["message"]["message_id"]
    session_id = reply.buttons()["👍"].split(":")[3]
    assert assistant.memory.recent(session_id)[-1].question == QUESTION  # mention taken out

    follow_up = sent(await group.say("那贷款贴息呢？", reply_to=reply.result))
    assert follow_up
    assert follow_up[0].buttons()["👍"].split(":")[3] == session_id


async def test_start_offers_examples_that_ask_when_pressed(chat: Chat) -> None:
    (welcome,) = sent(await chat.say("/start"))
    examples = welcome.buttons()
    assert list(examples) == list(fmt.EXAMPLES)
    calls = await chat.press(examples[fmt.EXAMPLES[0]], welcome.result)
    assert sent(calls, "answerCallbackQuery")
    answer = sent(calls)[-1].params["text"]
    assert answer.startswith(f"❓ <b>{fmt.EXAMPLES[0]}</b>")
    assert "1500" in answer


async def test_policies_are_paged_in_place_and_help_lists_the_commands(chat: Chat) -> None:
    (catalogue,) = sent(await chat.say("/policies"))
    assert "第 1/" in catalogue.params["text"]
    assert list(catalogue.buttons()) == ["下一页 ▶"]
    calls = await chat.press(catalogue.buttons()["下一页 ▶"], catalogue.result)
    (edit,) = sent(calls, "editMessageText")
    assert "第 2/" in edit.params["text"]
    assert edit.params["message_id"] == catalogue.result["message_id"]
    assert "◀ 上一页" in edit.buttons()
    (help_text,) = sent(await chat.say("/help"))
    assert "/policies" in help_text.params["text"]
    assert "/new" in help_text.params["text"]


async def test_a_flood_limit_is_waited_out_and_the_answer_delivered(telegram_api: FakeTelegram, chat: Chat) -> None:
    telegram_api.fail_next("sendMessage", status=429, retry_after=1)
    calls = await chat.say(QUESTION)
    attempts = [c for c in calls if c.method == "sendMessage"]
    assert [c.status for c in attempts] == [429, 200]
    assert attempts[0].params["text"] == attempts[1].params["text"]


async def test_a_question_the_assistant_refuses_gets_its_own_message(chat: Chat) -> None:
    (reply,) = sent(await chat.say("贷款" * 300))
    assert reply.params["text"] == "问题太长（600 字），请精简到 500 字以内。"
    assert not reply.buttons()


async def test_a_failure_gets_an_apology_with_a_request_id_and_the_bot_goes_on(
    chat: Chat, assistant: ScriptedAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    assistant.fail_next = True
    with caplog.at_level(logging.ERROR, logger="huiqi.telegram"):
        (apology,) = sent(await chat.say(QUESTION))
    match = re.search(r"请求编号 ([0-9a-f]{8})", apology.params["text"])
    assert match
    assert "Traceback" not in apology.params["text"]
    assert "RuntimeError" not in apology.params["text"]
    logged = [r for r in caplog.records if match.group(1) in r.getMessage()]
    assert logged
    assert logged[0].exc_info is not None

    assert "《" in sent(await chat.say(QUESTION))[-1].params["text"]
