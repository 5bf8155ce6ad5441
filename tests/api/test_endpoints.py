"""Every read endpoint over real HTTP: the app is built by the factory and its assistant by the lifespan."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest

from bot.api import create_app
from tests.api.conftest import ADMIN_KEY, WIDGET_ORIGIN, copy_index
from tests.conftest import make_settings
from tests.support.servers import serve_app

pytestmark = pytest.mark.integration

QUESTION = "稳经济33条里的一次性扩岗补助，招应届高校毕业生每人最多给多少？"
DOC_NUMBER = "国发〔2022〕12号"


@pytest.fixture(scope="module")
def url(indexed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """No API keys, an admin key, the widget's origin allowed; the assistant is built at startup."""
    settings = make_settings(
        copy_index(indexed_dir, tmp_path_factory, "endpoints"),
        admin_key=ADMIN_KEY,
        cors_origins=[WIDGET_ORIGIN],
        rate_limit_per_minute=100_000,
    )
    with serve_app(create_app(settings)) as base:
        yield base


@pytest.fixture
def api(url: str, client_for: Callable[..., httpx.Client]) -> httpx.Client:
    return client_for(url)


def sse_events(text: str) -> list[tuple[str, Any]]:
    """(event, parsed data) pairs of a text/event-stream body."""
    events = []
    for block in re.split(r"\r?\n\r?\n", text):
        name, data = "message", []
        for line in block.splitlines():
            if line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].removeprefix(" "))
        if data:
            events.append((name, json.loads("\n".join(data))))
    return events


def test_health_and_readiness(api: httpx.Client) -> None:
    assert api.get("/healthz").json() == {"status": "ok"}
    ready = api.get("/readyz")
    assert ready.status_code == 200
    assert ready.json()["ready"] is True
    assert ready.json()["clauses"] > 500


def test_ask_answers_with_verbatim_citations(api: httpx.Client) -> None:
    response = api.post("/v1/ask", json={"question": QUESTION})
    assert response.status_code == 200
    body = response.json()
    assert body["answered"] is True
    assert body["mode"] == "extractive"
    assert "1500" in body["answer"]
    assert body["session_id"]
    assert body["answer_id"]
    first = body["citations"][0]
    assert first["n"] == 1
    assert first["doc_number"] == DOC_NUMBER
    assert "1500元" in first["text"]
    assert {"title", "clause", "source", "score"} <= first.keys()


def test_ask_keeps_the_session_for_follow_ups(api: httpx.Client) -> None:
    first = api.post("/v1/ask", json={"question": QUESTION, "session_id": "widget-42"}).json()
    second = api.post("/v1/ask", json={"question": "那省级的呢？", "session_id": "widget-42"}).json()
    assert first["session_id"] == second["session_id"] == "widget-42"
    assert "扩岗补助" in second["standalone_question"]


def test_ask_refuses_outside_the_corpus(api: httpx.Client) -> None:
    body = api.post("/v1/ask", json={"question": "北京市海淀区的人才公寓怎么申请？"}).json()
    assert body["answered"] is False
    assert body["citations"] == []
    assert "北京" in body["answer"]


def test_a_refusal_cites_the_clause_that_leaves_the_sum_open(api: httpx.Client) -> None:
    body = api.post("/v1/ask", json={"question": "安阳对新认定的专精特新小巨人企业，市里一次性奖励具体多少钱？"}).json()
    assert body["answered"] is False
    assert [c["n"] for c in body["citations"]] == [1]
    cited = body["citations"][0]
    assert "给予一次性奖励" in cited["text"]
    # the text names the clause too, so an operator who copies it keeps the source
    assert f"《{cited['title']}》" in body["answer"]
    assert "[1]" in body["answer"]


def test_ask_filters_restrict_the_citations(api: httpx.Client) -> None:
    body = api.post(
        "/v1/ask", json={"question": "企业上市有什么奖励", "filters": {"level": "省", "region": "河南"}}
    ).json()
    assert body["citations"]
    assert {c["level"] for c in body["citations"]} == {"省"}


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ({"question": "   "}, "问题不能为空"),
        ({"question": "补贴" * 251}, "问题太长"),
        ({"question": 123}, "question"),
        ({}, "Missing required field 'question'"),
        ({"question": "补贴", "top_k": 3}, "Unknown field 'top_k'"),
        ({"question": "补贴", "filters": {"city": "安阳"}}, "Unknown field 'filters.city'"),
        ({"question": "补贴", "session_id": "has spaces"}, "session_id"),
    ],
)
def test_ask_rejects_bad_input_with_a_sentence(
    api: httpx.Client, payload: dict[str, Any], fragment: str
) -> None:
    response = api.post("/v1/ask", json=payload)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert fragment in error["message"]
    assert response.json()["detail"]


def test_malformed_json_is_a_422(api: httpx.Client) -> None:
    response = api.post("/v1/ask", content=b'{"question": ', headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "The body is not valid JSON."


def test_a_wrong_method_is_405_with_the_error_body(api: httpx.Client) -> None:
    response = api.get("/v1/ask")
    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert "POST" in response.headers["allow"]


def test_a_json_body_over_1_mb_is_413(api: httpx.Client) -> None:
    response = api.post("/v1/ask", json={"question": "补" * 600_000})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_stream_sends_deltas_then_citations_then_done(api: httpx.Client) -> None:
    with api.stream("POST", "/v1/ask/stream", json={"question": QUESTION}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = sse_events(response.read().decode())
    names = [name for name, _ in events]
    assert names[-2:] == ["citations", "done"]
    assert set(names[:-2]) == {"delta"}
    done = events[-1][1]
    assert "".join(data["text"] for name, data in events if name == "delta") == done["answer"]
    assert events[-2][1]["citations"] == done["citations"]
    assert done["citations"][0]["doc_number"] == DOC_NUMBER


def test_stream_rejects_a_blank_question_before_streaming(api: httpx.Client) -> None:
    response = api.post("/v1/ask/stream", json={"question": ""})
    assert response.status_code == 422
    assert "问题不能为空" in response.json()["error"]["message"]


def test_search_returns_ranked_clauses(api: httpx.Client) -> None:
    response = api.post("/v1/search", json={"query": "一次性扩岗补助", "top_k": 3})
    assert response.status_code == 200
    hits = response.json()["hits"]
    assert 1 <= len(hits) <= 3
    assert "扩岗补助" in hits[0]["text"]
    assert [h["score"] for h in hits] == sorted((h["score"] for h in hits), reverse=True)


@pytest.mark.parametrize("top_k", [0, 21, "five"])
def test_search_bounds_top_k(api: httpx.Client, top_k: object) -> None:
    response = api.post("/v1/search", json={"query": "补贴", "top_k": top_k})
    assert response.status_code == 422
    assert "top_k" in response.json()["error"]["message"]


def test_policies_list_and_detail(api: httpx.Client) -> None:
    policies = api.get("/v1/policies").json()["policies"]
    assert len(policies) > 20
    by_number = api.get(f"/v1/policies/{quote(DOC_NUMBER)}")
    assert by_number.status_code == 200
    detail = by_number.json()
    assert detail["doc_number"] == DOC_NUMBER
    assert detail["clause_count"] == len(detail["clauses"])
    orders = [c["order"] for c in detail["clauses"]]
    assert orders == sorted(orders)
    by_id = api.get(f"/v1/policies/{detail['policy_id']}").json()
    assert by_id["clauses"] == detail["clauses"]


def test_unknown_policy_is_a_404_with_a_sentence(api: httpx.Client) -> None:
    response = api.get(f"/v1/policies/{quote('豫政〔1999〕1号')}")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "豫政〔1999〕1号" in response.json()["error"]["message"]


def test_feedback_is_stored_and_exported_with_the_admin_key(api: httpx.Client) -> None:
    answer = api.post("/v1/ask", json={"question": QUESTION}).json()
    stored = api.post(
        "/v1/feedback",
        json={
            "session_id": answer["session_id"],
            "answer_id": answer["answer_id"],
            "rating": "down",
            "comment": "金额写得不够清楚",
        },
    )
    assert stored.status_code == 201
    assert api.get("/v1/feedback/export").status_code == 401
    assert api.get("/v1/feedback/export", headers={"Authorization": "Bearer nope"}).status_code == 403
    rows = api.get("/v1/feedback/export", headers={"Authorization": f"Bearer {ADMIN_KEY}"}).json()["feedback"]
    mine = [r for r in rows if r["answer_id"] == answer["answer_id"]]
    assert mine == [{**mine[0], "rating": "down", "comment": "金额写得不够清楚", "channel": "api"}]


def test_feedback_rating_must_be_up_or_down(api: httpx.Client) -> None:
    response = api.post("/v1/feedback", json={"session_id": "s", "answer_id": "a", "rating": "meh"})
    assert response.status_code == 422
    assert "rating" in response.json()["error"]["message"]


def test_request_id_is_echoed_or_made(api: httpx.Client) -> None:
    assert (
        api.get("/healthz", headers={"X-Request-ID": "trace-abc.1"}).headers["x-request-id"] == "trace-abc.1"
    )
    made = api.get("/healthz", headers={"X-Request-ID": "bad id\twith tab"}).headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{32}", made)
    missing = api.get("/no/such/path")
    assert missing.status_code == 404
    assert missing.json()["error"]["request_id"] == missing.headers["x-request-id"]


def test_metrics_count_requests_by_route_template_and_answers_by_mode(api: httpx.Client) -> None:
    api.post("/v1/ask", json={"question": QUESTION})
    api.get(f"/v1/policies/{quote(DOC_NUMBER)}")
    text = api.get("/metrics").text
    assert re.search(r'huiqi_http_requests_total\{method="POST",route="/v1/ask",status="200"\} [1-9]', text)
    assert 'route="/v1/policies/{key}"' in text
    assert "huiqi_http_request_duration_seconds_bucket" in text
    assert re.search(r'huiqi_answers_total\{mode="extractive"\} [1-9]', text)
    assert "huiqi_refusals_total" in text
    assert "huiqi_llm_fallbacks_total 0.0" in text


def test_cors_allows_the_widget_origin_only(api: httpx.Client) -> None:
    preflight = {
        "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "authorization,content-type",
    }
    allowed = api.options("/v1/ask", headers={"Origin": WIDGET_ORIGIN, **preflight})
    assert allowed.status_code == 200
    assert allowed.headers["access-control-allow-origin"] == WIDGET_ORIGIN
    assert "authorization" in allowed.headers["access-control-allow-headers"].lower()
    other = api.options("/v1/ask", headers={"Origin": "https://elsewhere.example", **preflight})
    assert "access-control-allow-origin" not in other.headers
    simple = api.post("/v1/search", json={"query": "补贴"}, headers={"Origin": WIDGET_ORIGIN})
    assert simple.headers["access-control-allow-origin"] == WIDGET_ORIGIN
    assert "x-request-id" in simple.headers["access-control-expose-headers"].lower()


def test_openapi_documents_the_v1_routes(api: httpx.Client) -> None:
    paths = api.get("/openapi.json").json()["paths"]
    expected = {
        "/v1/ask",
        "/v1/ask/stream",
        "/v1/search",
        "/v1/policies",
        "/v1/policies/{key}",
        "/v1/feedback",
        "/v1/chat/completions",
        "/v1/documents",
        "/healthz",
        "/readyz",
        "/metrics",
    }
    assert expected <= set(paths)
    assert api.get("/docs").status_code == 200


class BrokenAssistant:
    """Fails the way a bug would: the API must answer 500 with its own body and no traceback."""

    stats: dict[str, int] = {}  # noqa: RUF012

    def ask(self, *args: object, **kwargs: object) -> None:
        raise RuntimeError("index file vanished: /secret/path")


def test_unexpected_errors_become_a_500_with_the_request_id(
    api_data_dir: Path, client_for: Callable[..., httpx.Client]
) -> None:
    app = create_app(make_settings(api_data_dir), BrokenAssistant())  # type: ignore[arg-type]
    with serve_app(app) as base:
        response = client_for(base).post("/v1/ask", json={"question": QUESTION})
    assert response.status_code == 500
    error = response.json()["error"]
    assert error["code"] == "internal_error"
    assert error["request_id"] == response.headers["x-request-id"]
    assert "secret" not in response.text
    assert "Traceback" not in response.text


def test_the_telegram_webhook_is_mounted_only_with_a_token(
    api: httpx.Client, api_data_dir: Path, client_for: Callable[..., httpx.Client]
) -> None:
    update = {"update_id": 1}
    assert api.post("/channels/telegram/webhook", json=update).status_code == 404
    settings = make_settings(
        api_data_dir, telegram_bot_token="123456:TEST-TOKEN", telegram_secret="hook-secret"
    )
    with serve_app(create_app(settings)) as base:
        refused = client_for(base).post("/channels/telegram/webhook", json=update)
    assert refused.status_code == 403  # mounted, and without Telegram's secret header nothing gets in
    assert refused.json()["error"]["code"] == "forbidden"
