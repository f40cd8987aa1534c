"""Nothing a person submitted is lost: a version stored while the round could not answer goes out
later without anyone visiting the page, exactly once, against the real workflow."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
from sqlalchemy import select
from temporalio.client import WorkflowUpdateFailedError
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment
from temporalio.worker import Worker

from arshjul.activities import activities_for
from arshjul.calendar.loader import load_config
from arshjul.forms.content import ReportContent
from arshjul.models.rounds import (
    UPDATE_SUBMIT,
    RoundState,
    RoundStatus,
    SubmitInput,
    UpdateResult,
)
from arshjul.notifications.sender import SmtpSender
from arshjul.settings import BUNDLED_CONFIG
from arshjul.store.db import make_engine, make_session_maker, upgrade
from arshjul.store.models import DELIVERY_DELIVERED, DELIVERY_PENDING, Person, Submission
from arshjul.store.repositories import SubmissionRepository
from arshjul.web.app import create_app
from arshjul.web.core.deps import Limits
from arshjul.web.submission.delivery import submission_update_id
from arshjul.web.submission.redelivery import redeliver_pending
from arshjul.worker import make_worker
from tests.conftest import TEST_SERVER, MailSink, free_port
from tests.web.conftest import LIMITS, WebRig, csrf_of, make_settings, open_rig

# Short enough that a page does not hang while no worker answers, long enough for a busy machine.
SHORT = Limits(
    max_attachment_bytes=LIMITS.max_attachment_bytes,
    max_request_bytes=LIMITS.max_request_bytes,
    temporal_timeout_seconds=1.5,
)
ECONOMY = {
    "economic.budget_tkr": "12 500",
    "economic.utfall_tkr": "9 800",
    "economic.forecast_tkr": "12 000",
    "economic.analysis": "Enligt budget.",
    "economic.measures": "",
}


def submitted_events(status: RoundStatus) -> int:
    """Counts the "submitted" events in a round's history."""
    return sum(1 for h in status.history if h.event == "submitted")


@contextlib.asynccontextmanager
async def rig_without_worker(
    tmp_path: Path, sink: MailSink
) -> AsyncIterator[tuple[WebRig, WorkflowEnvironment, Callable[[], Worker]]]:
    """The web rig with a worker the test starts and stops itself (no sticky cache, so a new
    worker takes over at once)."""
    settings = make_settings(tmp_path, sink)
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    sessions = make_session_maker(engine)
    config = load_config(BUNDLED_CONFIG)
    acts = activities_for(sessions, SmtpSender.from_settings(settings), settings)
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(TEST_SERVER), data_converter=pydantic_data_converter
    )
    try:
        async with env:
            app = create_app(
                settings,
                temporal_client=env.client,
                session_maker=sessions,
                config=config,
                limits=SHORT,
            )
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url=settings.base_url) as http:
                rig = WebRig(
                    http=http,
                    app=app,
                    client=env.client,
                    sessions=sessions,
                    settings=settings,
                    config=config,
                    sink=sink,
                    task_queue=settings.temporal_task_queue,
                )
                yield (
                    rig,
                    env,
                    lambda: make_worker(
                        env.client, settings.temporal_task_queue, acts, max_cached_workflows=0
                    ),
                )
    finally:
        engine.dispose()


async def test_pending_submission_is_delivered_by_one_pass(
    tmp_path: Path, smtp_sink: MailSink
) -> None:
    async with rig_without_worker(tmp_path, smtp_sink) as (web, env, new_worker):
        async with new_worker():
            spec, link = await web.open_round()
        # The worker is gone: the round cannot answer, the page answers from SQL.
        page = await web.http.get(link)
        assert page.status_code == 200
        sent = await web.http.post(
            link, data={"csrf": csrf_of(page.text), "action": "submit", **ECONOMY}
        )
        assert sent.status_code == 303
        receipt = await web.http.get(sent.headers["location"])
        assert "Rapporten är sparad och kommer att behandlas" in receipt.text
        with web.sessions() as session:
            stored = SubmissionRepository(session).latest(workflow_id=spec.workflow_id)
            assert stored is not None
            assert stored.delivery_status == DELIVERY_PENDING

        async with new_worker():
            # The test server may have handed a task to the stopped worker's last poll: skip
            # past its 10 s workflow-task timeout instead of waiting for it.
            await env.sleep(11)
            await web.status(spec.workflow_id)  # the worker is back and answers
            with web.sessions() as session:  # nobody has told SQL yet
                row = SubmissionRepository(session).get(submission_id=stored.id)
                assert row is not None
                assert row.delivery_status == DELIVERY_PENDING
            counts = await redeliver_pending(web.app.state.web)
            assert (counts.pending, counts.delivered, counts.refused) == (1, 1, 0)
            status = await web.status(spec.workflow_id)
        assert status.state in (RoundState.SUBMITTED, RoundState.ON_AGENDA)
        assert status.submission_id == stored.id
        assert submitted_events(status) == 1
        with web.sessions() as session:
            after = SubmissionRepository(session).latest(workflow_id=spec.workflow_id)
            assert after is not None
            assert after.delivery_status == DELIVERY_DELIVERED
            assert SubmissionRepository(session).pending_deliveries() == []


async def test_resend_of_a_delivered_version_gets_the_first_answer(
    tmp_path: Path, smtp_sink: MailSink
) -> None:
    async with open_rig(tmp_path, smtp_sink) as web:
        spec, link = await web.open_round()
        page = await web.http.get(link)
        sent = await web.http.post(
            link, data={"csrf": csrf_of(page.text), "action": "submit", **ECONOMY}
        )
        assert sent.status_code == 303
        before = await web.wait_for_state(spec.workflow_id, lambda s: s.submission_id is not None)

        # As if the page's call had timed out although the round took the version.
        with web.sessions() as session:
            row = SubmissionRepository(session).latest(workflow_id=spec.workflow_id)
            assert row is not None
            row.delivery_status = DELIVERY_PENDING
            session.commit()
            submission_id = row.id
            resend = SubmitInput(
                submission_id=row.id, version=row.version, sha256=row.sha256, actor=row.submitted_by
            )

        # Without the version's update id the round refuses a second submit ...
        handle = web.client.get_workflow_handle(spec.workflow_id)
        try:
            await handle.execute_update(UPDATE_SUBMIT, resend)
            raise AssertionError("a second submit under a new update id was accepted")
        except WorkflowUpdateFailedError:
            pass
        # ... with it, Temporal gives back the first answer, and the web app's own loop
        # (started by its lifespan, as under uvicorn) marks the version delivered.
        again = await handle.execute_update(
            UPDATE_SUBMIT, resend, id=f"submission-{submission_id}", result_type=UpdateResult
        )
        assert again.message == "Rapporten är inlämnad. Tack!"  # the submit's own answer
        async with web.app.router.lifespan_context(web.app):
            for _ in range(200):
                with web.sessions() as session:
                    row = SubmissionRepository(session).get(submission_id=submission_id)
                    assert row is not None
                    if row.delivery_status != DELIVERY_PENDING:
                        break
                await asyncio.sleep(0.05)
        assert row.delivery_status == DELIVERY_DELIVERED
        after = await web.status(spec.workflow_id)
        assert submitted_events(after) == submitted_events(before) == 1
        assert after.state == before.state


async def test_temporal_away_leaves_versions_pending_and_the_command_says_so(
    tmp_path: Path, smtp_sink: MailSink
) -> None:
    settings = make_settings(tmp_path, smtp_sink)
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        sessions = make_session_maker(engine)
        with sessions() as session:
            content = ReportContent.model_validate(
                {
                    "economic": {
                        "budget_tkr": 100,
                        "utfall_tkr": 50,
                        "forecast_tkr": 100,
                        "analysis": "Enligt budget.",
                    }
                }
            )
            stored = SubmissionRepository(session).add_version(
                workflow_id="round/hedemora/manadsrapport/2026-10/bun",
                content=content,
                submitted_by="per.sandberg@example.org",
            )
            session.commit()
            assert submission_update_id(stored) == f"submission-{stored.id}"
        away = f"127.0.0.1:{free_port()}"
        env = {
            **os.environ,
            "DATABASE_URL": settings.database_url,
            "TEMPORAL_ADDRESS": away,
            "ARSHJUL_CONFIG": str(BUNDLED_CONFIG),
        }
        run = await asyncio.to_thread(
            subprocess.run,
            [sys.executable, "-m", "arshjul.cli", "deliver-pending", "--timeout", "2"],
            env=env,
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        assert "pending=1 delivered=0 refused=0 unavailable=1" in run.stdout
        with sessions() as session:
            row = session.get(Submission, stored.id)
            assert row is not None
            assert row.delivery_status == DELIVERY_PENDING
    finally:
        engine.dispose()


async def test_app_syncs_people_from_its_configuration(tmp_path: Path, smtp_sink: MailSink) -> None:
    settings = make_settings(tmp_path, smtp_sink)
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        sessions = make_session_maker(engine)
        app = create_app(settings, session_maker=sessions, limits=LIMITS)
        transport = httpx.ASGITransport(app=app)
        # The server's start (the lifespan, which ASGI test transports skip) syncs the people.
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url=settings.base_url) as http,
        ):
            page = await http.get("/login")
            await http.post(
                "/login", data={"csrf": csrf_of(page.text), "email": "birgitta.olsson@example.org"}
            )
        with sessions() as session:
            emails = set(session.scalars(select(Person.email)))
        assert {"birgitta.olsson@example.org", "maja.sjoberg@example.org"} <= emails
        assert "per.sandberg@example.org" in emails
    finally:
        engine.dispose()
