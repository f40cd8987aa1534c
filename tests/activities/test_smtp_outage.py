"""SMTP down for a simulated week, inside a time-skipped round: every mail arrives once, in order.

The real ReportRoundWorkflow runs on the time-skipping server with the real activities, a real
SQLite store and a real SMTP server that answers 451 while it is "down".
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections import Counter
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy.orm import Session, sessionmaker
from temporalio.testing import WorkflowEnvironment

from arshjul.activities import activities_for
from arshjul.models.rounds import ROUND_WORKFLOW, EscalationSpec, Recipient, RoundSpec
from arshjul.notifications.sender import SmtpSender
from arshjul.settings import Settings
from arshjul.store.repositories import AuditRepository, MailRepository
from arshjul.worker import make_worker
from tests.conftest import MailSink
from tests.store.conftest import migrated

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# A minute of skipped days with real SMTP refusals: `make test-slow` (docs/TESTING.md).
pytestmark = pytest.mark.slow


async def test_a_week_without_smtp_loses_and_doubles_nothing(
    temporal_env: WorkflowEnvironment,
    smtp_sink: MailSink,
    sqlite_url: str,
    settings: Settings,
) -> None:
    # SQLite only: the store is not what is tested here, and the run takes a while.
    with migrated(sqlite_url) as sessions:
        await _outage(temporal_env, smtp_sink, sessions, settings)


async def _outage(
    env: WorkflowEnvironment,
    smtp_sink: MailSink,
    sessions: sessionmaker[Session],
    settings: Settings,
) -> None:

    # Make the workflow's clock read Monday 8 March 2027, 07:00 Stockholm, right now.
    start = dt.datetime(2027, 3, 8, 7, 0, tzinfo=STOCKHOLM)
    offset = (start - await env.get_current_time()).total_seconds()
    spec = RoundSpec(
        org_id=f"t{uuid.uuid4().hex[:8]}",
        org_name="Hedemora kommun",
        report_id="manad",
        report_title="Månadsrapport",
        sections=["economic"],
        period="2027-02",
        period_end=dt.date(2027, 2, 28),
        unit_id="buf",
        unit_name="Barn- och utbildning",
        recipients=[Recipient(name="Åsa Öberg", email="asa@example.org")],
        opens=dt.date(2027, 3, 9),
        due=dt.date(2027, 3, 31),
        reminders_working_days_before_due=[5, 1],
        escalation=EscalationSpec(
            after_working_days=2,
            repeat_every_days=7,
            role_titles=["Ekonomichef"],
            to=[Recipient(name="Eva Ek", email="eva@example.org")],
        ),
        clock_offset_s=offset,
    )

    async def advance_to(local: dt.datetime) -> None:
        target = local.replace(tzinfo=STOCKHOLM) - dt.timedelta(seconds=offset)
        # In half-day steps: one long sleep call would outlast the RPC timeout while the
        # activity retries every few (skipped) minutes.
        while (now := await env.get_current_time()) < target:
            await env.sleep(min(target - now, dt.timedelta(hours=12)))

    sender = SmtpSender(host="127.0.0.1", port=smtp_sink.port, timeout=5)
    queue = f"outage-{uuid.uuid4().hex[:8]}"
    async with make_worker(env.client, queue, activities_for(sessions, sender, settings)):
        await env.client.start_workflow(ROUND_WORKFLOW, spec, id=spec.workflow_id, task_queue=queue)
        # Down from just before the request (Tue 9 March 08:00) for a week.
        smtp_sink.refuse = True
        await advance_to(dt.datetime(2027, 3, 16, 9, 0))
        assert smtp_sink.messages == []
        smtp_sink.refuse = False
        await advance_to(dt.datetime(2027, 4, 10, 12, 0))

    received = [m["X-Arshjul-Key"] for m in smtp_sink.messages]
    assert Counter(received).most_common(1)[0][1] == 1, "a mail arrived twice"
    base = spec.workflow_id
    assert received == [
        f"{base}/request-0/0",  # held back by the outage, delivered once SMTP was up
        f"{base}/reminder-0/0",  # 24 March, 5 working days before the due date
        f"{base}/reminder-1/0",
        f"{base}/overdue-0/0",
        f"{base}/escalation-0/0",
        f"{base}/escalation-1/0",
    ]
    with sessions() as session:
        proof = MailRepository(session).list_for_round(workflow_id=base)
        assert [m.idempotency_key for m in proof] == received
        history = AuditRepository(session).list_for_round(workflow_id=base)
        assert [a.action for a in history] == [
            "request",
            "reminder",
            "reminder",
            "overdue",
            "escalation",
            "escalation",
        ]
