"""`/metrics`: Prometheus text for operations — HTTP traffic of this process, and from the store
(read in a database thread at each scrape) the rounds by state, mails sent and failed, and
versions waiting for Temporal.

The Temporal SDK's own metrics come from the worker's endpoint (ARSHJUL_WORKER_METRICS_ADDRESS),
since workers run apart from the web.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from starlette.routing import Match

from arshjul.store import metrics as counts
from arshjul.web.core.deps import WebState, web_state

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
# Seconds: pages answer in tens of milliseconds; Temporal and SMTP waits reach seconds.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# Label values come from bounded sets: a client that makes up methods must not add series (each
# one lives as long as the process; 23,000 made-up methods once made /metrics 35 MB).
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


@dataclass(frozen=True)
class StoreCounts:
    """The store's counts at one scrape."""

    rounds: dict[tuple[str, str], int]
    sent: dict[str, int]
    failed: int
    pending: int


def read_counts(session: Session) -> StoreCounts:
    """Reads rounds by state, mails sent and failed, and pending versions (one transaction)."""
    return StoreCounts(
        rounds=counts.rounds_by_state(session),
        sent=counts.mails_sent(session),
        failed=counts.mails_failed(session),
        pending=counts.pending_submissions(session),
    )


class StoreCollector(Collector):
    """The counts read for one scrape (the same from every web process)."""

    def __init__(self, found: StoreCounts | None) -> None:
        self.found = found

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        """Yields rounds by state, mails sent and failed, pending submissions, and store health."""
        found = self.found
        yield GaugeMetricFamily(
            "arshjul_store_up", "1 when the store answered this scrape.", value=int(bool(found))
        )
        if found is None:
            return
        rounds = GaugeMetricFamily(
            "arshjul_rounds", "Report rounds by state (SQL mirror).", labels=["org", "state"]
        )
        for (org, state), count in sorted(found.rounds.items()):
            rounds.add_metric([org, state], count)
        yield rounds
        mails = CounterMetricFamily(
            "arshjul_mails_sent", "Mails accepted by the SMTP server.", labels=["template"]
        )
        for template, count in sorted(found.sent.items()):
            mails.add_metric([template], count)
        yield mails
        yield CounterMetricFamily(
            "arshjul_mails_failed",
            "Mails given up on: refused for good by the SMTP server or a bad address.",
            value=found.failed,
        )
        yield GaugeMetricFamily(
            "arshjul_submissions_pending",
            "Submitted versions stored but not yet taken by their round (Temporal away).",
            value=found.pending,
        )


class WebMetrics:
    """This process's registry: HTTP requests and latency by route template, and the store."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "arshjul_http_requests",
            "HTTP requests answered, by method, route template and status.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "arshjul_http_request_duration_seconds",
            "Time to answer an HTTP request, by method and route template.",
            ["method", "route"],
            buckets=BUCKETS,
            registry=self.registry,
        )

    async def middleware(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        """Times each request; the label is the route's template, never the link's token."""
        started = time.perf_counter()
        status = 500
        try:
            response = await call_next(request)
            status = response.status_code
            return response
        finally:
            route = route_template(request)
            method = method_label(request.method)
            self.requests.labels(method, route, str(status)).inc()
            self.latency.labels(method, route).observe(time.perf_counter() - started)


def method_label(method: str) -> str:
    """Returns the method for a label: a standard one as sent, anything else as "other"."""
    return method if method in METHODS else "other"


def route_template(request: Request) -> str:
    """Returns "/s/{raw}" for "/s/abc…", or "unmatched" (no label per unknown path)."""
    found = request.scope.get("route")
    if found is not None:
        return str(getattr(found, "path", "unmatched"))
    for route in request.app.router.routes:
        match, _ = route.matches(request.scope)
        if match == Match.FULL:
            return str(getattr(route, "path", "unmatched"))
    return "unmatched"


def _token_ok(request: Request, state: WebState) -> bool:
    token = state.settings.metrics_token
    if not token:
        return True
    sent = request.headers.get("authorization", "")
    return hmac.compare_digest(sent.encode(), f"Bearer {token}".encode())


@router.get("/metrics")
async def metrics(request: Request, state: WebState = Depends(web_state)) -> Response:
    """Answers Prometheus's scrape: this process's HTTP metrics and the store's counts."""
    if not _token_ok(request, state):
        # A plain 401 for the scraper, not the login page a person would get.
        return Response("metrics need the bearer token\n", 401, media_type="text/plain")
    try:
        found: StoreCounts | None = await state.db(read_counts)
    except SQLAlchemyError as err:
        log.warning("metrics: the store did not answer: %s", err)
        found = None
    store = CollectorRegistry()
    store.register(StoreCollector(found))
    web: WebMetrics = request.app.state.metrics
    body = generate_latest(web.registry) + generate_latest(store)
    return Response(body, media_type=CONTENT_TYPE_LATEST)


def install(app: object) -> None:
    """Adds the metrics middleware (the app includes `router` for `/metrics`)."""
    web_metrics = WebMetrics()
    app.state.metrics = web_metrics  # type: ignore[attr-defined]
    app.middleware("http")(web_metrics.middleware)  # type: ignore[attr-defined]
