"""POST /v1/chat/completions through the official ``openai`` client, plain and streaming."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import openai
import pytest

from bot.assistant import Assistant
from tests.api.conftest import API_KEY, ServerFactory

pytestmark = pytest.mark.integration

MODEL = "huiqi-test"
QUESTION = "稳经济33条里的一次性扩岗补助，招应届高校毕业生每人最多给多少？"


@pytest.fixture(scope="module")
def client(start_server: ServerFactory) -> Iterator[openai.OpenAI]:
    with (
        start_server(api_keys=[API_KEY]) as url,
        openai.OpenAI(base_url=f"{url}/v1", api_key=API_KEY, max_retries=0, timeout=60) as oa,
    ):
        yield oa


def ask(client: openai.OpenAI, messages: list[dict[str, Any]], **kwargs: Any) -> Any:
    return client.chat.completions.create(model=MODEL, messages=messages, **kwargs)  # type: ignore[arg-type]


def test_a_completion_carries_the_answer_and_its_references(client: openai.OpenAI) -> None:
    completion = ask(
        client, [{"role": "system", "content": "你是政策助手。"}, {"role": "user", "content": QUESTION}]
    )
    assert completion.object == "chat.completion"
    assert completion.model == MODEL
    choice = completion.choices[0]
    assert choice.finish_reason == "stop"
    assert choice.message.role == "assistant"
    text = choice.message.content or ""
    assert "1500" in text
    assert "参考条款：\n[1] 《国务院关于印发扎实稳住经济一揽子政策措施的通知》（国发〔2022〕12号）" in text
    citations = (completion.model_extra or {})["citations"]
    assert citations[0]["n"] == 1
    assert citations[0]["doc_number"] == "国发〔2022〕12号"
    assert "1500元" in citations[0]["text"]


def test_streaming_gives_the_same_text_in_chunks_ending_with_done(client: openai.OpenAI) -> None:
    plain = ask(client, [{"role": "user", "content": QUESTION}]).choices[0].message.content
    chunks = list(ask(client, [{"role": "user", "content": QUESTION}], stream=True))
    assert all(c.object == "chat.completion.chunk" and c.model == MODEL for c in chunks)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert len(chunks) > 3
    text = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert text == plain
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert (last.model_extra or {})["citations"][0]["doc_number"] == "国发〔2022〕12号"


def test_the_earlier_conversation_resolves_a_follow_up(
    client: openai.OpenAI, api_assistant: Assistant
) -> None:
    first = ask(client, [{"role": "user", "content": QUESTION}]).choices[0].message.content
    history = [
        {"role": "user", "content": QUESTION},
        {"role": "assistant", "content": first},
        {"role": "user", "content": "那省级的呢？"},
    ]
    follow_up = ask(client, history)
    huiqi = (follow_up.model_extra or {})["huiqi"]
    assert "扩岗补助" in huiqi["standalone_question"]
    # the same history maps to the same session, which holds exactly that history plus this turn
    again = ask(client, history)
    assert (again.model_extra or {})["huiqi"]["session_id"] == huiqi["session_id"]
    turns = api_assistant.memory.recent(huiqi["session_id"])
    assert [t.question for t in turns] == [QUESTION, "那省级的呢？"]
    assert turns[0].doc_numbers == ("国发〔2022〕12号",)


def test_the_user_field_keeps_one_session_per_user(client: openai.OpenAI) -> None:
    one = ask(client, [{"role": "user", "content": QUESTION}], user="company-7")
    two = ask(client, [{"role": "user", "content": "那省级的呢？"}], user="company-7")
    other = ask(client, [{"role": "user", "content": QUESTION}], user="company-8")
    sessions = [(r.model_extra or {})["huiqi"]["session_id"] for r in (one, two, other)]
    assert sessions[0] == sessions[1] != sessions[2]
    assert "扩岗补助" in (two.model_extra or {})["huiqi"]["standalone_question"]


def test_sampling_parameters_are_accepted_and_content_parts_are_read(client: openai.OpenAI) -> None:
    completion = ask(
        client,
        [{"role": "user", "content": [{"type": "text", "text": QUESTION}]}],
        temperature=0.2,
        max_tokens=300,
        top_p=0.9,
    )
    assert "1500" in (completion.choices[0].message.content or "")


def test_a_conversation_that_does_not_end_with_the_user_is_refused(client: openai.OpenAI) -> None:
    with pytest.raises(openai.UnprocessableEntityError) as caught:
        ask(client, [{"role": "user", "content": QUESTION}, {"role": "assistant", "content": "好的"}])
    assert "last message must come from the user" in str(caught.value)


def test_a_blank_question_is_refused(client: openai.OpenAI) -> None:
    with pytest.raises(openai.UnprocessableEntityError) as caught:
        ask(client, [{"role": "user", "content": "  "}])
    assert "问题不能为空" in str(caught.value)


def test_a_wrong_key_is_refused(client: openai.OpenAI) -> None:
    wrong = client.with_options(api_key="not-a-key")
    with pytest.raises(openai.PermissionDeniedError):
        ask(wrong, [{"role": "user", "content": QUESTION}])
