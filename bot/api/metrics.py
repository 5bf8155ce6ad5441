"""Prometheus metrics, one registry per app so several apps can live in one process (tests)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.15, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class _AssistantCollector(Collector):
    """Reads the assistant's own counters at scrape time, so every channel is counted."""

    def __init__(self, stats: Callable[[], dict[str, int] | None]) -> None:
        self._stats = stats

    def collect(self) -> Iterator[CounterMetricFamily]:
        stats = self._stats() or {}
        answers = CounterMetricFamily("huiqi_answers", "Answers given, by mode.", labels=["mode"])
        for mode in ("extractive", "llm"):
            answers.add_metric([mode], stats.get(mode, 0))
        yield answers
        yield CounterMetricFamily(
            "huiqi_refusals", "Questions refused: no clause fits, or none states the figure asked.", value=stats.get("refused", 0)
        )
        yield CounterMetricFamily(
            "huiqi_llm_fallbacks",
            "LLM answers replaced by the extractive one (LLM down or answer failed the checks).",
            value=stats.get("llm_fallback", 0),
        )


class ApiMetrics:
    """Request counter and latency histogram by route template and status, plus answer counters."""

    def __init__(self, stats: Callable[[], dict[str, int] | None]) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.requests = Counter(
            "huiqi_http_requests",
            "HTTP requests by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "huiqi_http_request_duration_seconds",
            "Time to the end of the response, by method, route template and status.",
            ["method", "route", "status"],
            buckets=_BUCKETS,
            registry=self.registry,
        )
        self.registry.register(_AssistantCollector(stats))

    def observe(self, method: str, route: str, status: int, seconds: float) -> None:
        labels: dict[str, Any] = {"method": method, "route": route, "status": str(status)}
        self.requests.labels(**labels).inc()
        self.latency.labels(**labels).observe(seconds)

    def render(self) -> bytes:
        return generate_latest(self.registry)
