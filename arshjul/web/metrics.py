"""`/metrics`: Prometheus text for operations — HTTP traffic of this process, and from the store
the rounds by state, mails sent and failed, and versions waiting for Temporal.

The Temporal SDK's own metrics come from the worker's endpoint (ARSHJUL_WORKER_METRICS_ADDRESS),
since workers run apart from the web.
"""

from __future__ import annotations

import hmac
import logging
import time
from collections.abc import Awaitable, Callable, Iterator

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from starlette.routing import Match

from arshjul.store import metrics as counts
from arshjul.web.app import WebState, web_state

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
# Seconds: pages answer in tens of milliseconds; Temporal and SMTP waits reach seconds.
BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class StoreCollector(Collector):
    """Reads the counts from the store at each scrape (they hold across web processes)."""

    def __init__(self, session_maker: Callable[[], sessionmaker[Session]]) -> None:
        self.session_maker = session_maker

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        """Yields rounds by state, mails sent and failed, pending submissions, and store health."""
        up = GaugeMetricFamily("arshjul_store_up", "1 when the store answered this scrape.")
        try:
            with self.session_maker()() as session:
                states = counts.rounds_by_state(session)
                sent = counts.mails_sent(session)
                failed = counts.mails_failed(session)
                pending = counts.pending_submissions(session)
        except SQLAlchemyError as err:
            log.warning("metrics: the store did not answer: %s", err)
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        rounds = GaugeMetricFamily(
            "arshjul_rounds", "Report rounds by state (SQL mirror).", labels=["org", "state"]
        )
        for (org, state), count in sorted(states.items()):
            rounds.add_metric([org, state], count)
        yield rounds
        mails = CounterMetricFamily(
            "arshjul_mails_sent", "Mails accepted by the SMTP server.", labels=["template"]
        )
        for template, count in sorted(sent.items()):
            mails.add_metric([template], count)
        yield mails
        yield CounterMetricFamily(
            "arshjul_mails_failed",
            "Mails given up on: refused for good by the SMTP server or a bad address.",
            value=failed,
        )
        yield GaugeMetricFamily(
            "arshjul_submissions_pending",
            "Submitted versions stored but not yet taken by their round (Temporal away).",
            value=pending,
        )


class WebMetrics:
    """This process's registry: HTTP requests and latency by route template, and the store."""

    def __init__(self, state: WebState) -> None:
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
        self.registry.register(StoreCollector(lambda: state.session_maker))

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
            self.requests.labels(request.method, route, str(status)).inc()
            self.latency.labels(request.method, route).observe(time.perf_counter() - started)


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
def metrics(request: Request, state: WebState = Depends(web_state)) -> Response:
    """Answers Prometheus's scrape (runs in the thread pool: the store is read)."""
    if not _token_ok(request, state):
        # A plain 401 for the scraper, not the login page a person would get.
        return Response("metrics need the bearer token\n", 401, media_type="text/plain")
    registry = request.app.state.metrics.registry
    return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)


def install(app: object, state: WebState) -> None:
    """Adds the metrics middleware and `/metrics` to the app."""
    web_metrics = WebMetrics(state)
    app.state.metrics = web_metrics  # type: ignore[attr-defined]
    app.middleware("http")(web_metrics.middleware)  # type: ignore[attr-defined]
    app.include_router(router)  # type: ignore[attr-defined]
