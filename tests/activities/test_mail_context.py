"""A round's mail goes to whoever answers for the unit that day, names a contact, carries the
deadline's calendar version, and tells why an åtgärdsplan is asked for."""

from __future__ import annotations

import dataclasses
import datetime as dt

import icalendar
from sqlalchemy.orm import Session, sessionmaker
from temporalio.testing import ActivityEnvironment

from arshjul.activities.rounds import RoundActivities
from arshjul.calendar.loader import load_config
from arshjul.forms.content import ReportContent
from arshjul.models.effects import NotificationRequest
from arshjul.models.rounds import FollowupSpec, Recipient, RoundState
from arshjul.settings import BUNDLED_CONFIG
from arshjul.store.models import UNIT_DEPUTY, UNIT_RECIPIENT
from arshjul.store.repositories import (
    RoundRepository,
    SubmissionRepository,
    UnitPeopleRepository,
    sync_config,
)
from tests.conftest import MailSink
from tests.store.conftest import event, round_spec

Sessions = sessionmaker[Session]
PER = Recipient(name="Per Sandberg", email="per.sandberg@example.org")  # chef of bun


def _env(day: dt.date) -> ActivityEnvironment:
    env = ActivityEnvironment()
    at = dt.datetime.combine(day, dt.time(7, 0), tzinfo=dt.UTC)
    env.info = dataclasses.replace(env.info, current_attempt_scheduled_time=at)
    return env


def _setup(sessions: Sessions) -> None:
    with sessions.begin() as session:
        sync_config(session, load_config(BUNDLED_CONFIG))
        people = UnitPeopleRepository(session)
        people.add(
            org_id="hedemora",
            unit_id="bun",
            kind=UNIT_DEPUTY,
            name="Dana Ersättare",
            email="Dana@Example.org",
            starts=dt.date(2026, 7, 1),
            ends=dt.date(2026, 8, 31),
            created_by=PER.email,
        )
        people.add(
            org_id="hedemora",
            unit_id="bun",
            kind=UNIT_RECIPIENT,
            name="Carl Controller",
            email="carl@example.org",
            created_by=PER.email,
        )


def _mail(template: str, key: str, **extra: object) -> NotificationRequest:
    spec = round_spec().model_copy(update={"recipients": [PER]})
    values: dict[str, object] = {
        "idempotency_key": key,
        "template": template,
        "to": [PER],
        "round": spec,
        "with_link": True,
    }
    values.update(extra)
    return NotificationRequest.model_validate(values)


async def test_the_deputy_gets_the_mails_of_their_dates_and_a_recipient_always(
    acts: RoundActivities, smtp_sink: MailSink, sessions: Sessions
) -> None:
    _setup(sessions)
    await _env(dt.date(2026, 8, 24)).run(acts.send_notification, _mail("reminder", "k/1"))
    await _env(dt.date(2026, 9, 1)).run(acts.send_notification, _mail("reminder", "k/2"))
    during, after = smtp_sink.messages
    assert [a.addr_spec for a in during["To"].addresses] == [
        "dana@example.org",
        "carl@example.org",
    ]
    assert [a.addr_spec for a in after["To"].addresses] == [PER.email, "carl@example.org"]
    text = during.get_body(preferencelist=("plain",)).get_content()
    assert text.startswith("Hej Dana Ersättare, Carl Controller!")
    assert "Frågor? Kontakta Eva Ekström, ekonomichef: eva.ekstrom@example.org." in text


async def test_mail_to_others_keeps_its_recipients(
    acts: RoundActivities, smtp_sink: MailSink, sessions: Sessions
) -> None:
    _setup(sessions)
    boss = Recipient(name="Eva Ekström", email="eva.ekstrom@example.org")
    escalation = _mail("escalation", "k/3", to=[boss], late_units=["Barn"])
    await _env(dt.date(2026, 8, 24)).run(acts.send_notification, escalation)
    [mail] = smtp_sink.messages
    assert [a.addr_spec for a in mail["To"].addresses] == [boss.email]


async def test_a_moved_deadline_updates_the_same_calendar_event(
    acts: RoundActivities, smtp_sink: MailSink, sessions: Sessions
) -> None:
    spec = round_spec().model_copy(update={"recipients": [PER]})
    with sessions.begin() as session:
        rounds = RoundRepository(session)
        rounds.upsert_from_event(event(spec, 1, "request", RoundState.OPEN))
        moved = dt.date(2026, 4, 24)
        rounds.upsert_from_event(event(spec, 2, "extended", RoundState.OPEN, due=moved))
    env = _env(dt.date(2026, 4, 14))
    await env.run(acts.send_notification, _mail("request", "k/4", due=spec.due))
    await env.run(acts.send_notification, _mail("extended", "k/5", due=moved, reason="Sjukdom"))
    first, second = (
        icalendar.Calendar.from_ical(next(m.iter_attachments()).get_content()).walk("VEVENT")[0]
        for m in smtp_sink.messages
    )
    assert str(first["uid"]) == str(second["uid"]) == "due/manad/2026-03/bun@hedemora.arshjul"
    assert second.decoded("dtstart") == moved
    # Both mails read the mirror, which counts one move: the newer mail wins in the calendar.
    assert second.decoded("sequence") == 1
    assert second.decoded("last-modified") == dt.datetime(2026, 4, 1, 8, 0, tzinfo=dt.UTC)


async def test_the_atgardsplan_request_says_why(
    acts: RoundActivities, smtp_sink: MailSink, sessions: Sessions
) -> None:
    parent = round_spec().model_copy(
        update={
            "followup": FollowupSpec(
                report_id="atgardsplan",
                report_title="Åtgärdsplan",
                deviation_threshold_tkr=500,
                due_days=30,
            )
        }
    )
    with sessions.begin() as session:
        RoundRepository(session).upsert_from_event(event(parent, 1, "request", RoundState.OPEN))
        content = ReportContent.model_validate(
            {
                "economic": {
                    "budget_tkr": 10000,
                    "utfall_tkr": 8000,
                    "forecast_tkr": 12500,
                    "analysis": "Fler placeringar.",
                    "measures": "Översyn.",
                }
            }
        )
        SubmissionRepository(session).add_version(
            workflow_id=parent.workflow_id, content=content, submitted_by=PER.email
        )
    child = parent.model_copy(
        update={"report_id": "atgardsplan", "report_title": "Åtgärdsplan", "followup": None}
    )
    request = _mail("request", "k/6", round=child)
    await _env(dt.date(2026, 4, 20)).run(acts.send_notification, request)
    [mail] = smtp_sink.messages
    text = " ".join(mail.get_body(preferencelist=("plain",)).get_content().split())
    assert (
        "Åtgärdsplanen begärs eftersom Månadsrapport för mars 2026 visade en prognos på "
        "2 500 tkr över budget. Gränsen för en åtgärdsplan är 500 tkr." in text
    )
