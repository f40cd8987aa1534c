"""Load on a running web: 50 concurrent submission-page loads and 50 concurrent submissions to
different rounds, against `arshjul up` (worker, Temporal dev server, web as in production).

Run: PYTHONPATH=. .venv/bin/python bench/bench_load.py  (SQLite; PostgreSQL too when
ARSHJUL_TEST_DATABASE_URL is set). Each figure is the latency of one request while 49 others
run, as p50/p95 over the repeats, and its ratio to /healthz (the app's smallest endpoint: no
database, no Temporal) measured under the same load in the same run. Every chef is a client of
its own (X-Forwarded-For), as 50 offices behind the kommun's proxy. Goal: page p95 <= 25 ms.
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from tests.conftest import PG_URL
from tests.web.conftest import ON_BUDGET, csrf_of
from tests.web.running import client_at, open_rounds, start_running, stored_versions

CHEFS = 50
REPEATS = 6  # bursts per kind; the first is dropped (connections, caches)


def _p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if len(values) > 1 else 0


async def _bursts(
    clients: list[httpx.AsyncClient],
    request: Callable[[int, httpx.AsyncClient], Awaitable[int]],
    repeats: int = REPEATS,
) -> list[float]:
    """Sends one request per client at once, `repeats` times; returns the latencies (seconds),
    without the first burst's when there are several."""

    async def timed(i: int, http: httpx.AsyncClient) -> float:
        start = time.perf_counter()
        status = await request(i, http)
        assert status < 400, status
        return time.perf_counter() - start

    latencies: list[float] = []
    for burst in range(repeats):
        times = await asyncio.gather(*(timed(i, http) for i, http in enumerate(clients)))
        if burst or repeats == 1:
            latencies.extend(times)
    return latencies


async def measure(postgresql: bool) -> None:
    """Prints the figures for one store."""
    with start_running(Path(tempfile.mkdtemp()), postgresql=postgresql) as running:
        rounds = await open_rounds(running, CHEFS)
        chefs = [client_at(running, f"198.51.100.{i + 1}") for i in range(CHEFS)]
        try:
            links = [raw for _, raw in rounds]
            pages = [await http.get(f"/s/{raw}") for http, raw in zip(chefs, links, strict=True)]
            forms = [{"csrf": csrf_of(page.text), **ON_BUDGET} for page in pages]

            async def healthz(i: int, http: httpx.AsyncClient) -> int:
                return (await http.get("/healthz")).status_code

            async def page(i: int, http: httpx.AsyncClient) -> int:
                return (await http.get(f"/s/{rounds[i][1]}")).status_code

            async def submit(i: int, http: httpx.AsyncClient) -> int:
                answer = await http.post(f"/s/{rounds[i][1]}", data=forms[i])
                assert answer.status_code == 303, answer.status_code  # to the receipt
                return answer.status_code

            alone = [await _bursts(chefs[:1], fn, repeats=21) for fn in (healthz, page)]
            base = await _bursts(chefs, healthz)
            loads = await _bursts(chefs, page)
            sends = await _bursts(chefs, submit, repeats=1)  # each round takes one submission
        finally:
            for http in chefs:
                await http.aclose()
        stored = stored_versions(running, [spec.workflow_id for spec, _ in rounds])
    delivered = sum(statuses == ["delivered"] for statuses in stored.values())
    name = "PostgreSQL" if postgresql else "SQLite"
    b50, b95 = _p(base, 50) * 1000, _p(base, 95) * 1000
    l50, l95 = _p(loads, 50) * 1000, _p(loads, 95) * 1000
    s50, s95 = _p(sends, 50) * 1000, _p(sends, 95) * 1000
    a_base, a_page = (_p(values, 50) * 1000 for values in alone)
    print(
        f"{name}: one client alone: /healthz p50 {a_base:.1f} ms, submission page p50 "
        f"{a_page:.1f} ms ({a_page / a_base:.1f}x)"
    )
    print(f"{name}: {CHEFS} concurrent clients, {REPEATS - 1} bursts each")
    print(f"  /healthz (baseline)    p50 {b50:7.1f} ms  p95 {b95:7.1f} ms")
    print(
        f"  submission page        p50 {l50:7.1f} ms  p95 {l95:7.1f} ms"
        f"  ({l50 / b50:.1f}x / {l95 / b95:.1f}x the baseline; goal p95 <= 25 ms)"
    )
    print(
        f"  submission (one burst) p50 {s50:7.1f} ms  p95 {s95:7.1f} ms"
        f"  ({s50 / b50:.1f}x / {s95 / b95:.1f}x); stored once and delivered: {delivered}/{CHEFS}"
    )


def main() -> None:
    """Measures on SQLite, and on PostgreSQL when a server is configured."""
    asyncio.run(measure(postgresql=False))
    if PG_URL:
        asyncio.run(measure(postgresql=True))


if __name__ == "__main__":
    main()
