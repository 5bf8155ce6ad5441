"""API keys, the admin key and the rate limit, over real HTTP."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator

import httpx
import pytest

from tests.api.conftest import ADMIN_KEY, API_KEY, OTHER_KEY, ServerFactory

pytestmark = pytest.mark.integration

SEARCH = {"query": "一次性扩岗补助"}


@pytest.fixture(scope="module")
def keyed_url(start_server: ServerFactory) -> Iterator[str]:
    with start_server(api_keys=[API_KEY, OTHER_KEY], admin_key=ADMIN_KEY) as url:
        yield url


def test_a_v1_call_without_a_key_is_401(keyed_url: str, client_for: Callable[..., httpx.Client]) -> None:
    response = client_for(keyed_url).post("/v1/search", json=SEARCH)
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.json()["error"]["code"] == "unauthorized"
    assert "Authorization: Bearer" in response.json()["error"]["message"]


@pytest.mark.parametrize("header", ["Bearer not-a-key", "Bearer test-key-1x", "Bearer TEST-KEY-1"])
def test_a_wrong_key_is_403(keyed_url: str, client_for: Callable[..., httpx.Client], header: str) -> None:
    response = client_for(keyed_url).post("/v1/search", json=SEARCH, headers={"Authorization": header})
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"


def test_a_basic_auth_header_counts_as_no_key(
    keyed_url: str, client_for: Callable[..., httpx.Client]
) -> None:
    response = client_for(keyed_url).get("/v1/policies", headers={"Authorization": "Basic dGVzdDp0ZXN0"})
    assert response.status_code == 401


@pytest.mark.parametrize("key", [API_KEY, OTHER_KEY, ADMIN_KEY])
def test_every_configured_key_and_the_admin_key_are_accepted(
    keyed_url: str, client_for: Callable[..., httpx.Client], key: str
) -> None:
    response = client_for(keyed_url, key).post("/v1/search", json=SEARCH)
    assert response.status_code == 200
    assert response.json()["hits"]


def test_probes_need_no_key(keyed_url: str, client_for: Callable[..., httpx.Client]) -> None:
    client = client_for(keyed_url)
    assert client.get("/healthz").status_code == 200
    assert client.get("/readyz").status_code == 200
    assert client.get("/metrics").status_code == 200


def test_admin_endpoints_need_the_admin_key(keyed_url: str, client_for: Callable[..., httpx.Client]) -> None:
    user = client_for(keyed_url, API_KEY).get("/v1/feedback/export")
    assert user.status_code == 403
    assert "admin key" in user.json()["error"]["message"]
    admin = client_for(keyed_url, ADMIN_KEY).get("/v1/feedback/export")
    assert admin.status_code == 200
    assert isinstance(admin.json()["feedback"], list)


def test_admin_endpoints_are_refused_when_no_admin_key_is_configured(
    start_server: ServerFactory, client_for: Callable[..., httpx.Client]
) -> None:
    with start_server(admin_key=None) as url:
        client = client_for(url, "anything")
        export = client.get("/v1/feedback/export")
        upload = client.post("/v1/documents", files={"file": ("a.txt", "一、总则".encode())})
    for response in (export, upload):
        assert response.status_code == 403
        assert "HUIQI_ADMIN_KEY" in response.json()["error"]["message"]


def test_keys_never_reach_the_log(
    keyed_url: str, client_for: Callable[..., httpx.Client], caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.INFO, logger="huiqi"):
        client_for(keyed_url, API_KEY).post(
            "/v1/search", json=SEARCH, headers={"X-Request-ID": "log-check-1"}
        )
        client_for(keyed_url, "leaked-guess").get("/v1/policies")
    lines = [r.getMessage() for r in caplog.records if r.name == "huiqi.api.access"]
    assert any('"request_id": "log-check-1"' in line and '"status": 200' in line for line in lines)
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert API_KEY not in text
    assert "leaked-guess" not in text
    assert "Bearer" not in text


def test_the_rate_limit_counts_per_key(
    start_server: ServerFactory, client_for: Callable[..., httpx.Client]
) -> None:
    with start_server(api_keys=[API_KEY, OTHER_KEY], rate_limit_per_minute=3) as url:
        first = client_for(url, API_KEY)
        codes = [first.get("/v1/policies").status_code for _ in range(3)]
        limited = first.get("/v1/policies")
        other = client_for(url, OTHER_KEY).get("/v1/policies")
        probe = first.get("/healthz")
    assert codes == [200, 200, 200]
    assert limited.status_code == 429
    assert 1 <= int(limited.headers["retry-after"]) <= 60
    assert limited.json()["error"]["code"] == "rate_limited"
    assert other.status_code == 200
    assert probe.status_code == 200


def test_the_rate_limit_counts_per_address_without_keys(
    start_server: ServerFactory, client_for: Callable[..., httpx.Client]
) -> None:
    with start_server(rate_limit_per_minute=2) as url:
        client = client_for(url)
        codes = [client.post("/v1/search", json=SEARCH).status_code for _ in range(2)]
        # a made-up bearer token must not open a fresh window when keys are off
        limited = client.post("/v1/search", json=SEARCH, headers={"Authorization": "Bearer fresh"})
    assert codes == [200, 200]
    assert limited.status_code == 429
    assert "Retry-After" in limited.headers
