"""`arshjul up --workers 2 --webs 2` on PostgreSQL: a burst of submissions and committee decisions
over HTTP while one worker and one web are SIGKILLed; nothing is lost, doubled or left behind.

The test's HTTP client plays the kommun's load balancer: it sends each request to the web
processes in turn and, when one does not answer, sends it again to the next one.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import itertools
import os
import re
import signal
import socket
import time
from collections import Counter
from collections.abc import Coroutine, Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.service import RPCError

from arshjul.calendar.loader import load_config
from arshjul.models.rounds import QUERY_STATUS, ROUND_WORKFLOW, RoundSpec, RoundState, RoundStatus
from arshjul.notifications import tokens
from arshjul.runtime.maildir import inbox
from arshjul.settings import TASK_QUEUE
from arshjul.store.db import make_engine, make_session_maker
from arshjul.store.models import Decision, Round, SentMail, Submission
from tests.conftest import PG_URL, _postgres_database, session_cookie
from tests.runtime.conftest import UpProcess, config_without_reports, eventually, read_state
from tests.web.conftest import KSAU_SECRETARY, ON_BUDGET, csrf_of, round_spec

pytestmark = [pytest.mark.devserver, pytest.mark.slow]

Sessions = sessionmaker[Session]
_BASE_VERSION = re.compile(r'name="base_version" value="(\d+)"')
ROUNDS_PER_PHASE = 12  # rounds decided in the burst; as many more are submitted in it
# The load balancer's patience: a web restarted by the supervisor answers within seconds.
RETRY_FOR_S = 90.0
SETTLED_WITHIN_S = 180.0  # an activity lost with its worker is retried after its 60 s timeout


def _ports_in_a_row(count: int) -> int:
    """Returns the first of `count` consecutive free ports on 127.0.0.1 (the webs' ports)."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            first = int(s.getsockname()[1])
        if first + count > 65535:
            continue
        try:
            for port in range(first, first + count):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return first
    raise AssertionError("no free ports in a row")


@pytest.fixture
def postgres_url() -> Iterator[str]:
    """A throwaway PostgreSQL database: several processes need it (SQLite is refused)."""
    if not PG_URL:
        pytest.fail("the scale-out test needs PostgreSQL: set ARSHJUL_TEST_DATABASE_URL (.ci/run)")
    databases = _postgres_database()
    yield next(databases)
    next(databases, None)


@pytest.fixture
def store(postgres_url: str) -> Iterator[sessionmaker[Session]]:
    """Sessions on the store `up` uses, for the test's own look."""
    engine = make_engine(postgres_url)
    try:
        yield make_session_maker(engine)
    finally:
        engine.dispose()


@pytest.fixture
def scaled(postgres_url: str, up_process: UpProcess, tmp_path: Path) -> UpProcess:
    """`up --workers 2 --webs 2` on free ports, its store in `postgres_url`."""
    # postgres_url first: the database outlives `up` even when the test fails.
    up = up_process
    up.port = _ports_in_a_row(2)
    up.config = config_without_reports(tmp_path / "arshjul.yaml")
    metrics = _ports_in_a_row(2)  # the first worker's, and the second's
    up.env = {
        "DATABASE_URL": postgres_url,
        "ARSHJUL_REDELIVERY_SECONDS": "2",
        "ARSHJUL_WORKER_METRICS_ADDRESS": f"127.0.0.1:{metrics}",
    }
    up.args = ["--workers", "2", "--webs", "2"]
    up.start_timeout = 180  # five processes importing at once on a loaded 2-core machine
    up.start()
    return up


class Balancer:
    """Sends each request to the next web; retries elsewhere while a web is down or restarting."""

    def __init__(self, urls: list[str]) -> None:
        self.urls = urls
        self._next = itertools.cycle(range(len(urls)))
        self.retries = 0

    async def send(
        self, http: httpx.AsyncClient, method: str, path: str, **kwargs: object
    ) -> tuple[httpx.Response, int]:
        """Returns the first answer that is not a server error, and how many tries it took."""
        deadline = asyncio.get_running_loop().time() + RETRY_FOR_S
        for attempt in itertools.count(1):
            url = self.urls[next(self._next)] + path
            try:
                answer = await http.request(method, url, **kwargs)  # type: ignore[arg-type]
                if answer.status_code < 500:
                    return answer, attempt
            except httpx.TransportError:
                pass  # killed mid-request, or restarting: the next web gets it
            self.retries += 1
            assert asyncio.get_running_loop().time() < deadline, f"{method} {path} never answered"
            await asyncio.sleep(0.2)
        raise AssertionError("unreachable")


async def _open_rounds(
    up: UpProcess, client: Client, secret_key: str, store: Sessions, first: int, count: int
) -> list[tuple[RoundSpec, str]]:
    """Starts `count` rounds reviewed by KSAU, which meets today, and makes their form links."""
    assert up.config is not None
    config = load_config(up.config)
    specs = []
    for i in range(first, first + count):
        unit = config.units[i % len(config.units)]
        period = f"{dt.date.today().year}-{1 + i // len(config.units):02d}"
        spec = round_spec(config, unit_id=unit.id, period=period, meeting_in_days=0)
        await client.start_workflow(
            ROUND_WORKFLOW, spec, id=spec.workflow_id, task_queue=TASK_QUEUE
        )
        specs.append(spec)
    with store.begin() as session:
        links = [
            tokens.issue_for_round(
                session,
                workflow_id=spec.workflow_id,
                unit_id=spec.unit_id,
                ttl=dt.timedelta(days=30),
                secret_key=secret_key,
            )
            for spec in specs
        ]
    return list(zip(specs, links, strict=True))


async def _state(client: Client, workflow_id: str) -> RoundState | None:
    try:
        status = await client.get_workflow_handle(workflow_id).query(
            QUERY_STATUS, result_type=RoundStatus
        )
    except RPCError:
        return None  # the worker that held it is gone; another one takes it over
    return status.state


async def _wait_states(
    client: Client, wanted: dict[str, RoundState], timeout: float
) -> dict[str, RoundState | None]:
    """Polls every round until each is in its wanted state; returns the last states seen."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        states = {wid: await _state(client, wid) for wid in wanted}
        if states == wanted or asyncio.get_running_loop().time() > deadline:
            return states
        await asyncio.sleep(0.5)


async def _submit(balancer: Balancer, http: httpx.AsyncClient, raw: str) -> tuple[int, int]:
    """Opens a form link and submits it; returns the final answer's status and the tries."""
    page, _ = await balancer.send(http, "GET", f"/s/{raw}")
    assert page.status_code == 200, page.text[:500]
    # As a browser sends it: with the page's base_version, so a resend of a form already
    # stored is told so instead of becoming a second version.
    base = _BASE_VERSION.search(page.text)
    assert base, "no base_version on the form"
    form = {"csrf": csrf_of(page.text), "base_version": base.group(1), **ON_BUDGET}
    answer, tries = await balancer.send(http, "POST", f"/s/{raw}", data=form)
    return answer.status_code, tries


async def _decide(
    balancer: Balancer, http: httpx.AsyncClient, spec: RoundSpec, approve: bool
) -> tuple[int, int]:
    """KSAU's secretary approves or remits a report on its case page; returns status, tries."""
    case = f"/ksau/arenden/{spec.workflow_id.removeprefix('round/')}"
    page, _ = await balancer.send(http, "GET", case)
    assert page.status_code == 200, page.text[:500]
    form = {
        "csrf": csrf_of(page.text),
        "outcome": "approve" if approve else "remit",
        "reason": "" if approve else "Prognosen behöver en åtgärdsplan.",
        "confirm": "ja",
    }
    answer, tries = await balancer.send(http, "POST", f"{case}/beslut", data=form)
    return answer.status_code, tries


def _count(store: Sessions, model: type) -> dict[str, int]:
    """Counts the rows of `model` per round."""
    query = select(model.workflow_id, func.count()).group_by(model.workflow_id)  # type: ignore[attr-defined]
    with store() as session:
        return {str(w): int(n) for w, n in session.execute(query)}


def _versions(store: Sessions) -> dict[str, list[tuple[int, str]]]:
    """Returns each round's stored versions with their delivery status."""
    found: dict[str, list[tuple[int, str]]] = {}
    with store() as session:
        for row in session.scalars(select(Submission).order_by(Submission.version)):
            found.setdefault(row.workflow_id, []).append((row.version, row.delivery_status))
    return found


def _paragraphs(store: Sessions) -> list[int]:
    with store() as session:
        return sorted(session.scalars(select(Decision.paragraph)))


def _mirrored(store: Sessions) -> dict[str, str]:
    with store() as session:
        return {r.workflow_id: r.state for r in session.scalars(select(Round))}


async def test_two_workers_and_two_webs_lose_and_double_nothing_when_one_of_each_dies(
    scaled: UpProcess, store: Sessions
) -> None:
    up = scaled
    state = read_state(up.data_dir)
    assert sorted(state["parts"]) == ["temporal", "web", "web-2", "worker", "worker-2"]  # type: ignore[arg-type]
    urls = state["endpoints"]["web_urls"]  # type: ignore[index]
    assert urls == [f"http://127.0.0.1:{up.port}", f"http://127.0.0.1:{up.port + 1}"]
    printed = up.data_dir.parent / "up-1.out"
    # Every web's address is printed (the lines come a moment after up.json).
    eventually(lambda: all(url in printed.read_text() for url in urls))
    first_metrics = int(up.env["ARSHJUL_WORKER_METRICS_ADDRESS"].rsplit(":", 1)[1])
    for port in (first_metrics, first_metrics + 1):
        # Each worker serves its own Prometheus metrics, one port each.
        metrics = eventually(lambda port=port: httpx.get(f"http://127.0.0.1:{port}/metrics"))
        assert "temporal_" in metrics.text  # type: ignore[attr-defined]
    secret = (up.data_dir / "run" / "secret_key").read_text().strip()
    balancer = Balancer(urls)
    client = await Client.connect(up.temporal_address, data_converter=pydantic_data_converter)

    # Before the burst: rounds on KSAU's agenda (to be decided in it) and open rounds (to be
    # submitted in it), spread over both webs and both workers.
    to_decide = await _open_rounds(up, client, secret, store, 0, ROUNDS_PER_PHASE)
    to_submit = await _open_rounds(up, client, secret, store, ROUNDS_PER_PHASE, ROUNDS_PER_PHASE)

    async def submit_alone(raw: str) -> tuple[int, int]:
        async with httpx.AsyncClient(timeout=60) as chef:  # a browser of its own: its own CSRF
            return await _submit(balancer, chef, raw)

    first = await asyncio.gather(*(submit_alone(raw) for _, raw in to_decide))
    assert [status for status, _ in first] == [303] * ROUNDS_PER_PHASE
    on_agenda = {spec.workflow_id: RoundState.ON_AGENDA for spec, _ in to_decide}
    assert await _wait_states(client, on_agenda, SETTLED_WITHIN_S) == on_agenda
    opened = {spec.workflow_id: RoundState.OPEN for spec, _ in to_submit}
    assert await _wait_states(client, opened, SETTLED_WITHIN_S) == opened

    # The burst: a chef per round submitting, the secretary deciding, one of each part killed.
    victims = {part: up.pid_of(part) for part in ("worker", "web")}
    answered = 0

    async def counted(job: Coroutine[object, object, tuple[int, int]]) -> tuple[int, int]:
        nonlocal answered
        result = await job
        answered += 1
        return result

    async def kill_mid_burst() -> None:
        while answered < ROUNDS_PER_PHASE // 3:
            await asyncio.sleep(0.02)
        for pid in victims.values():
            os.kill(pid, signal.SIGKILL)

    chefs = [httpx.AsyncClient(timeout=60) for _ in to_submit]
    # The secretary at several screens at once: a session (and a CSRF cookie) each.
    secretary = [httpx.AsyncClient(timeout=60) for _ in to_decide]
    for screen in secretary:
        screen.cookies.set("arshjul_session", session_cookie(store, KSAU_SECRETARY))
    try:
        began = time.monotonic()
        *results, _ = await asyncio.gather(
            *(
                counted(_submit(balancer, http, raw))
                for http, (_, raw) in zip(chefs, to_submit, strict=True)
            ),
            *(
                counted(_decide(balancer, screen, spec, approve=i % 2 == 0))
                for i, (screen, (spec, _)) in enumerate(zip(secretary, to_decide, strict=True))
            ),
            kill_mid_burst(),
        )
    finally:
        for http in [*chefs, *secretary]:
            await http.aclose()

    submitted, decided = results[:ROUNDS_PER_PHASE], results[ROUNDS_PER_PHASE:]
    # A first try answers as usual; a resend after a lost answer meets the version already taken.
    assert all(s == 303 or (s == 409 and tries > 1) for s, tries in submitted), submitted
    assert all(s == 303 or (s in (400, 409) and tries > 1) for s, tries in decided), decided
    assert balancer.retries > 0, "no request met the killed web: the kill came too late"
    burst_s = time.monotonic() - began
    print(f"burst: {len(results)} journeys in {burst_s:.1f} s, {balancer.retries} resends")

    # The supervisor brought both back, as new processes.
    log = up.data_dir / "logs" / "up.log"
    for part, pid in victims.items():
        eventually(lambda part=part, pid=pid: up.pid_of(part) != pid, timeout=60)
        eventually(lambda part=part: f"event=process.restarted part={part} " in log.read_text())

    # Every round in the state its last answer said, in Temporal and in the SQL mirror.
    wanted = {spec.workflow_id: RoundState.ON_AGENDA for spec, _ in to_submit} | {
        spec.workflow_id: RoundState.APPROVED if i % 2 == 0 else RoundState.REMITTED
        for i, (spec, _) in enumerate(to_decide)
    }
    assert await _wait_states(client, wanted, SETTLED_WITHIN_S) == wanted

    # The store catches up with Temporal: an activity lost with the killed worker (a § for the
    # protocol, a mirrored state) runs again on the other worker after its timeout.
    def store_facts() -> dict[str, object]:
        return {
            "mirrored states": {w: s for w, s in _mirrored(store).items() if w in wanted},
            "versions per round": _versions(store),
            "decisions per round": _count(store, Decision),
            "§ of today's meeting": _paragraphs(store),
        }

    expected = {
        "mirrored states": {w: str(s) for w, s in wanted.items()},
        # Every submission stored exactly once and delivered; every decision recorded once …
        "versions per round": dict.fromkeys(wanted, [(1, "delivered")]),
        "decisions per round": {spec.workflow_id: 1 for spec, _ in to_decide},
        # … by two workers, and today's protocol still runs § 1, § 2, … without a gap.
        "§ of today's meeting": list(range(1, ROUNDS_PER_PHASE + 1)),
    }
    with contextlib.suppress(AssertionError):
        eventually(lambda: store_facts() == expected, timeout=SETTLED_WITHIN_S)
    assert store_facts() == expected

    # No mail twice: each Message-ID once in the sink, and every mail sent is one the store
    # recorded (the sink holds exactly the recorded ones once the retries have settled).
    def mails_settled() -> bool:
        received = Counter(m.message_id for m in inbox(up.data_dir / "mail"))
        doubled = [k for k, n in received.items() if n > 1]
        assert doubled == [], doubled
        recorded = sum(_count(store, SentMail).values())
        return sum(received.values()) == recorded and recorded > 0

    eventually(mails_settled, timeout=SETTLED_WITHIN_S)
    print(f"settled {time.monotonic() - began:.1f} s after the burst began")
    assert up.stop() == 0
