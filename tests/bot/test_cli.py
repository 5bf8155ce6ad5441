"""The huiqi command as a user runs it: a real process, real files, one JSON object per line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def huiqi(args: list[str], data_dir: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("HUIQI_", "OPENAI_"))}
    environment |= {"HUIQI_DATA_DIR": str(data_dir), "HUIQI_EMBEDDING": "none", **env}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args], cwd=ROOT, env=environment, capture_output=True,
        text=True, timeout=300, check=False,
    )


@pytest.fixture(scope="module")
def bm25_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled knowledge ingested by the CLI, BM25 only (the CLI is under test, not the vectors)."""
    data_dir = tmp_path_factory.mktemp("cli")
    result = huiqi(["ingest"], data_dir)
    assert result.returncode == 0, result.stderr
    assert "policies: 62" in result.stdout
    assert "files: 5" in result.stdout
    return data_dir


def test_ingest_again_changes_nothing_and_reports_skipped_files(bm25_dir: Path, tmp_path: Path) -> None:
    again = huiqi(["ingest"], bm25_dir)
    assert "(5 unchanged)" in again.stdout
    assert "+0 / -0" in again.stdout
    odd = tmp_path / "odd"
    odd.mkdir()
    (odd / "table.xlsx").write_bytes(b"PK\x03\x04")
    (odd / "empty.txt").write_text("", encoding="utf-8")
    skipped = huiqi(["ingest", str(odd)], bm25_dir)
    assert skipped.returncode == 0
    assert "skipped: table.xlsx" in skipped.stdout
    assert "skipped: empty.txt" in skipped.stdout


def test_search_batch_gives_one_json_object_per_line(bm25_dir: Path, tmp_path: Path) -> None:
    batch = tmp_path / "queries.txt"
    batch.write_text("高企 奖励\n创业担保贷款 额度\n", encoding="utf-8")
    result = huiqi(["search", "--batch", str(batch), "--json", "--top-k", "3"], bm25_dir)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["query"] for r in rows] == ["高企 奖励", "创业担保贷款 额度"]
    for row in rows:
        assert 0 < len(row["hits"]) <= 3
        assert {"text", "title", "doc_number", "clause", "source", "score"} <= row["hits"][0].keys()


def test_search_with_a_level_filter(bm25_dir: Path) -> None:
    result = huiqi(["search", "高新技术企业 奖励", "--level", "市", "--json"], bm25_dir)
    hits = json.loads(result.stdout)["hits"]
    assert hits
    assert {h["level"] for h in hits} == {"市"}


def test_ask_batch_gives_answers_in_the_stable_structure(bm25_dir: Path, tmp_path: Path) -> None:
    batch = tmp_path / "questions.txt"
    batch.write_text("创业担保贷款最多能贷多少？\n深圳市对企业在科创板上市奖励多少？\n", encoding="utf-8")
    result = huiqi(["ask", "--batch", str(batch), "--json"], bm25_dir)
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert {"answer", "citations", "answered", "mode", "session_id"} <= first.keys()
    assert first["answered"] is True
    assert first["citations"]
    assert second["answered"] is False


def test_policies_json_lists_the_catalogue(bm25_dir: Path) -> None:
    result = huiqi(["policies", "--json"], bm25_dir)
    policies = json.loads(result.stdout)
    assert len(policies) == 62
    assert any(p["doc_number"] == "安政办〔2021〕62号" and p["level"] == "市" for p in policies)


def test_user_errors_are_one_sentence_not_a_traceback(bm25_dir: Path, tmp_path: Path) -> None:
    missing = huiqi(["ask", "--batch", str(tmp_path / "nope.txt")], bm25_dir)
    assert missing.returncode == 1
    assert missing.stderr.startswith("huiqi: ")
    assert "Traceback" not in missing.stderr
    empty = huiqi(["ask", ""], bm25_dir)
    assert empty.returncode == 1
    assert "问题不能为空" in empty.stderr


def test_ingest_if_empty_embeds_anew_an_index_made_by_another_model(tmp_path: Path) -> None:
    knowledge = tmp_path / "knowledge"
    knowledge.mkdir()
    (knowledge / "policy.txt").write_text(
        "关于支持高新技术企业发展的若干政策\n安政办〔2021〕62号\n一、对首次认定的高新技术企业给予20万元奖励。\n"
        "二、对重新认定的高新技术企业给予5万元奖励。\n",
        encoding="utf-8",
    )
    data_dir = tmp_path / "data"
    e5 = {"HUIQI_EMBEDDING": "e5", "HUIQI_KNOWLEDGE_DIR": str(knowledge)}
    first = huiqi(["ingest"], data_dir, **e5, HUIQI_E5_PRECISION="q4")
    assert first.returncode == 0, first.stderr
    # an upgrade changes the default precision: `make run` (ingest --if-empty) must not serve the old vectors
    upgraded = huiqi(["ingest", "--if-empty"], data_dir, **e5, HUIQI_E5_PRECISION="int8")
    assert upgraded.returncode == 0, upgraded.stderr
    assert "embedded with multilingual-e5-small-q4, not multilingual-e5-small-int8" in upgraded.stderr
    manifest = json.loads((data_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["embedder"] == "multilingual-e5-small-int8"
    ready = huiqi(["ingest", "--if-empty"], data_dir, **e5, HUIQI_E5_PRECISION="int8")
    assert "index ready" in ready.stdout
