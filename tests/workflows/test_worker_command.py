"""`arshjul worker` against a dev server.

It connects, runs a round's request with the real activities and stops on SIGTERM.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import signal
import sys
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from temporalio.testing import WorkflowEnvironment

from arshjul.models.rounds import QUERY_STATUS, ROUND_WORKFLOW, RoundStatus
from arshjul.store.db import upgrade
from tests.conftest import MailSink, free_port
from tests.workflows.conftest import make_spec

ARSHJUL = Path(sys.executable).parent / "arshjul"


async def test_worker_sends_the_request_and_stops_cleanly(
    dev_env: WorkflowEnvironment, smtp_sink: MailSink, tmp_path: Path
) -> None:
    db = f"sqlite:///{tmp_path / 'a.sqlite'}"
    upgrade(db)
    metrics_port = free_port()
    env = {
        **os.environ,
        "TEMPORAL_ADDRESS": dev_env.client.service_client.config.target_host,
        "TEMPORAL_TASK_QUEUE": "worker-cmd",
        "DATABASE_URL": db,
        "SMTP_PORT": str(smtp_sink.port),
        "SMTP_HOST": "127.0.0.1",
        "ARSHJUL_WORKER_METRICS_ADDRESS": f"127.0.0.1:{metrics_port}",
        "SECRET_KEY": "worker-command-test-secret",
    }
    proc = await asyncio.create_subprocess_exec(
        str(ARSHJUL), "worker", env=env, stderr=asyncio.subprocess.PIPE
    )
    try:
        today = dt.date.today()
        spec = make_spec(opens=today - dt.timedelta(days=1), due=today + dt.timedelta(days=20))
        handle = await dev_env.client.start_workflow(
            ROUND_WORKFLOW, spec, id=spec.workflow_id, task_queue="worker-cmd"
        )
        for _ in range(100):
            status = await handle.query(QUERY_STATUS, result_type=RoundStatus)
            if status.history and smtp_sink.messages:
                break
            await asyncio.sleep(0.2)
        assert [h.event for h in status.history] == ["request"]
        assert smtp_sink.messages and "chef@example.org" in smtp_sink.messages[0]["To"]
        # The Temporal SDK's metrics on the worker's own endpoint, in Prometheus text.
        async with httpx.AsyncClient() as http:
            scraped = await http.get(f"http://127.0.0.1:{metrics_port}/metrics")
        names = {
            s.name
            for family in text_string_to_metric_families(scraped.text)
            for s in family.samples
        }
        assert "temporal_activity_execution_latency_count" in names, sorted(names)
        assert "temporal_request_total" in names
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    assert b"stopping" in err
