"""The activities: a mail per key exactly once, links that open their round, records mirrored."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from temporalio.exceptions import ApplicationError
from temporalio.testing import ActivityEnvironment

from arshjul.activities.rounds import RoundActivities
from arshjul.models.effects import DecisionRecord, NotificationRequest
from arshjul.models.rounds import Recipient, RoundState
from arshjul.notifications import tokens
from arshjul.notifications.sender import RetryableSendError
from arshjul.store.models import LinkToken
from arshjul.store.repositories import AuditRepository, MailRepository, RoundRepository
from tests.conftest import MailSink
from tests.notifications.conftest import review_round
from tests.store.conftest import event

Sessions = sessionmaker[Session]


def request(key: str = "round/x/request/0", **extra: object) -> NotificationRequest:
    values: dict[str, object] = {
        "idempotency_key": key,
        "template": "request",
        "to": [Recipient(name="Örjan Åkesson", email="orjan@example.org")],
        "round": review_round(),
        "due": dt.date(2026, 9, 14),
        "with_link": True,
    }
    values.update(extra)
    return NotificationRequest.model_validate(values)


async def test_a_mail_is_sent_once_per_key_with_a_working_link(
    acts: RoundActivities, smtp_sink: MailSink, sessions: Sessions
) -> None:
    env = ActivityEnvironment()
    first = await env.run(acts.send_notification, request())
    again = await env.run(acts.send_notification, request())
    assert first.sent and not again.sent and again.message_id == first.message_id
    [mail] = smtp_sink.messages
    text = mail.get_body(preferencelist=("plain",)).get_content()
    link = next(w for w in text.split() if w.startswith("https://arshjul.hedemora.se/s/"))
    with sessions() as session:
        scope = tokens.verify(
            session, link.rsplit("/", 1)[1], purpose="submit", secret_key="activity-test-key"
        )
        assert scope.workflow_id == review_round().workflow_id and scope.unit_id == "sbf"
        [row] = MailRepository(session).list_for_round(workflow_id=review_round().workflow_id)
        assert row.message_id == mail["Message-ID"] and row.smtp_response.startswith("250")
        assert row.recipients == "orjan@example.org" and row.template == "request"


async def test_smtp_down_then_up_delivers_exactly_once(
    acts: RoundActivities, smtp_sink: MailSink, sessions: Sessions
) -> None:
    env = ActivityEnvironment()
    smtp_sink.refuse = True
    for _ in range(3):  # Temporal retries a failed attempt: each must fail retryably
        with pytest.raises(RetryableSendError):
            await env.run(acts.send_notification, request())
    smtp_sink.refuse = False
    results = [await env.run(acts.send_notification, request()) for _ in range(3)]
    assert [r.sent for r in results] == [True, False, False]
    assert len(smtp_sink.messages) == 1
    with sessions() as session:
        assert MailRepository(session).get(idempotency_key=request().idempotency_key)
        # Failed attempts leave no live links behind: only the delivered mail's token exists.
        assert session.scalar(select(func.count()).select_from(LinkToken)) == 1


async def test_a_permanent_failure_is_not_retried(acts: RoundActivities) -> None:
    bad = request(to=[Recipient(name="x", email="not-an-address")])
    with pytest.raises(ApplicationError) as caught:
        await ActivityEnvironment().run(acts.send_notification, bad)
    assert caught.value.non_retryable and caught.value.type == "PermanentError"


async def test_events_are_mirrored_once_and_decisions_numbered(
    acts: RoundActivities, sessions: Sessions
) -> None:
    env = ActivityEnvironment()
    spec = review_round()
    records = [
        event(spec, 0, "request", RoundState.OPEN),
        event(spec, 1, "submitted", RoundState.SUBMITTED, actor="orjan@example.org"),
        event(
            spec,
            2,
            "on_agenda",
            RoundState.ON_AGENDA,
            meeting=dt.date(2026, 10, 6),
            committee_id="ksau",
        ),
    ]
    for record in records + records[1:]:  # replayed activities write nothing twice
        await env.run(acts.record_event, record)
    decision = DecisionRecord(
        idempotency_key=f"{spec.workflow_id}/decide/0",
        workflow_id=spec.workflow_id,
        committee_id="ksau",
        meeting=dt.date(2026, 10, 6),
        outcome="remitted",
        reason="Åtgärdsplan saknas.",
        decided_by="ordf@hedemora.se",
        time=dt.datetime(2026, 10, 6, 9, tzinfo=dt.UTC),
    )
    first = await env.run(acts.record_decision, decision)
    again = await env.run(acts.record_decision, decision)
    assert first == again and first.paragraph == 1
    with sessions() as session:
        row = RoundRepository(session).get(workflow_id=spec.workflow_id)
        assert row is not None and row.state == "on_agenda" and row.committee_id == "ksau"
        audit = AuditRepository(session).list_for_round(workflow_id=spec.workflow_id)
        assert [(a.seq, a.action, a.actor) for a in audit] == [
            (0, "request", "system"),
            (1, "submitted", "orjan@example.org"),
            (2, "on_agenda", "system"),
        ]
