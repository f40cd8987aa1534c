"""Motions in the store: registered and changed with every old value in the audit log, found by
number whatever its case, one number per organisation, and the report § numbered with the year's
other §§ (so the next § after it takes the following number)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import replace

import pytest
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from arshjul.store.delegations import last_paragraph
from arshjul.store.repositories import DelegationEntry, DelegationRepository, MotionFields
from arshjul.store.repositories import MotionRepository as Repo

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
FIELDS = MotionFields(
    kind="medborgarforslag",
    number="KS 2026/123",
    title="Fler papperskorgar vid badplatsen",
    submitted_by="Sven Svensson",
    vackt_on=dt.date(2026, 4, 28),
    responsible_id="sbf",
    responsible_name="Samhällsbyggnadsförvaltningen",
)


def test_a_motion_is_registered_changed_and_closed_with_its_history(
    sessions: sessionmaker[Session],
) -> None:
    with sessions.begin() as session:
        motion_id = (
            Repo(session)
            .add(org_id="hedemora", committee_id="kf", fields=FIELDS, by="maja@example.org")
            .id
        )
    with sessions.begin() as session:
        repo = Repo(session)
        row = repo.by_number(org_id="hedemora", number=" ks 2026/123 ")
        assert row is not None and row.id == motion_id
        assert repo.by_number(org_id="annan", number="KS 2026/123") is None
        assert repo.update(row, FIELDS, by="eva@example.org") == []  # nothing changed
        closed = replace(
            FIELDS, status="besvarad", closed_on=dt.date(2027, 3, 30), decision_ref="KF § 12/2027"
        )
        assert repo.update(row, closed, by="eva@example.org") == [
            "status",
            "closed_on",
            "decision_ref",
        ]
    with sessions() as session:
        repo = Repo(session)
        row = repo.get(org_id="hedemora", motion_id=motion_id)
        assert row is not None and (row.status, row.closed_on) == ("besvarad", dt.date(2027, 3, 30))
        assert repo.get(org_id="annan", motion_id=motion_id) is None
        history = repo.history(row)
        assert [(e.action, e.actor) for e in history] == [
            ("motion_registered", "maja@example.org"),
            ("motion_changed", "eva@example.org"),
        ]
        assert json.loads(history[0].detail or "")["submitted_by"] == "Sven Svensson"
        assert json.loads(history[1].detail or "") == {
            "status": ["under_beredning", "besvarad"],
            "closed_on": [None, "2027-03-30"],
            "decision_ref": [None, "KF § 12/2027"],
        }
        assert [m.number for m in repo.motions(org_id="hedemora", committee_id="kf")] == [
            "KS 2026/123"
        ]


def test_one_number_per_organisation(sessions: sessionmaker[Session]) -> None:
    with sessions.begin() as session:
        Repo(session).add(org_id="hedemora", committee_id="kf", fields=FIELDS, by="a@x.se")
        Repo(session).add(org_id="annan", committee_id="kf", fields=FIELDS, by="a@x.se")
    with pytest.raises(IntegrityError), sessions.begin() as session:
        Repo(session).add(org_id="hedemora", committee_id="kf", fields=FIELDS, by="a@x.se")


def test_the_report_paragraph_takes_the_years_next_number(sessions: sessionmaker[Session]) -> None:
    meeting = dt.date(2026, 4, 28)
    with sessions.begin() as session:
        DelegationRepository(session).add(
            org_id="hedemora",
            committee_id="kf",
            meeting=dt.date(2026, 3, 31),
            entries=[DelegationEntry(dt.date(2026, 3, 2), "Kommundirektör", "Ärende", "KS 1")],
            by="a@x.se",
        )
        repo = Repo(session)
        row = repo.ensure_report(org_id="hedemora", committee_id="kf", meeting=meeting, by="a@x.se")
        assert row.paragraph == 2
        again = repo.ensure_report(org_id="hedemora", committee_id="kf", meeting=meeting, by="b")
        assert again.id == row.id
        assert last_paragraph(session, org_id="hedemora", committee_id="kf", year=2026) == 2
        assert last_paragraph(session, org_id="hedemora", committee_id="kf", year=2027) == 0
