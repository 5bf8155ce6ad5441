"""The knowledge base: ingest files into clauses, keep Chroma and BM25 in step, search both.

State in ``data_dir``: ``chroma/`` (embedded Chroma, unless a server URL is set), ``lexical/`` (the
BM25 index), ``clauses.jsonl`` (every clause, verbatim, with its tokens) and ``manifest.json``
(per source file: content hash and clause ids). Each file is committed on its own, so an
interrupted ingest leaves a usable index and a re-run finishes the rest.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from retrieval.cache import LRUCache
from retrieval.chunker import split_clauses
from retrieval.embeddings import Embedder, make_embedder
from retrieval.hybrid_search import FusionParams, fuse
from retrieval.lexical import LexicalIndex, clause_words, expand_query, query_groups, query_tokens, tokenize
from retrieval.loaders import SUPPORTED_SUFFIXES, LoadError, load_text
from retrieval.policy_splitter import split_policies
from retrieval.settings import RetrievalSettings
from retrieval.support import POOL as REORDER_POOL
from retrieval.support import asks_to_reorder, leading_first
from retrieval.types import Clause, Filters, Hit, PolicyInfo
from retrieval.vector_store import VectorStore

CATALOG_FILE = "catalog.json"
# Bumped whenever loading, cleaning, splitting or tokenising changes what a file turns into, so that
# an index built by an older version re-reads every file (clauses whose text is unchanged keep their
# vectors).
PIPELINE_VERSION = "31"


@dataclass
class IngestReport:
    """What an ingest did, for the CLI summary and the API."""

    files: int = 0
    unchanged: int = 0
    policies: int = 0
    clauses: int = 0
    added: int = 0
    updated: int = 0  # same text, new metadata (a newer splitter, an edited catalogue entry)
    removed: int = 0
    pruned: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "files": self.files,
            "unchanged": self.unchanged,
            "policies": self.policies,
            "clauses": self.clauses,
            "added": self.added,
            "updated": self.updated,
            "removed": self.removed,
            "pruned": self.pruned,
            "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
            "seconds": round(self.seconds, 2),
        }


@dataclass(frozen=True)
class _View:
    """What searches read: swapped whole after each write, so a search never sees half an ingest."""

    clauses: dict[str, Clause]
    ids: list[str]
    pos: dict[str, int]
    token_sets: list[frozenset[str]]
    idf: dict[str, float]
    lexical: LexicalIndex
    results: LRUCache[tuple[Hit, ...]]  # searches already answered against this very view
    version: int = 0


class KnowledgeBase:
    """``ingest(paths)``, ``search(query, k, filters)``, ``policies()``; thread-safe for readers."""

    def __init__(self, settings: RetrievalSettings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        self.data_dir = Path(settings.data_dir)
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self._embedder = embedder if embedder is not None else make_embedder(settings)
        self._store: VectorStore | None = None
        if self._embedder is not None:
            self._store = VectorStore(
                self._embedder, settings.collection, self.data_dir, settings.chroma_url, settings.vector_chars
            )
        self._params = FusionParams(
            vector_weight=settings.vector_weight,
            depth=settings.candidate_depth,
            coverage_weight=settings.coverage_weight,
            vector_depth=settings.vector_depth,
        )
        self._write_lock = threading.Lock()
        self._manifest = self._read_json(self.data_dir / "manifest.json", {"embedder": None, "files": {}})
        self._clauses: dict[str, Clause] = {}
        self._tokens: dict[str, list[str]] = {}
        self._writes = 0  # snapshots built so far: each one's version
        self._lexical_stale = False  # same ids, new tokens: BM25 must be rebuilt
        self._load_clauses()
        self._lexical = LexicalIndex.load(self.data_dir / "lexical")
        self._refresh_views()

    # ---- reading -------------------------------------------------------------------------

    @property
    def version(self) -> int:
        """Grows with every write; read with the snapshot, so it never runs ahead of what a search sees."""
        return self._view.version

    @property
    def embedder_name(self) -> str:
        """The model and how much of each clause it embeds: a change of either re-embeds everything."""
        if self._embedder is None:
            return "none"
        name = str(getattr(self._embedder, "name", type(self._embedder).__name__))
        return f"{name}/{self.settings.vector_chars}" if self.settings.vector_chars else name

    def is_empty(self) -> bool:
        return not self._view.ids

    def built_by_another_embedder(self) -> str | None:
        """The embedder that made the stored vectors, when it is not the one configured now."""
        built = self._manifest.get("embedder")
        return built if built not in (None, self.embedder_name) and self._manifest["files"] else None

    def clause_count(self) -> int:
        return len(self._view.ids)

    def ready(self) -> tuple[bool, str]:
        """Whether searches can be served, and why not."""
        if not self._view.ids:
            return False, "the index is empty: run `huiqi ingest`"
        if self._store is not None and not self._store.ping():
            return False, f"Chroma at {self._store.where} does not answer"
        return True, "ok"

    @property
    def idf(self) -> dict[str, float]:
        """Inverse document frequency of each indexed token."""
        return self._view.idf

    def words(self, clause: Clause) -> frozenset[str]:
        """``clause_words`` of an indexed clause, read from the index instead of cut again."""
        view = self._view
        i = view.pos.get(clause.id)
        return view.token_sets[i] if i is not None else clause_words(clause)

    def get(self, clause_id: str) -> Clause | None:
        return self._view.clauses.get(clause_id)

    def search(self, query: str, k: int = 5, filters: Filters | None = None, vectors: bool = True) -> list[Hit]:
        """The ``k`` clauses that best answer ``query``, best first; without ``vectors``, by words alone
        (no query vector to compute: a question's part, searched beside the whole question)."""
        view = self._view
        query = query.strip()
        if not query or not view.ids:
            return []
        key = (query, k, filters.key() if filters is not None else None, vectors)
        cached = view.results.get(key)
        if cached is not None:
            return list(cached)
        tokens = query_tokens(query)
        lexical = view.lexical.scores(tokens, expand_query(query))
        if len(lexical) != len(view.ids):
            lexical = np.zeros(len(view.ids), dtype=np.float32)
        allowed = None
        if filters is not None and not filters.is_empty():
            allowed = np.array([filters.matches(view.clauses[cid]) for cid in view.ids], dtype=bool)
        vector: dict[int, float] = {}
        if vectors and self._store is not None and self._params.vector_weight > 0:
            for clause_id, sim in self._store.query(query, self._params.vector_depth, filters):
                idx = view.pos.get(clause_id)
                if idx is not None:
                    vector[idx] = sim
        reorder = asks_to_reorder(query)
        pool = max(k, REORDER_POOL) if reorder else k  # the same candidates whatever k is
        ranked = fuse(lexical, vector, query_groups(query), view.token_sets, view.idf, allowed, self._params, pool)
        hits = [Hit(view.clauses[view.ids[i]], score, coverage) for i, score, coverage in ranked]
        if reorder:
            hits = leading_first(query, hits, view.idf)[:k]
        view.results.put(key, tuple(hits))
        return hits

    def policies(self) -> list[PolicyInfo]:
        """The catalogue, in source order."""
        seen: dict[str, PolicyInfo] = {}
        counts: dict[str, int] = {}
        for clause in self.clauses():
            counts[clause.policy_id] = counts.get(clause.policy_id, 0) + 1
            if clause.policy_id not in seen:
                seen[clause.policy_id] = PolicyInfo(
                    title=clause.title,
                    doc_number=clause.doc_number,
                    issuer=clause.issuer,
                    level=clause.level,
                    region=clause.region,
                    date=clause.date,
                    source=clause.source,
                    policy_id=clause.policy_id,
                )
        return [PolicyInfo(**{**p.to_dict(), "clause_count": counts[p.policy_id]}) for p in seen.values()]

    def clauses(self) -> list[Clause]:
        """Every indexed clause, in source order."""
        view = self._view
        return [view.clauses[cid] for cid in view.ids]

    def policy_clauses(self, key: str) -> list[Clause]:
        """The clauses of one policy, in order; ``key`` is a policy id or a document number."""
        flat = "".join(key.split())
        return [c for c in self.clauses() if flat in (c.policy_id, c.doc_number)]

    # ---- writing -------------------------------------------------------------------------

    def ingest(
        self,
        paths: Iterable[Path],
        prune: bool = False,
        progress: Callable[[str], None] | None = None,
    ) -> IngestReport:
        """Add or refresh the files under ``paths``; with ``prune``, drop files no longer there."""
        started = time.perf_counter()
        report = IngestReport()
        with self._write_lock:
            if self._manifest.get("embedder") not in (None, self.embedder_name) and self._manifest["files"]:
                self._reset_store()  # vectors from another model cannot be mixed
            files, catalog = self._collect(paths, report)
            for path in files:
                if progress:
                    progress(path.name)
                self._ingest_file(path, catalog.get(path.name), report)
            if prune:
                present = {p.name for p in files} | {name for name, _ in report.skipped}
                for source in sorted(set(self._manifest["files"]) - present):
                    report.removed += self._drop_source(source)
                    report.pruned.append(source)
                self._commit()
        report.policies = len({c.policy_id for c in self._clauses.values()})
        report.clauses = len(self._clauses)
        report.seconds = time.perf_counter() - started
        return report

    def remove_source(self, source: str) -> int:
        """Delete every clause of one source file; returns how many were removed."""
        with self._write_lock:
            removed = self._drop_source(source)
            self._commit()
        return removed

    def sources(self) -> list[str]:
        return sorted(self._manifest["files"])

    def _collect(self, paths: Iterable[Path], report: IngestReport) -> tuple[list[Path], dict[str, dict[str, str]]]:
        files: list[Path] = []
        catalog: dict[str, dict[str, str]] = {}
        for root in paths:
            root = Path(root)
            if root.is_dir():
                catalog.update(self._read_json(root / CATALOG_FILE, {}))
                found = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
                for p in found:
                    if p.name == CATALOG_FILE:
                        continue
                    if p.suffix.lower() in SUPPORTED_SUFFIXES:
                        files.append(p)
                    else:
                        report.skipped.append((p.name, f"unsupported file type '{p.suffix or '(none)'}'"))
            elif root.is_file():
                catalog.update(self._read_json(root.parent / CATALOG_FILE, {}))
                files.append(root)
            else:
                report.skipped.append((str(root), "no such file or directory"))
        return files, {k: v for k, v in catalog.items() if isinstance(v, dict)}

    def _ingest_file(self, path: Path, overrides: dict[str, str] | None, report: IngestReport) -> None:
        report.files += 1
        try:
            raw = path.read_bytes()
        except OSError as exc:
            report.skipped.append((path.name, f"cannot be opened ({exc.strerror})"))
            return
        recipe = {"pipeline": PIPELINE_VERSION, "max_clause_chars": self.settings.max_clause_chars,
                  "overrides": overrides or {}}
        digest = hashlib.sha256(raw + json.dumps(recipe, sort_keys=True).encode()).hexdigest()
        known = self._manifest["files"].get(path.name)
        if known and known.get("sha256") == digest and self._store_has(known.get("ids", [])):
            report.unchanged += 1
            return
        try:
            text = load_text(path)
            clauses = self._split(text, path.name, overrides)
        except LoadError as exc:
            report.skipped.append((path.name, str(exc)))
            return
        if not clauses:
            report.skipped.append((path.name, "no clauses could be found in the text"))
            return
        new_ids = {c.id for c in clauses}
        old_ids = set(known.get("ids", [])) if known else set()
        fresh = [c for c in clauses if c.id not in old_ids or c.id not in self._clauses]
        # The id hashes policy (title, 文号), path and text: all that is embedded. A clause that
        # keeps its id can only have new metadata (issuer, level, date, span), stored as it is.
        changed = [c for c in clauses if c.id in old_ids and self._clauses.get(c.id, c) != c]
        if self._store is not None:
            self._store.upsert(fresh)
            self._store.update_metadata(changed)
            self._store.delete(sorted(old_ids - new_ids))
        for clause_id in old_ids - new_ids:
            self._clauses.pop(clause_id, None)
            self._tokens.pop(clause_id, None)
        for clause in clauses:
            tokens = tokenize(clause.index_text())  # a newer vocabulary cuts the same text anew
            if self._tokens.get(clause.id, tokens) != tokens:
                self._lexical_stale = True
            self._tokens[clause.id] = tokens
            self._clauses[clause.id] = clause
        report.added += len(fresh)
        report.updated += len(changed)
        report.removed += len(old_ids - new_ids)
        self._manifest["files"][path.name] = {"sha256": digest, "ids": [c.id for c in clauses]}
        self._commit()

    def _split(self, text: str, source: str, overrides: dict[str, str] | None) -> list[Clause]:
        clauses: list[Clause] = []
        for policy in split_policies(text, source, overrides):
            clauses.extend(split_clauses(text, policy, self.settings.max_clause_chars))
        return clauses

    def _store_has(self, ids: list[str]) -> bool:
        if not all(i in self._clauses for i in ids):
            return False
        return self._store is None or self._manifest.get("embedder") == self.embedder_name

    def _drop_source(self, source: str) -> int:
        known = self._manifest["files"].pop(source, None)
        if not known:
            return 0
        ids = [i for i in known.get("ids", []) if i in self._clauses]
        if self._store is not None:
            self._store.delete(ids)
        for clause_id in ids:
            self._clauses.pop(clause_id, None)
            self._tokens.pop(clause_id, None)
        return len(ids)

    def _reset_store(self) -> None:
        if self._store is not None:
            self._store.delete(sorted(self._store.ids()))
        self._manifest = {"embedder": None, "files": {}}
        self._clauses.clear()
        self._tokens.clear()

    def _commit(self) -> None:
        """Write clauses, BM25 and manifest; the manifest last, so a crash re-does the file."""
        self._manifest["embedder"] = self.embedder_name
        rows = [
            json.dumps({"id": c.id, "text": c.text, "meta": c.metadata(), "tokens": self._tokens[c.id]},
                       ensure_ascii=False)
            for c in self._ordered()
        ]
        self._atomic_write(self.data_dir / "clauses.jsonl", "\n".join(rows) + ("\n" if rows else ""))
        self._refresh_views()
        self._lexical.save(self.data_dir / "lexical")
        self._atomic_write(self.data_dir / "manifest.json", json.dumps(self._manifest, ensure_ascii=False))

    # ---- internals -----------------------------------------------------------------------

    def _ordered(self) -> list[Clause]:
        order = {name: i for i, name in enumerate(self._manifest["files"])}
        return sorted(self._clauses.values(), key=lambda c: (order.get(c.source, 1 << 30), c.span[0], c.order))

    def _load_clauses(self) -> None:
        path = self.data_dir / "clauses.jsonl"
        if not path.exists():
            return
        known = {i for f in self._manifest["files"].values() for i in f.get("ids", [])}
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line.strip():
                continue
            row = json.loads(line)
            if row["id"] in known:
                clause = Clause.from_metadata(row["text"], row["meta"])
                self._clauses[clause.id] = clause
                self._tokens[clause.id] = row["tokens"]

    def _refresh_views(self) -> None:
        ordered = self._ordered()
        ids = [c.id for c in ordered]
        token_sets = [frozenset(self._tokens[cid]) for cid in ids]
        df: dict[str, int] = {}
        for tokens in token_sets:
            for t in tokens:
                df[t] = df.get(t, 0) + 1
        n = max(len(ids), 1)
        if self._lexical_stale or self._lexical.ids != ids:
            self._lexical = LexicalIndex()
            self._lexical.build(ids, [self._tokens[cid] for cid in ids], [c.index_text() for c in ordered])
            self._lexical_stale = False
        self._writes += 1
        self._view = _View(
            version=self._writes,
            clauses=dict(self._clauses),
            ids=ids,
            pos={cid: i for i, cid in enumerate(ids)},
            token_sets=token_sets,
            idf={t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()},
            lexical=self._lexical,
            results=LRUCache(self.settings.search_cache_size),
        )

    @staticmethod
    def _read_json(path: Path, default: Any) -> Any:
        if not path.exists():
            return default
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            return default
        return data if isinstance(data, type(default)) else default

    @staticmethod
    def _atomic_write(path: Path, content: str) -> None:
        tmp = path.with_suffix(path.suffix + ".tmp")
        tmp.write_text(content, encoding="utf-8")
        os.replace(tmp, path)
