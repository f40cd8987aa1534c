"""Benchmark of the web pages in process (httpx ASGI transport, time-skipping Temporal, SQLite).

Run: PYTHONPATH=. .venv/bin/python bench/bench_web.py (it reuses the tests' rig).
Figures are relative to rendering the login page, so they
compare across machines.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx

from tests.conftest import MailSink
from tests.web.conftest import CHEF, EKONOMICHEF, csrf_of, open_rig, round_spec


async def _best(fn: Callable[[], Awaitable[httpx.Response]], repeat: int = 20) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        response = await fn()
        best = min(best, time.perf_counter() - start)
        assert response.status_code < 400, response.status_code
    return best


async def main() -> None:
    """Prints seconds per request and its ratio to one login page."""
    sink = MailSink()
    sink.start()
    try:
        async with open_rig(Path(tempfile.mkdtemp()), sink) as rig:
            spec = round_spec(rig.config)
            await rig.start_round(spec)
            link = await rig.link_from_mail(CHEF, "s")
            page = await rig.http.get(link)
            draft = {"csrf": csrf_of(page.text), "action": "save", "economic.analysis": "Utkast"}
            eva = await rig.login(EKONOMICHEF)
            cases = {
                "login page": lambda: rig.http.get("/login"),
                "submission page (token + query)": lambda: rig.http.get(link),
                "save draft": lambda: rig.http.post(link, data=draft),
                "overview (wheel + status)": lambda: eva.get("/"),
                "all.ics (two years, cached)": lambda: rig.http.get("/calendar/all.ics"),
            }
            base = None
            for name, fn in cases.items():
                seconds = await _best(fn)
                base = base or seconds
                print(f"{name:34s} {seconds * 1000:8.1f} ms  {seconds / base:6.1f}x")
            await eva.aclose()
    finally:
        sink.stop()


if __name__ == "__main__":
    asyncio.run(main())
