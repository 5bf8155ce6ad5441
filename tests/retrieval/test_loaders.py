"""Loaders: real .txt/.md/.pdf/.docx/.html files in, clauses with the right metadata and headings out."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.settings import Settings
from retrieval.chunker import split_clauses
from retrieval.cleaner import squash
from retrieval.knowledge_base import KnowledgeBase
from retrieval.loaders import LoadError, load_text
from retrieval.policy_splitter import Policy, split_policies
from retrieval.types import Clause
from tests.support import make_docs

KINDS = ("txt", "md", "pdf", "docx", "html")
TABLE_KINDS = ("txt", "md", "docx", "html")
WRITERS: dict[str, Callable[..., Path]] = {
    "txt": make_docs.write_txt,
    "md": make_docs.write_md,
    "docx": make_docs.write_docx,
    "html": make_docs.write_html,
}


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The same policy written once in each supported kind."""
    folder = tmp_path_factory.mktemp("kinds")
    files = {kind: writer(folder / f"measures.{kind}") for kind, writer in WRITERS.items()}
    font = make_docs.cjk_font()
    if font is not None:
        files["pdf"] = make_docs.write_pdf(folder / "measures.pdf", font)
    return files


def _split(path: Path) -> tuple[Policy, list[Clause]]:
    text = load_text(path)
    policies = split_policies(text, path.name)
    assert len(policies) == 1, [p.title for p in policies]
    return policies[0], split_clauses(text, policies[0])


def _file(written: dict[str, Path], kind: str) -> Path:
    if kind not in written:
        pytest.skip("no TrueType CJK font for fpdf2: run scripts/install-test-deps.sh")
    return written[kind]


@pytest.mark.parametrize("kind", KINDS)
def test_policy_metadata_is_read_from_each_kind(written: dict[str, Path], kind: str) -> None:
    policy, _ = _split(_file(written, kind))
    assert policy.title == make_docs.TITLE
    assert policy.doc_number == make_docs.DOC_NUMBER
    assert policy.issuer == make_docs.ISSUER
    assert (policy.level, policy.region, policy.date) == ("市", "华阳市", "2023-03-15")
    assert policy.source == f"measures.{kind}"


@pytest.mark.parametrize("kind", KINDS)
def test_clauses_follow_the_numbered_headings(written: dict[str, Path], kind: str) -> None:
    _, clauses = _split(_file(written, kind))
    by_path = {c.path: c for c in clauses}
    first = by_path[("一、加大财政支持力度", "（一）研发费用补助")]
    assert first.clause == "一、（一）"
    # the bare section heading leads the clause of its first item
    assert first.text.startswith("一、加大财政支持力度\n（一）研发费用补助。")
    second = by_path[("一、加大财政支持力度", "（二）首次认定高新技术企业奖励")]
    assert second.clause == "一、（二）"
    assert "给予20万元一次性奖励" in second.text
    # Every measure comes out whole, in exactly one clause, whatever the file kind did to its lines.
    for section in make_docs.SECTIONS:
        for item in section.items:
            holders = [c for c in clauses if squash(item.text) in squash(c.text)]
            assert len(holders) == 1, (item.heading, [c.path for c in holders])
            assert holders[0].path[0] == section.heading


@pytest.mark.parametrize("kind", KINDS)
def test_clauses_hold_no_boilerplate_or_page_numbers(written: dict[str, Path], kind: str) -> None:
    _, clauses = _split(_file(written, kind))
    for clause in clauses:
        for word in (*make_docs.HTML_BOILERPLATE, "来源：", "浏览次数", "站内搜索", "#"):
            assert word not in clause.text, (word, clause.path)
        assert not re.search(r"^\s*(?:-\s*\d+\s*-|第\s*\d+\s*页)\s*$", clause.text, re.M), clause.text


@pytest.mark.parametrize("kind", TABLE_KINDS)
def test_table_rows_stay_whole_and_every_part_keeps_the_header(tmp_path: Path, kind: str) -> None:
    path = WRITERS[kind](tmp_path / f"list.{kind}", rows=make_docs.LONG_TABLE_ROWS)
    _, clauses = _split(path)
    header = "\t".join(make_docs.TABLE_HEADER)
    parts = [[line for line in c.text.split("\n") if "\t" in line] for c in clauses]
    parts = [p for p in parts if p]
    assert len(parts) >= 2, "the 清单 is longer than one clause, so it must be cut"
    assert all(p[0] == header for p in parts), [p[0] for p in parts]
    rows = [row for p in parts for row in p[1:]]
    assert rows == ["\t".join(r) for r in make_docs.LONG_TABLE_ROWS]  # each row once, whole, in order


def test_pdf_lines_broken_by_wrapping_and_pages_are_rejoined(written: dict[str, Path]) -> None:
    path = _file(written, "pdf")
    raw = load_text(path)
    assert "\n- 1 -\n" in raw, "the fixture PDF should carry a page-number footer"
    assert "0.5%\n" in raw, "the fixture PDF should break a sentence across lines"
    _, clauses = _split(path)
    guarantee = next(c for c in clauses if "融资担保费补贴" in c.text)
    assert "再给予担保机构0.5%的风险补偿。" in guarantee.text  # cut by the page end in the PDF
    assert "按照研发费用增量部分的10%给予补助" in squash(clauses[1].text)


def test_a_pdf_whose_text_pypdf_cannot_decode_is_refused(tmp_path: Path) -> None:
    """fpdf2 with a CFF CJK font gives text pypdf decodes as NUL-separated garbage: refuse, don't index it."""
    import subprocess

    listing = subprocess.run(
        ["fc-list", ":lang=zh:fontformat=CFF", "file"], capture_output=True, text=True, check=False
    ).stdout
    fonts = sorted(line.split(":", 1)[0] for line in listing.splitlines() if "Regular" in line)
    if not fonts:
        pytest.skip("no CFF-outlined CJK font (fonts-noto-cjk) installed")
    path = make_docs.write_pdf(tmp_path / "garbled.pdf", Path(fonts[0]))
    with pytest.raises(LoadError, match=r"^garbled\.pdf: the PDF's text cannot be extracted correctly"):
        load_text(path)


def _one_sentence(message: str, name: str) -> None:
    assert message.startswith(f"{name}: ")
    assert "\n" not in message
    assert message.endswith(".")
    assert "Traceback" not in message


@pytest.mark.parametrize(
    ("name", "build", "reason"),
    [
        (
            "notes.xlsx",
            lambda p: p.write_bytes(b"PK\x03\x04 not really a workbook"),
            "unsupported file type '.xlsx'",
        ),
        ("broken.pdf", make_docs.write_corrupt_pdf, "cannot be read as pdf"),
        ("image.txt", make_docs.write_binary, "looks like a binary file"),
        ("blank.md", make_docs.write_empty, "the file holds no text"),
        ("blank.docx", lambda p: p.write_bytes(b""), "cannot be read as docx"),
    ],
)
def test_unreadable_files_raise_load_error_with_one_sentence(
    tmp_path: Path, name: str, build: Callable[[Path], object], reason: str
) -> None:
    path = tmp_path / name
    build(path)
    with pytest.raises(LoadError) as caught:
        load_text(path)
    message = str(caught.value)
    _one_sentence(message, name)
    assert reason in message


def test_gb18030_text_is_read(tmp_path: Path) -> None:
    path = tmp_path / "gbk.txt"
    path.write_bytes(make_docs.SECOND_TEXT.encode("gb18030"))
    assert load_text(path) == make_docs.SECOND_TEXT


def test_markdown_offsets_still_point_into_the_file(written: dict[str, Path]) -> None:
    path = written["md"]
    source = path.read_text(encoding="utf-8")
    _, clauses = _split(path)
    for clause in clauses:
        start, end = clause.span
        assert squash(clause.text)[:10] in squash(source[start : end + 1])


def test_ingest_skips_bad_files_and_keeps_the_rest(
    tmp_path: Path, open_kb: Callable[[Settings], KnowledgeBase], fresh_settings: Settings
) -> None:
    docs = tmp_path / "mixed"
    docs.mkdir()
    make_docs.write_docx(docs / "measures.docx")
    make_docs.write_second_txt(docs / "employment.txt")
    make_docs.write_corrupt_pdf(docs / "broken.pdf")
    make_docs.write_binary(docs / "image.txt")
    make_docs.write_empty(docs / "blank.md")
    (docs / "notes.xlsx").write_bytes(b"PK\x03\x04")
    kb = open_kb(fresh_settings)
    report = kb.ingest([docs])
    skipped = dict(report.skipped)
    assert set(skipped) == {"broken.pdf", "image.txt", "blank.md", "notes.xlsx"}
    for reason in skipped.values():
        assert reason
        assert "\n" not in reason
        assert "Traceback" not in reason
    assert "unsupported file type '.xlsx'" in skipped["notes.xlsx"]
    assert kb.sources() == ["employment.txt", "measures.docx"]
    assert report.policies == 2
    assert report.added == report.clauses == kb.clause_count() > 0
    hits = kb.search("首次认定高新技术企业给多少奖励", k=3)
    assert hits
    assert hits[0].clause.source == "measures.docx"
    assert "20万元" in hits[0].clause.text
    assert report.to_dict()["skipped"][0].keys() == {"file", "reason"}
