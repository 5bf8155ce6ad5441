"""Uploading a policy file, finding its clauses, deleting it; and the uploads that are refused."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from bot.api import create_app
from tests.api.conftest import ADMIN_KEY, copy_index
from tests.conftest import make_settings
from tests.support.servers import serve_app

pytestmark = pytest.mark.integration

POLICY = Path(__file__).parent / "data" / "xinxiang-2024-digital-transformation-notice.txt"
DOC_NUMBER = "新政办〔2024〕17号"
QUESTION = "新乡租用数据中心机柜有什么租金补助"
MAX_UPLOAD_MB = 0.05  # 51 KB: the policy fits, the padded files do not


@pytest.fixture(scope="module")
def data_dir_(indexed_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_index(indexed_dir, tmp_path_factory, "documents")


@pytest.fixture(scope="module")
def url(data_dir_: Path) -> Iterator[str]:
    settings = make_settings(
        data_dir_, admin_key=ADMIN_KEY, max_upload_mb=MAX_UPLOAD_MB, rate_limit_per_minute=100_000
    )
    with serve_app(create_app(settings)) as base:
        yield base


@pytest.fixture
def admin(url: str, client_for: Callable[..., httpx.Client]) -> httpx.Client:
    return client_for(url, ADMIN_KEY)


def sources(client: httpx.Client, query: str) -> set[str]:
    return {h["source"] for h in client.post("/v1/search", json={"query": query, "top_k": 10}).json()["hits"]}


def test_an_uploaded_policy_becomes_searchable_and_goes_away_on_delete(
    admin: httpx.Client, data_dir_: Path
) -> None:
    assert POLICY.name not in sources(admin, QUESTION)

    uploaded = admin.post("/v1/documents", files={"file": (POLICY.name, POLICY.read_bytes(), "text/plain")})
    assert uploaded.status_code == 201, uploaded.text
    report = uploaded.json()
    assert report["source"] == POLICY.name
    assert report["added"] >= 2
    assert report["skipped"] == []
    assert (data_dir_ / "uploads" / POLICY.name).is_file()

    hit = admin.post("/v1/search", json={"query": QUESTION, "top_k": 3}).json()["hits"][0]
    assert hit["source"] == POLICY.name
    assert hit["doc_number"] == DOC_NUMBER
    assert "每个机柜每年2000元" in hit["text"]
    answer = admin.post("/v1/ask", json={"question": QUESTION}).json()
    assert answer["citations"][0]["doc_number"] == DOC_NUMBER
    detail = admin.get(f"/v1/policies/{quote(DOC_NUMBER)}").json()
    assert detail["region"] == "新乡市"
    assert detail["clauses"][1]["text"].startswith("一、支持企业上云用云")

    removed = admin.delete(f"/v1/documents/{POLICY.name}")
    assert removed.status_code == 200
    assert removed.json() == {"source": POLICY.name, "removed": report["added"]}
    assert POLICY.name not in sources(admin, QUESTION)
    assert admin.get(f"/v1/policies/{quote(DOC_NUMBER)}").status_code == 404
    assert not (data_dir_ / "uploads" / POLICY.name).exists()
    assert admin.delete(f"/v1/documents/{POLICY.name}").status_code == 404


def test_uploads_need_the_admin_key(url: str, client_for: Callable[..., httpx.Client]) -> None:
    files = {"file": (POLICY.name, POLICY.read_bytes())}
    assert client_for(url).post("/v1/documents", files=files).status_code == 401
    assert client_for(url, "not-admin").post("/v1/documents", files=files).status_code == 403
    assert client_for(url, "not-admin").delete(f"/v1/documents/{POLICY.name}").status_code == 403


@pytest.mark.parametrize("name", ["policy.exe", "catalog.json", "政策", "scan.PNG"])
def test_an_unsupported_file_type_is_415(admin: httpx.Client, name: str) -> None:
    response = admin.post("/v1/documents", files={"file": (name, b"hello")})
    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"
    assert ".txt" in response.json()["error"]["message"]


@pytest.mark.parametrize("extra_kb", [4, 400])
def test_an_oversize_file_is_413(admin: httpx.Client, extra_kb: int) -> None:
    # just over the limit (the route's own count) and far over it (the body limit before parsing)
    body = b"x" * (int(MAX_UPLOAD_MB * 1024 * 1024) + extra_kb * 1024)
    response = admin.post("/v1/documents", files={"file": ("big.txt", body)})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"
    assert "HUIQI_MAX_UPLOAD_MB" in response.json()["error"]["message"]


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("broken.pdf", b"%PDF-1.7 this is not really a pdf", "broken.pdf: cannot be read as pdf"),
        ("binary.txt", b"\x00\x01\x02" * 100, "binary.txt: looks like a binary file"),
        ("empty.md", b"   \n\n", "empty.md: the file holds no text"),
    ],
)
def test_an_unreadable_file_is_422_and_changes_nothing(
    admin: httpx.Client, data_dir_: Path, name: str, content: bytes, reason: str
) -> None:
    before = admin.get("/v1/policies").json()["policies"]
    response = admin.post("/v1/documents", files={"file": (name, content)})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "unreadable_document"
    assert response.json()["error"]["message"].startswith(reason)
    assert admin.get("/v1/policies").json()["policies"] == before
    assert not (data_dir_ / "uploads" / name).exists()


def test_an_upload_without_a_file_is_422(admin: httpx.Client) -> None:
    response = admin.post("/v1/documents", files={"other": ("a.txt", b"x")})
    assert response.status_code == 422
    assert "file" in response.json()["error"]["message"]


def test_deleting_an_unknown_source_is_404(admin: httpx.Client) -> None:
    response = admin.delete("/v1/documents/no-such-file.txt")
    assert response.status_code == 404
    assert "no-such-file.txt" in response.json()["error"]["message"]
