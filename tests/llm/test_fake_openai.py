"""The fake OpenAI server speaks the protocol the official client expects (chat, streaming, embeddings)."""

from __future__ import annotations

import base64
import math
import struct

import openai
import pytest

from tests.support.fake_openai import EMBEDDING_DIM, FakeOpenAI, embed

pytestmark = pytest.mark.integration


@pytest.fixture
def client(fake_url: str) -> openai.OpenAI:
    return openai.OpenAI(base_url=fake_url, api_key="test-key", timeout=2, max_retries=0)


def test_chat_text_and_the_request_log(client: openai.OpenAI, fake: FakeOpenAI) -> None:
    fake.push_text("你好[1]")

    reply = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "问"}])

    assert reply.choices[0].message.content == "你好[1]"
    assert reply.choices[0].finish_reason == "stop"
    assert fake.chat_requests() == [{"model": "m", "messages": [{"role": "user", "content": "问"}]}]


def test_chat_tool_calls(client: openai.OpenAI, fake: FakeOpenAI) -> None:
    fake.push_tool_call("search_policies", {"query": "扩岗补助", "level": "省"})

    reply = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "问"}])

    [call] = reply.choices[0].message.tool_calls or []
    assert call.type == "function"
    assert call.function.name == "search_policies"
    assert call.function.arguments == '{"query": "扩岗补助", "level": "省"}'
    assert reply.choices[0].finish_reason == "tool_calls"


def test_chat_streaming_text_and_tool_calls(client: openai.OpenAI, fake: FakeOpenAI) -> None:
    fake.push_text("一次性扩岗补助每人不超过1500元[1]。")
    fake.push_tool_call("get_policy", {"doc_number": "国发〔2022〕12号"})

    stream = client.chat.completions.create(
        model="m", messages=[{"role": "user", "content": "问"}], stream=True, stream_options={"include_usage": True}
    )
    chunks = list(stream)
    text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
    calls = [t for c in chunks if c.choices for t in c.choices[0].delta.tool_calls or []]
    stream = client.chat.completions.create(model="m", messages=[{"role": "user", "content": "问"}], stream=True)
    tool_chunks = [t for c in stream if c.choices for t in c.choices[0].delta.tool_calls or []]

    assert text == "一次性扩岗补助每人不超过1500元[1]。"
    assert calls == []
    assert chunks[-1].usage is not None
    assert [t.function.name for t in tool_chunks if t.function] == ["get_policy"]


def test_http_error_and_empty_queue(client: openai.OpenAI, fake: FakeOpenAI) -> None:
    fake.push_error(503, "overloaded")

    with pytest.raises(openai.InternalServerError, match="overloaded"):
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "问"}])
    with pytest.raises(openai.InternalServerError, match="no reply queued"):
        client.chat.completions.create(model="m", messages=[{"role": "user", "content": "问"}])


def test_slow_reply_times_out(client: openai.OpenAI, fake: FakeOpenAI) -> None:
    fake.push_slow(5)

    with pytest.raises(openai.APITimeoutError):
        client.with_options(timeout=0.5).chat.completions.create(
            model="m", messages=[{"role": "user", "content": "问"}]
        )


@pytest.mark.parametrize("encoding_format", ["float", "base64"])
def test_embeddings_are_deterministic_unit_vectors(
    client: openai.OpenAI, fake: FakeOpenAI, encoding_format: str
) -> None:
    texts = ["高新技术企业认定奖励", "一次性扩岗补助", "高新技术企业认定奖励"]

    response = client.embeddings.create(model="e", input=texts, encoding_format=encoding_format)  # type: ignore[arg-type]

    vectors = [_decoded(d.embedding) for d in response.data]
    assert [len(v) for v in vectors] == [EMBEDDING_DIM] * 3
    assert vectors[0] == pytest.approx(vectors[2])
    assert vectors[0] != pytest.approx(vectors[1])
    assert math.isclose(sum(x * x for x in vectors[1]), 1.0, rel_tol=1e-5)
    assert vectors[1] == pytest.approx(embed("一次性扩岗补助"), rel=1e-6)
    assert fake.requests("/v1/embeddings")[0].body["input"] == texts


def _decoded(embedding: list[float] | str) -> list[float]:
    if isinstance(embedding, str):  # base64 of little-endian float32, as OpenAI sends it
        raw = base64.b64decode(embedding)
        return list(struct.unpack(f"<{len(raw) // 4}f", raw))
    return embedding


def test_similar_texts_embed_closer_than_unrelated_ones() -> None:
    def cos(a: str, b: str) -> float:
        return sum(x * y for x, y in zip(embed(a), embed(b), strict=True))

    assert cos("高新技术企业奖励", "高新技术企业认定奖励") > cos("高新技术企业奖励", "不动产登记费")
