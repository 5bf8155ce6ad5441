"""The gold files are sound: every quote is an exact substring of its corpus file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eval.gold import DEFAULT_QA, includes, load_qa, squash

ROOT = Path(__file__).resolve().parents[2]
GOLD = DEFAULT_QA  # ours, the given ones, the held-out ones
TYPES = {"amount", "eligibility", "procedure", "multi", "document", "small-docs", "unanswerable"}


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.name)
def test_every_gold_quote_is_in_its_file(path: Path) -> None:
    for item in load_qa(path):
        for gold in item.gold:
            text = (ROOT / "knowledge" / gold.file).read_text(encoding="utf-8")
            assert gold.quote in text, f"{item.id}: quote not in {gold.file}: {gold.quote}"


@pytest.mark.parametrize("path", GOLD, ids=lambda p: p.name)
def test_items_are_well_formed(path: Path) -> None:
    items = load_qa(path)
    assert len({i.id for i in items}) == len(items)
    for item in items:
        assert item.type in TYPES, item.id
        if item.answerable:
            assert item.gold, item.id
            for must in item.must_include:
                assert any(includes(g.quote, must) for g in item.gold), f"{item.id}: {must} in no quote"
        else:
            assert not item.gold, item.id
            assert not item.must_include, item.id


def test_own_set_is_large_and_apart_from_the_given_one() -> None:
    own, given = load_qa(GOLD[0]), load_qa(GOLD[1])
    assert len(own) >= 80
    assert sum(not i.answerable for i in own) >= 10
    assert {i.type for i in own} == TYPES
    given_questions = {squash(i.question) for i in given}
    assert not [i.id for i in own if squash(i.question) in given_questions]
    raw = [json.loads(line) for line in GOLD[0].read_text(encoding="utf-8").splitlines() if line.strip()]
    assert all(row["id"].startswith("own") for row in raw)


def test_held_out_sets_are_apart_from_the_others() -> None:
    for n, path in enumerate(GOLD[2:], start=2):
        held_out = load_qa(path)
        seen = {squash(i.question) for other in GOLD[:n] for i in load_qa(other)}
        assert len(held_out) >= 30
        assert sum(not i.answerable for i in held_out) >= 6
        assert not [i.id for i in held_out if squash(i.question) in seen]
