"""The web router on its own: what each URL serves, without a browser."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from bot.web.router import CSS_SLOT, STATIC, web_router
from tests.conftest import make_settings


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    app = FastAPI()
    app.include_router(web_router(make_settings(tmp_path)))
    return TestClient(app)


def test_widget_script_carries_its_stylesheet(client: TestClient) -> None:
    res = client.get("/widget.js")
    assert res.status_code == 200
    assert res.headers["content-type"].startswith("text/javascript")
    assert CSS_SLOT not in res.text
    css = (STATIC / "widget.css").read_text("utf-8")
    assert json.dumps(css, ensure_ascii=False) in res.text


@pytest.mark.parametrize("name", ["widget.js", "console.js", "console.html", "demo.html"])
def test_pages_load_nothing_from_other_hosts(name: str) -> None:
    text = (STATIC / name).read_text("utf-8")
    for allowed in ("http://www.w3.org/2000/svg", "https://HOST/"):  # a namespace and a doc example
        text = text.replace(allowed, "")
    for marker in ("http://", "https://", "//cdn", "fonts.googleapis", "@import", "url("):
        assert marker not in text, (name, marker)


def test_pages_never_put_server_text_into_html() -> None:
    for name in ("widget.js", "console.js"):
        text = (STATIC / name).read_text("utf-8")
        assert "innerHTML" not in text
        assert "insertAdjacentHTML" not in text


def test_demo_page_embeds_the_widget(client: TestClient) -> None:
    res = client.get("/demo")
    assert res.status_code == 200
    assert "安阳市人民政府" in res.text
    assert '<script src="widget.js"' in res.text
    assert "{{" not in res.text


def test_demo_page_escapes_the_key_it_echoes(client: TestClient) -> None:
    res = client.get("/demo", params={"key": 'k"><script>alert(1)</script>'})
    assert 'data-api-key="k&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"' in res.text
    assert "<script>alert(1)" not in res.text


def test_console_and_its_assets(client: TestClient) -> None:
    page = client.get("/console")
    assert page.status_code == 200
    assert "12345" in page.text
    assert client.get("/console/console.js").headers["content-type"].startswith("text/javascript")
    assert client.get("/console/console.css").headers["content-type"].startswith("text/css")
    assert client.get("/console/../settings.py").status_code == 404
    assert client.get("/console/router.py").status_code == 404
