"""The ``huiqi`` command: ingest, search, ask, chat, policies, eval, serve, telegram."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from bot.settings import Settings


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    try:
        settings = Settings()
        settings.check_production()
        result: int = args.handler(args, settings)
        return result
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the user gets one sentence; HUIQI_DEBUG=1 shows the traceback
        import os

        if os.environ.get("HUIQI_DEBUG"):
            raise
        print(f"huiqi: {_sentence(exc)}", file=sys.stderr)
        return 1


def _sentence(exc: Exception) -> str:
    from pydantic import ValidationError

    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"setting {'.'.join(map(str, first['loc'])).upper()} is invalid: {first['msg']}."
    return str(exc) or type(exc).__name__


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="huiqi", description="Huiqi (惠企): enterprise policy answers with cited clauses.")
    sub = p.add_subparsers(dest="command")

    s = sub.add_parser("ingest", help="index policy files (default: knowledge/)")
    s.add_argument("paths", nargs="*", type=Path)
    s.add_argument("--prune", action="store_true", help="remove clauses of files that are gone")
    s.add_argument(
        "--if-empty",
        action="store_true",
        help="only ingest when the index is empty, or was embedded by another model than the one configured",
    )
    s.set_defaults(handler=cmd_ingest)

    s = sub.add_parser("search", help="find clauses")
    s.add_argument("query", nargs="?")
    s.add_argument("--batch", type=Path, help="file with one query per line")
    s.add_argument("--top-k", type=int, default=5)
    _filter_args(s)
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=cmd_search)

    s = sub.add_parser("ask", help="answer a question with cited clauses")
    s.add_argument("question", nargs="?")
    s.add_argument("--batch", type=Path, help="file with one question per line")
    s.add_argument("--session", help="session id for follow-up questions")
    _filter_args(s)
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=cmd_ask)

    s = sub.add_parser("chat", help="a conversation in the terminal")
    s.set_defaults(handler=cmd_chat)

    s = sub.add_parser("policies", help="the catalogue of indexed policies")
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=cmd_policies)

    s = sub.add_parser("eval", help="evaluate retrieval or answers on gold Q&A pairs")
    s.add_argument("what", choices=["retrieval", "answers", "report"])
    s.add_argument("--qa", type=Path, action="append", help="gold JSONL file (repeatable)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(handler=cmd_eval)

    s = sub.add_parser("serve", help="run the HTTP API")
    s.add_argument("--host")
    s.add_argument("--port", type=int)
    s.set_defaults(handler=cmd_serve)

    s = sub.add_parser("telegram", help="run the Telegram bot (long polling)")
    s.set_defaults(handler=cmd_telegram)
    return p


def _filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--level", choices=["国家", "省", "市", "县"])
    p.add_argument("--region")
    p.add_argument("--issuer")
    p.add_argument("--doc-number")
    p.add_argument("--source")


def _filters(args: argparse.Namespace) -> Any:
    from retrieval.types import Filters

    f = Filters(level=args.level, region=args.region, issuer=args.issuer, doc_number=args.doc_number,
                source=args.source)
    return None if f.is_empty() else f


def _lines(path: Path) -> Iterable[str]:
    if not path.exists():
        raise FileNotFoundError(f"the batch file {path} does not exist.")
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _emit(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False), flush=True)


# ---- commands ------------------------------------------------------------------------------


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> int:
    from tqdm import tqdm

    from retrieval.knowledge_base import KnowledgeBase

    kb = KnowledgeBase(settings)
    other = kb.built_by_another_embedder()
    if args.if_empty and not kb.is_empty() and other is None:
        print(f"index ready: {kb.clause_count()} clauses in {settings.data_dir}")
        return 0
    if other is not None:
        print(f"the index was embedded with {other}, not {kb.embedder_name}: embedding it anew", file=sys.stderr)
    paths = args.paths or [settings.knowledge_dir]
    files = sum(1 for p in paths for f in (p.rglob("*") if p.is_dir() else [p]) if f.name != "catalog.json")
    bar = tqdm(total=files, unit="file", desc="ingest", file=sys.stderr)

    def tick(name: str) -> None:
        bar.set_postfix_str(name[:40])
        bar.update(1)

    report = kb.ingest(paths, prune=args.prune, progress=tick)
    bar.close()
    print(
        f"files: {report.files} ({report.unchanged} unchanged)  policies: {report.policies}  "
        f"clauses: {report.clauses} (+{report.added} / -{report.removed}"
        f"{f' / {report.updated} updated' if report.updated else ''})  time: {report.seconds:.1f} s"
    )
    for source in report.pruned:
        print(f"pruned: {source}")
    for name, reason in report.skipped:
        print(f"skipped: {name}: {reason}")
    return 0


def cmd_search(args: argparse.Namespace, settings: Settings) -> int:
    from bot.assistant import Assistant

    assistant = Assistant(settings)
    queries = _lines(args.batch) if args.batch else [args.query or ""]
    for query in queries:
        hits = assistant.search(query, args.top_k, _filters(args))
        if args.json or args.batch:
            _emit({"query": query, "hits": [h.to_dict() for h in hits]})
            continue
        for i, hit in enumerate(hits, 1):
            c = hit.clause
            print(f"[{i}] {hit.score:.3f} 《{c.title}》{c.doc_number} {c.clause}\n{c.text}\n")
    return 0


def cmd_ask(args: argparse.Namespace, settings: Settings) -> int:
    from bot.assistant import Assistant

    assistant = Assistant(settings)
    questions = _lines(args.batch) if args.batch else [args.question or ""]
    for question in questions:
        answer = assistant.ask(question, args.session, _filters(args))
        if args.json or args.batch:
            _emit(answer.to_dict())
        else:
            _print_answer(answer)
    return 0


def _print_answer(answer: Any) -> None:
    if answer.notice:
        print(f"（{answer.notice}）")
    print(answer.answer)
    for c in answer.citations:
        print(f"  [{c.n}] {c.reference()}")
    print(f"(session {answer.session_id}, {answer.mode})")


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.assistant import Assistant, QuestionError

    assistant = Assistant(settings)
    session = assistant.new_session()
    print("惠企政策助手：请输入问题（/new 新对话，/quit 退出）")
    while True:
        try:
            question = input("> ").strip()
        except EOFError:
            return 0
        if question in {"/quit", "/exit"}:
            return 0
        if question == "/new":
            session = assistant.new_session(session)
            print("已开始新对话。")
            continue
        try:
            _print_answer(assistant.ask(question, session))
        except QuestionError as exc:
            print(exc)


def cmd_policies(args: argparse.Namespace, settings: Settings) -> int:
    from retrieval.knowledge_base import KnowledgeBase

    policies = KnowledgeBase(settings).policies()
    if args.json:
        _emit([p.to_dict() for p in policies])
        return 0
    for p in policies:
        print(f"{p.level or '-'}\t{p.date or '-'}\t{p.doc_number or '-'}\t{p.clause_count}\t{p.title}\t{p.issuer}")
    return 0


def cmd_eval(args: argparse.Namespace, settings: Settings) -> int:
    # The CLI is the harness's front door; eval/ itself imports only the public services.
    from eval.run import run_eval

    return run_eval(args.what, args.qa or [], settings, as_json=args.json)


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    from bot.api.server import serve

    serve(settings, args.host or settings.host, args.port or settings.port)
    return 0


def cmd_telegram(args: argparse.Namespace, settings: Settings) -> int:
    from bot.channels.telegram_channel import run_polling

    run_polling(settings)
    return 0


if __name__ == "__main__":
    sys.exit(main())
