"""Load benchmark of the HTTP API: /v1/search and /v1/ask under 16 concurrent clients.

Starts the real server (offline extractive mode) with uvicorn on 127.0.0.1 in a subprocess, sends
the eval questions (eval/qa.jsonl and eval/dev_qa.jsonl, cycled) from a lean keep-alive client, and
records latency percentiles, throughput, errors and the server's resident memory into
benchmarks/results/load_api.json, then prints a markdown table.

Usage::

    .venv/bin/python benchmarks/load_api.py                      # 2000 requests per endpoint
    .venv/bin/python benchmarks/load_api.py --requests 500 --data-dir data

Without ``--data-dir`` (or when it holds no index) the bundled knowledge is ingested into a
temporary directory first. The run stops after ``--time-limit`` seconds in total, whatever the count.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

from eval.gold import GATED_QA, questions

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "benchmarks" / "results" / "load_api.json"
TARGETS = {
    "/v1/ask": {"p95_ms": 150.0},
    "/v1/search": {"p95_ms": 50.0, "rps": 100.0},
    "server": {"rss_mb": 1024.0},
}

SERVER = """
import sys
from bot.api.server import serve
from bot.settings import Settings
serve(Settings(), "127.0.0.1", int(sys.argv[1]))
"""

INGEST = """
from bot.settings import Settings
from retrieval.knowledge_base import KnowledgeBase
settings = Settings()
report = KnowledgeBase(settings).ingest([settings.knowledge_dir])
print(report.clauses, "clauses indexed in", round(report.seconds, 1), "s")
"""


def server_env(data_dir: Path, embedding: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUIQI_", "OPENAI_"))}
    env.update(
        HUIQI_DATA_DIR=str(data_dir),
        HUIQI_KNOWLEDGE_DIR=str(ROOT / "knowledge"),
        HUIQI_RATE_LIMIT_PER_MINUTE="0",  # the limiter would be the thing measured otherwise
        PYTHONPATH=str(ROOT),
    )
    if embedding:
        env["HUIQI_EMBEDDING"] = embedding
    return env


def ensure_index(data_dir: Path, env: dict[str, str]) -> None:
    if (data_dir / "manifest.json").exists() and (data_dir / "clauses.jsonl").exists():
        return
    print(f"ingesting knowledge/ into {data_dir} …", flush=True)
    subprocess.run([sys.executable, "-c", INGEST], env=env, cwd=ROOT, check=True)


def rss_mb(pid: int) -> dict[str, float]:
    """Current and peak resident set size of ``pid`` from /proc (psutil is not needed)."""
    fields: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    return {"rss_mb": round(fields.get("VmRSS", 0.0), 1), "peak_rss_mb": round(fields.get("VmHWM", 0.0), 1)}


def wait_ready(url: str, proc: subprocess.Popen[bytes], timeout: float = 180.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with code {proc.returncode}; see its log")
        try:
            if httpx.get(f"{url}/readyz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    raise RuntimeError("the server did not become ready")


def percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    index = min(len(sorted_values) - 1, max(0, round(q / 100 * len(sorted_values) + 0.5) - 1))
    return sorted_values[index]


class Connection:
    """One keep-alive HTTP/1.1 connection on raw asyncio streams.

    An httpx client spent 1.45 ms of CPU per request here, twice the server's 0.69 ms, on the same two
    cores: the figures measured the client. This one does the least work a client can (bodies are
    encoded before the clock starts), so the latency is the server's, as with wrk.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, payload: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        head = (
            f"POST {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
        ).encode()
        self.writer.write(head + payload)
        await self.writer.drain()
        raw = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").lower()
        status = int(raw[9:12])
        headers = dict(line.split(": ", 1) for line in raw.split("\r\n")[1:] if ": " in line)
        if headers.get("transfer-encoding") == "chunked":
            body = await self._chunked()
        else:
            body = await self.reader.readexactly(int(headers.get("content-length", "0")))
        if headers.get("connection") == "close":
            await self.close()
        return status, body

    async def _chunked(self) -> bytes:
        assert self.reader is not None
        parts = []
        while size := int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16):
            parts.append(await self.reader.readexactly(size + 2))
        while await self.reader.readuntil(b"\r\n") != b"\r\n":
            pass  # trailers, up to the empty line
        return b"".join(p[:-2] for p in parts)

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.reader = self.writer = None


async def load(
    url: str, path: str, qs: list[str], total: int, concurrency: int, budget: float
) -> dict[str, Any]:
    """Send ``total`` requests (or as many as fit in ``budget`` seconds) from ``concurrency`` workers."""
    latencies: list[float] = []
    first_sight: list[float] = []  # the first pass over the questions: new ones pay their query vector
    repeat: list[float] = []  # the later passes: the same questions again
    errors: list[str] = []
    issued = 0
    deadline = time.monotonic() + budget
    host, port = url.removeprefix("http://").split(":")
    field = "query" if path == "/v1/search" else "question"
    extra = {"top_k": 5} if path == "/v1/search" else {}
    payloads = [json.dumps({field: q, **extra}, ensure_ascii=False).encode() for q in qs]

    async def worker() -> None:
        nonlocal issued
        connection = Connection(host, int(port))
        try:
            while issued < total and time.monotonic() < deadline:
                i = issued
                issued += 1
                started = time.perf_counter()
                try:
                    async with asyncio.timeout(60):  # a hung server is an error, not a stalled run
                        status, text = await connection.post(path, payloads[i % len(payloads)])
                    if status != 200:
                        errors.append(f"{status}: {text[:200].decode(errors='replace')}")
                except (OSError, asyncio.IncompleteReadError, ValueError, TimeoutError) as exc:
                    errors.append(f"{type(exc).__name__}: {exc}")
                    await connection.close()
                latencies.append(time.perf_counter() - started)
                (first_sight if i < len(qs) else repeat).append(latencies[-1])
        finally:
            await connection.close()

    cpu_before = time.process_time()
    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    client_cpu = time.process_time() - cpu_before
    ms = sorted(x * 1000 for x in latencies)
    first = sorted(x * 1000 for x in first_sight)
    repeats = sorted(x * 1000 for x in repeat)
    return {
        "requests": len(latencies),
        "errors": len(errors),
        "error_samples": errors[:5],
        "stopped_by": "count" if len(latencies) >= total else "time limit",
        "seconds": round(elapsed, 2),
        "rps": round(len(latencies) / elapsed, 1) if elapsed else 0.0,
        "p50_ms": round(percentile(ms, 50), 1),
        "p95_ms": round(percentile(ms, 95), 1),
        "p99_ms": round(percentile(ms, 99), 1),
        "mean_ms": round(statistics.fmean(ms), 1) if ms else float("nan"),
        "max_ms": round(ms[-1], 1) if ms else float("nan"),
        "client_cpu_ms_per_request": round(client_cpu * 1000 / max(1, len(latencies)), 3),
        # questions new to the server pay the e5 query embedding (~30 ms of CPU each)
        "first_sight_requests": len(first),
        "first_sight_p50_ms": round(percentile(first, 50), 1),
        "first_sight_p95_ms": round(percentile(first, 95), 1),
        "repeat_requests": len(repeats),
        "repeat_p50_ms": round(percentile(repeats, 50), 1),
        "repeat_p95_ms": round(percentile(repeats, 95), 1),
    }


def verdicts(endpoints: dict[str, dict[str, Any]], memory: dict[str, float]) -> dict[str, bool]:
    out = {}
    for path, target in TARGETS.items():
        if path == "server":
            out["server rss_mb"] = memory["peak_rss_mb"] <= target["rss_mb"]
            continue
        for key, limit in target.items():
            value = endpoints[path][key]
            out[f"{path} {key}"] = value >= limit if key == "rps" else value <= limit
    return out


def table(result: dict[str, Any]) -> str:
    rows = [
        "| endpoint | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms | first-pass p95 ms "
        "| repeats p95 ms | stopped by |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for path, r in result["endpoints"].items():
        rows.append(
            f"| {path} | {r['requests']} | {r['errors']} | {r['rps']} | {r['p50_ms']} | {r['p95_ms']} "
            f"| {r['p99_ms']} | {r['max_ms']} | {r['first_sight_p95_ms']} | {r['repeat_p95_ms']} | {r['stopped_by']} |"
        )
    memory = result["server_memory"]
    rows.append("")
    rows.append(f"Server RSS after the run: {memory['rss_mb']} MB (peak {memory['peak_rss_mb']} MB).")
    rows.append("")
    rows.append("| target | met |")
    rows.append("|---|---|")
    rows.extend(f"| {name} | {'yes' if ok else 'NO'} |" for name, ok in result["targets_met"].items())
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=2000, help="requests per endpoint")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--time-limit", type=float, default=300.0, help="seconds for the whole load phase")
    parser.add_argument("--data-dir", type=Path, help="an existing index (default: a temporary one)")
    parser.add_argument("--embedding", help="HUIQI_EMBEDDING for the server (default: the settings' default)")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    temp = tempfile.TemporaryDirectory(prefix="huiqi-load-") if args.data_dir is None else None
    data_dir = args.data_dir or Path(temp.name) / "data"  # type: ignore[union-attr]
    env = server_env(data_dir, args.embedding)
    ensure_index(data_dir, env)
    port = args.port or _free_port()
    url = f"http://127.0.0.1:{port}"
    log_path = Path(tempfile.gettempdir()) / f"huiqi-load-server-{port}.log"
    qs = questions(GATED_QA)
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [sys.executable, "-c", SERVER, str(port)], env=env, cwd=ROOT, stdout=log, stderr=log
        )
        try:
            wait_ready(url, proc)
            idle = rss_mb(proc.pid)
            for path in ("/v1/search", "/v1/ask"):  # warm-up: first calls load models and caches
                asyncio.run(load(url, path, qs, 20, 4, 60))
            load_avg_before = os.getloadavg()
            endpoints: dict[str, dict[str, Any]] = {}
            started = time.monotonic()
            for n, path in enumerate(("/v1/search", "/v1/ask")):
                left = args.time_limit - (time.monotonic() - started)
                budget = left / (2 - n)  # an even share of what is left
                print(f"{path}: up to {args.requests} requests, {budget:.0f} s at most …", flush=True)
                endpoints[path] = asyncio.run(load(url, path, qs, args.requests, args.concurrency, budget))
            memory = {**rss_mb(proc.pid), "idle_rss_mb": idle["rss_mb"]}
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    result = {
        "date": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_average_before": [round(x, 2) for x in load_avg_before],
            "load_average_after": [round(x, 2) for x in os.getloadavg()],
        },
        "config": {
            "concurrency": args.concurrency,
            "requests_per_endpoint": args.requests,
            "time_limit_s": args.time_limit,
            "questions": len(qs),
            "embedding": args.embedding or "default",
            "mode": "extractive (no LLM)",
        },
        "endpoints": endpoints,
        "server_memory": memory,
        "targets": TARGETS,
    }
    result["targets_met"] = verdicts(endpoints, memory)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(table(result))
    print(f"\nwritten to {args.output}; server log in {log_path}")
    if temp is not None:
        temp.cleanup()
    return 1 if any(r["errors"] for r in endpoints.values()) else 0


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


if __name__ == "__main__":
    raise SystemExit(main())
