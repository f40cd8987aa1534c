"""A running `arshjul up` (its store on PostgreSQL when ARSHJUL_TEST_DATABASE_URL is set), with
rounds and links made for it: shared by the load tests and bench/bench_load.py."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
from sqlalchemy import select
from temporalio.client import Client
from temporalio.contrib.pydantic import pydantic_data_converter

from arshjul.calendar.loader import load_config
from arshjul.models.rounds import ROUND_WORKFLOW, RoundSpec
from arshjul.notifications import tokens
from arshjul.runtime.processes import port_open
from arshjul.settings import TASK_QUEUE
from arshjul.store.db import make_engine, make_session_maker
from arshjul.store.models import Submission
from tests.conftest import PG_URL, _postgres_database, free_port
from tests.runtime.conftest import UpProcess, config_without_reports
from tests.web.conftest import round_spec


@dataclass
class Running:
    """An `arshjul up` and the URL of its store."""

    up: UpProcess
    database_url: str

    @property
    def secret_key(self) -> str:
        """Returns the key `up` generated for its worker and web."""
        return (self.up.data_dir / "run" / "secret_key").read_text().strip()


@contextlib.contextmanager
def start_running(root: Path, postgresql: bool = bool(PG_URL)) -> Iterator[Running]:
    """Starts `up` in `root` on free ports (store on a throwaway PostgreSQL database if asked);
    stops it, and drops that database, at the end."""
    up = UpProcess(root / "var")
    up.config = config_without_reports(root / "arshjul.yaml")
    databases = _postgres_database() if postgresql else None
    url = f"sqlite:///{up.data_dir / 'arshjul.sqlite'}"
    if databases is not None:
        url = next(databases)
        up.env["DATABASE_URL"] = url
    try:
        up.start()
        yield Running(up, url)
    finally:
        if up.proc is not None and up.proc.poll() is None:
            up.proc.send_signal(signal.SIGTERM)
            up.proc.wait(timeout=60)
        if databases is not None:
            next(databases, None)


async def open_rounds(running: Running, count: int, first: int = 0) -> list[tuple[RoundSpec, str]]:
    """Starts `count` rounds without review (opening next week: no mail yet) and makes links.

    Rounds are numbered from `first` (ten units a month), so each test has rounds of its own.
    """
    assert running.up.config is not None
    config = load_config(running.up.config)
    today = dt.date.today()
    client = await Client.connect(
        running.up.temporal_address, data_converter=pydantic_data_converter
    )
    specs = []
    for i in range(first, first + count):
        unit = config.units[i % len(config.units)]
        period = f"{today.year}-{1 + i // len(config.units):02d}"
        spec = round_spec(config, unit_id=unit.id, period=period).model_copy(
            update={"review": None, "opens": today + dt.timedelta(days=7)}
        )
        await client.start_workflow(
            ROUND_WORKFLOW, spec, id=spec.workflow_id, task_queue=TASK_QUEUE
        )
        specs.append(spec)
    engine = make_engine(running.database_url)
    try:
        with make_session_maker(engine).begin() as session:
            links = [
                tokens.issue(
                    session,
                    purpose=tokens.PURPOSE_SUBMIT,
                    ttl=dt.timedelta(days=30),
                    workflow_id=spec.workflow_id,
                    unit_id=spec.unit_id,
                    secret_key=running.secret_key,
                )
                for spec in specs
            ]
    finally:
        engine.dispose()
    return list(zip(specs, links, strict=True))


def stored_versions(running: Running, workflow_ids: list[str]) -> dict[str, list[str]]:
    """Returns each round's stored versions as their delivery statuses."""
    engine = make_engine(running.database_url)
    try:
        with make_session_maker(engine)() as session:
            rows = session.scalars(
                select(Submission).where(Submission.workflow_id.in_(workflow_ids))
            ).all()
    finally:
        engine.dispose()
    found: dict[str, list[str]] = {wid: [] for wid in workflow_ids}
    for row in rows:
        found[row.workflow_id].append(row.delivery_status)
    return found


def client_at(running: Running, address: str, **kwargs: object) -> httpx.AsyncClient:
    """An HTTP client that the web sees as coming from `address` (via the proxy header)."""
    options: dict[str, object] = {"timeout": 120, **kwargs}
    return httpx.AsyncClient(
        base_url=running.up.base_url,
        headers={"X-Forwarded-For": address},
        **options,  # type: ignore[arg-type]
    )


@contextlib.contextmanager
def second_web(running: Running) -> Iterator[str]:
    """Another `arshjul web` process beside up's, on the same store and Temporal."""
    up = running.up
    port = free_port()
    env = {
        **os.environ,
        "TEMPORAL_ADDRESS": up.temporal_address,
        "DATABASE_URL": running.database_url,
        "SECRET_KEY": running.secret_key,
        "ARSHJUL_CONFIG": str(up.config),
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": str(up.smtp_port),
        "BASE_URL": up.base_url,
        "ARSHJUL_REDELIVERY_SECONDS": "0",
    }
    log = open(up.data_dir.parent / "web2.log", "wb")  # noqa: SIM115
    proc = subprocess.Popen(
        [sys.executable, "-m", "arshjul.cli", "web", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while not port_open("127.0.0.1", port):
            assert proc.poll() is None, (up.data_dir.parent / "web2.log").read_text()
            assert time.monotonic() < deadline, "the second web did not start"
            time.sleep(0.1)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()
