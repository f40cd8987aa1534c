"""Gallring over a simulated year: each record goes on the day after its limit, the audit says
how many went, and nothing of a case that is not archived is touched."""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import pytest
from sqlalchemy import delete, select
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from arshjul.calendar.retention import RetentionConfig, plan
from arshjul.store.models import (
    AuditEntry,
    Draft,
    LedgerFigure,
    LedgerImport,
    LinkToken,
    Round,
    SentMail,
    WebSession,
)
from arshjul.store.retention import ARCHIVED, GALLRING, gallra
from tests.store.conftest import round_spec

TZ = "Europe/Stockholm"
RULES = RetentionConfig.model_validate(
    {
        "drafts": {"months": 3, "after": "round_closed"},
        "mail_log": {"months": 6},
        "login_records": {"days": 90},
        "sessions": {"days": 30},
        "ledger_files": {"years": 1},
        "audit": {"months": 9},
    }
)
ARCHIVED_CASE = "archived"
OPEN_CASE = "unarchived"  # closed, but its archive package was never made
ADDRESSES = ("asa.oberg@hedemora.se", "bo.berg@hedemora.se")


def at(day: str) -> dt.datetime:
    """Ten in the morning UTC of a day: far from any midnight in Stockholm."""
    return dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=dt.UTC)


def closed_round(session: Session, unit: str) -> str:
    spec = round_spec(unit_id=unit)
    session.add(
        Round(
            workflow_id=spec.workflow_id,
            org_id=spec.org_id,
            report_id=spec.report_id,
            report_title=spec.report_title,
            period=spec.period,
            unit_id=unit,
            unit_name=spec.unit_name,
            state="approved",
            opens=spec.opens,
            due=spec.due,
            meeting=None,
            committee_id=None,
            target_meeting=None,
            submission_id=None,
            last_event="approved",
            last_seq=9,
            demo=False,
            spec=spec.model_dump(mode="json"),
            updated_at=at("2026-05-10"),
        )
    )
    return spec.workflow_id


def place(session: Session) -> dict[str, tuple[type[Any], Any]]:
    """Places one record of each kind on a known day; returns them by name."""
    a, b = closed_round(session, "bun"), closed_round(session, "sbf")
    who = ADDRESSES[0]
    session.add_all(
        [
            Draft(workflow_id=w, content={"x": 1}, saved_by=who, saved_at=at("2026-04-05"))
            for w in (a, b)
        ]
    )
    mails = {
        "mail-free": SentMail(idempotency_key="k0", workflow_id=None, sent_at=at("2026-01-15")),
        "mail-archived": SentMail(idempotency_key="k1", workflow_id=a, sent_at=at("2026-04-02")),
        "mail-unarchived": SentMail(idempotency_key="k2", workflow_id=b, sent_at=at("2026-04-02")),
    }
    for m in mails.values():
        m.template, m.recipients, m.subject = "request", ",".join(ADDRESSES), "Rapport"
        m.message_id, m.smtp_response = "<m@x>", "250 ok"
    token = LinkToken(
        token_hash="h" * 64,
        purpose="login",
        email=who,
        created_at=at("2026-01-25"),
        expires_at=at("2026-02-01"),
    )
    web = WebSession(
        token_hash="s" * 64,
        email=who,
        method="magic_link",
        idp=None,
        created_at=at("2026-02-20"),
        last_seen_at=at("2026-03-01"),
        revoked_at=None,
    )
    ledger = LedgerImport(
        org_id="hedemora",
        period="2026-01",
        file_name="hb.se",
        file_format="sie",
        sha256="0" * 64,
        source="SIE",
        generated_on=None,
        imported_at=at("2026-01-10"),
        imported_by=who,
        units=1,
    )
    audit_free = AuditEntry(time=at("2026-01-20"), actor=who, action="config_saved")
    audit_open = AuditEntry(time=at("2026-04-01"), actor=who, action="submitted", workflow_id=b)
    audit_done = AuditEntry(time=at("2026-04-01"), actor=who, action="submitted", workflow_id=a)
    marker = AuditEntry(time=at("2026-05-11"), actor="system", action=ARCHIVED, workflow_id=a)
    session.add_all(
        [*mails.values(), token, web, ledger, audit_free, audit_open, audit_done, marker]
    )
    session.flush()
    session.add(
        LedgerFigure(
            import_id=ledger.id,
            org_id="hedemora",
            period="2026-01",
            unit_id="bun",
            codes="1",
            budget_tkr=None,
            utfall_tkr=1,
        )
    )
    return {
        "draft-archived": (Draft, a),
        "draft-unarchived": (Draft, b),
        **{k: (SentMail, m.id) for k, m in mails.items()},
        "token": (LinkToken, token.id),
        "session": (WebSession, web.id),
        "ledger": (LedgerImport, ledger.id),
        "audit-free": (AuditEntry, audit_free.id),
        "audit-unarchived": (AuditEntry, audit_open.id),
        "audit-archived": (AuditEntry, audit_done.id),
    }


# The day each record is first gone: the day after its limit. None: kept all year.
EXPECTED = {
    "session": "2026-04-01",  # last used 1 March + 30 days
    "token": "2026-05-03",  # expired 1 February + 90 days
    "mail-free": "2026-07-16",  # sent 15 January + 6 months
    "draft-archived": "2026-08-11",  # round closed 10 May + 3 months
    "mail-archived": "2026-10-03",  # sent 2 April + 6 months (archived 11 May)
    "audit-free": "2026-10-21",  # 20 January + 9 months
    "audit-archived": "2027-01-02",  # 1 April + 9 months
    "ledger": "2027-01-11",  # imported 10 January + 1 year
    "draft-unarchived": None,
    "mail-unarchived": None,
    "audit-unarchived": None,
}


def test_a_year_of_daily_gallring(
    sessions: sessionmaker[Session], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with sessions.begin() as s:
        records = place(s)
    gone: dict[str, str] = {}
    day = dt.date(2026, 1, 1)
    while day <= dt.date(2027, 1, 31):
        now = dt.datetime.combine(day, dt.time(3), tzinfo=dt.UTC)
        with sessions.begin() as s:
            gallra(s, plan(RULES, day), TZ, now=now)
            for name, (table, key) in records.items():
                column = table.workflow_id if table is Draft else table.id
                if name not in gone and s.scalar(select(column).where(column == key)) is None:
                    gone[name] = day.isoformat()
        day += dt.timedelta(days=1)
    assert gone == {k: v for k, v in EXPECTED.items() if v is not None}
    with sessions() as s:
        assert s.scalar(select(LedgerFigure.id)) is None  # the import's figures went with it
        entries = list(s.scalars(select(AuditEntry).where(AuditEntry.action == GALLRING)))
    by_day = {(e.time.date().isoformat(), e.detail.split(":")[0]) for e in entries}
    # The audit keeps its own entries 9 months too: April's gallring of a session has gone.
    assert {("2026-07-16", "mail_log"), ("2026-08-11", "drafts")} <= by_day
    assert ("2027-01-02", "audit") in by_day and ("2026-04-01", "sessions") not in by_day
    assert all(": 1 removed" in e.detail for e in entries if e.time.year == 2026)
    # Neither the audit entries nor the log name a person.
    logged = caplog.text + "".join(e.detail or "" for e in entries)
    assert "gallring sessions: 1 removed" in caplog.text
    assert not [a for a in ADDRESSES if a in logged]


def test_a_dry_run_removes_nothing_and_counts_what_would_go(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as s:
        place(s)
    with sessions.begin() as s:
        outcomes = gallra(s, plan(RULES, dt.date(2026, 8, 11)), TZ, dry_run=True)
    due = {o.cutoff.kind: (o.due, o.removed) for o in outcomes}
    assert due["drafts"] == (1, 0) and due["mail_log"] == (1, 0) and due["sessions"] == (1, 0)
    nxt = {o.cutoff.kind: o.next_due for o in outcomes}
    assert nxt["mail_log"] == dt.date(2026, 10, 3) and nxt["ledger_files"] == dt.date(2027, 1, 11)
    with sessions() as s:
        assert len(list(s.scalars(select(Draft)))) == 2
        assert s.scalar(select(AuditEntry.id).where(AuditEntry.action == GALLRING)) is None


def test_no_rules_remove_nothing(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as s:
        place(s)
    with sessions.begin() as s:
        assert gallra(s, plan(None, dt.date(2030, 1, 1)), TZ) == []
    with sessions() as s:
        assert len(list(s.scalars(select(SentMail)))) == 3


def test_the_mail_log_and_audit_stay_append_only_outside_gallring(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as s:
        place(s)
    for table in (SentMail, AuditEntry, LedgerImport):
        with pytest.raises(DBAPIError, match="append-only"), sessions.begin() as s:
            s.execute(delete(table))
