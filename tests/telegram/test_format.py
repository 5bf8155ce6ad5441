"""The Telegram wire format without a network: HTML, splitting, buttons, group addressing, sessions, retries."""

from __future__ import annotations

import datetime as dtm
import re
from pathlib import Path
from typing import Any

import pytest
from telegram import Message
from telegram.error import RetryAfter

from bot import cli
from bot.channels import telegram_format as fmt
from bot.channels.telegram_channel import (
    TelegramSetupError,
    api_base_url,
    file_base_url,
    run_polling,
)
from bot.channels.telegram_send import retry_seconds, send
from bot.channels.telegram_sessions import ChatSessions
from bot.types import Answer, Citation
from retrieval.types import Clause, PolicyInfo
from tests.conftest import make_settings
from tests.support.fake_telegram import BOT_USER, FakeTelegram, telegram_html_errors, visible_text


def citation(n: int, title: str = "关于支持小微企业<融资>发展的若干措施") -> Citation:
    return Citation(n=n, text="条款原文", title=f"{title}{n}", doc_number=f"豫政〔2022〕{n}号",
                    clause=f"第{n}条", source="x.txt", score=0.9, id=f"{n:020d}")


def long_answer(paragraphs: int = 40, citations: int = 30) -> Answer:
    body = "\n".join(
        f"第{i}段：对符合条件的小微企业 & 个体工商户，贷款利率 < 4% 的部分给予贴息，每户最高 50 万元。[{i % citations + 1}]"
        * 3
        for i in range(paragraphs)
    )
    return Answer(body, [citation(n) for n in range(1, citations + 1)], True, "extractive",
                  session_id="f" * 32, answer_id="a" * 16)


def test_answer_is_escaped_html_with_a_numbered_citation_list() -> None:
    answer = Answer("贷款利率 < 4% & 免担保。[1]", [citation(1), citation(2)], True, "extractive", "s" * 32, "a" * 16)
    (text,) = fmt.answer_parts(answer)
    assert telegram_html_errors(text) == []
    assert "贷款利率 &lt; 4% &amp; 免担保。[1]" in text
    assert "<b>引用条款</b>" in text
    assert "[1] 《关于支持小微企业&lt;融资&gt;发展的若干措施1》（豫政〔2022〕1号）第1条" in text
    assert text.index("[2] 《") > text.index("[1] 《")


def test_a_long_answer_is_split_into_valid_parts_that_keep_every_citation_whole() -> None:
    answer = long_answer()
    parts = fmt.answer_parts(answer)
    assert len(parts) >= 3
    for part in parts:
        assert len(part) <= fmt.MESSAGE_LIMIT
        assert telegram_html_errors(part) == [], part[:200]
    for c in answer.citations:
        line = f"[{c.n}] {visible_text(fmt.escape(c.reference()))}"
        assert sum(line in visible_text(part) for part in parts) == 1
    joined = "".join(visible_text(p) for p in parts)
    assert re.sub(r"\s", "", joined) == re.sub(r"\s", "", visible_text("\n".join(
        [fmt.escape(answer.answer), "引用条款", *(f"[{c.n}] {fmt.escape(c.reference())}" for c in answer.citations)]
    )))


def test_a_line_longer_than_a_message_is_cut_between_sentences_and_tags_are_reopened() -> None:
    text = "<b>" + "对小微企业给予贴息&amp;补助。" * 800 + "</b>\n<i>结尾</i>"
    parts = fmt.split_html(text)
    assert len(parts) >= 3
    for part in parts:
        assert len(part) <= fmt.MESSAGE_LIMIT
        assert telegram_html_errors(part) == []
    assert parts[0].startswith("<b>")
    assert parts[0].endswith("。</b>")
    assert parts[1].startswith("<b>")
    assert parts[-1].endswith("<i>结尾</i>")


def test_entities_are_never_cut() -> None:
    parts = fmt.split_html("&amp;" * 3000, limit=1000)
    assert all(len(p) <= 1000 and telegram_html_errors(p) == [] for p in parts)
    assert sum(p.count("&amp;") for p in parts) == 3000


def test_length_is_counted_as_telegram_counts_it() -> None:
    parts = fmt.split_html("𠀀" * 3000)  # outside the BMP: two UTF-16 code units each
    assert len(parts) == 2
    assert all(len(p.encode("utf-16-le")) // 2 <= fmt.MESSAGE_LIMIT for p in parts)


def test_short_text_is_one_part() -> None:
    assert fmt.split_html("  <b>短</b>\n") == ["<b>短</b>"]


def test_clause_is_shown_whole_and_escaped() -> None:
    clause = Clause(text="（一）对年营业收入 < 500 万元的企业 & 个体户……" * 200, title="稳经济措施",
                    source="x.txt", clause="一、（一）", doc_number="国发〔2022〕12号")
    parts = fmt.clause_parts(clause, 2)
    assert parts[0].startswith("<b>[2] 《稳经济措施》（国发〔2022〕12号）一、（一）</b>")
    assert all(telegram_html_errors(p) == [] and len(p) <= fmt.MESSAGE_LIMIT for p in parts)
    shown = re.sub(r"\s", "", "".join(visible_text(p) for p in parts))
    assert shown.endswith(re.sub(r"\s", "", clause.text))  # a cut may fall on a space, nothing else is lost


def test_buttons_fit_telegrams_callback_limit() -> None:
    answer = long_answer(paragraphs=1, citations=5)
    rows = fmt.answer_keyboard(answer).inline_keyboard
    labels = [b.text for row in rows for b in row]
    assert labels == [f"查看原文 [{n}]" for n in range(1, 6)] + ["👍", "👎"]
    assert all(len(str(b.callback_data).encode()) <= fmt.CALLBACK_LIMIT for row in rows for b in row)
    assert rows[-1][0].callback_data == f"r:up:{'a' * 16}:{'f' * 32}"
    with pytest.raises(ValueError, match="64 bytes"):
        fmt.callback_data("c", "很长" * 20)


def test_policies_are_paged_with_previous_and_next_buttons() -> None:
    policies = [PolicyInfo(title=f"政策{i}", doc_number=f"文号{i}", clause_count=i) for i in range(20)]
    text, markup = fmt.policies_page(policies, 0)
    assert "第 1/3 页" in text
    assert "1. 《政策0》" in text
    assert "《政策8》" not in text
    assert markup is not None
    assert [b.callback_data for b in markup.inline_keyboard[0]] == ["p:1"]
    text, markup = fmt.policies_page(policies, 2)
    assert "17. 《政策16》" in text
    assert "20. 《政策19》" in text
    assert markup is not None
    assert [b.callback_data for b in markup.inline_keyboard[0]] == ["p:1"]
    assert fmt.policies_page([], 0) == ("知识库中还没有政策文件。", None)


def _message(fake: FakeTelegram, text: str, chat_type: str = "group", **kwargs: Any) -> Message:
    return Message.de_json(fake.message_update(text, chat_id=-2001, chat_type=chat_type, **kwargs)["message"], None)


def test_groups_need_a_mention_or_a_reply() -> None:
    fake = FakeTelegram()
    name, bot_id = str(BOT_USER["username"]), int(str(BOT_USER["id"]))
    assert fmt.addressed_question(_message(fake, "贷款贴息怎么申请？"), name, bot_id) is None
    assert fmt.addressed_question(_message(fake, "@someone_else 贷款贴息？"), name, bot_id) is None
    mention = _message(fake, "@HUIQI_test_bot 贷款贴息怎么申请？")
    assert fmt.addressed_question(mention, name, bot_id) == "贷款贴息怎么申请？"
    bot_message = {"message_id": 9, "date": 0, "chat": {"id": -2001, "type": "group"}, "from": BOT_USER, "text": "答"}
    reply = _message(fake, "那省级的呢？", reply_to=bot_message)
    assert fmt.addressed_question(reply, name, bot_id) == "那省级的呢？"
    private = _message(fake, "贷款贴息？", chat_type="private")
    assert fmt.addressed_question(private, name, bot_id) == "贷款贴息？"


def test_chat_sessions_survive_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "telegram_sessions.sqlite3"
    sessions = ChatSessions(path)
    assert sessions.get_or_start(1, "first") == "first"
    assert sessions.get_or_start(1, "second") == "first"
    sessions.replace(2, "other")
    sessions.close()
    again = ChatSessions(path)
    assert (again.get(1), again.get(2), again.get(3)) == ("first", "other", None)


def test_api_urls_for_a_self_hosted_bot_api_server() -> None:
    assert api_base_url("http://127.0.0.1:8081") == "http://127.0.0.1:8081/bot"
    assert api_base_url("http://127.0.0.1:8081/bot/") == "http://127.0.0.1:8081/bot"
    assert file_base_url("http://127.0.0.1:8081/bot") == "http://127.0.0.1:8081/file/bot"


def test_missing_token_is_one_clear_sentence(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(TelegramSetupError, match=r"^TELEGRAM_BOT_TOKEN is not set; .*BotFather"):
        run_polling(make_settings(tmp_path))
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    monkeypatch.setenv("HUIQI_DATA_DIR", str(tmp_path))
    assert cli.main(["telegram"]) == 1
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("huiqi: TELEGRAM_BOT_TOKEN is not set;")


async def test_send_waits_as_told_and_gives_up_after_three_tries() -> None:
    attempts: list[int] = []

    async def flooded(limit: int) -> str:
        attempts.append(1)
        if len(attempts) < limit:
            raise RetryAfter(0)
        return "sent"

    assert await send(flooded, 3) == "sent"
    assert len(attempts) == 3
    attempts.clear()
    with pytest.raises(RetryAfter):
        await send(flooded, 10)
    assert len(attempts) == 3
    assert retry_seconds(RetryAfter(dtm.timedelta(seconds=2))) == 2.0
