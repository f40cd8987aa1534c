"""The twice-yearly report of the motions not yet beredda: motions registered on given dates give
a § on the reporting KF meeting that names exactly those under beredning on the meeting day, the
ones past the one-year limit flagged; the § is numbered with the year's §§, listed in the protocol
and its PDF/A, kept as signed at justering and locked by the database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import replace

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from arshjul.calendar.config import ArshjulConfig
from arshjul.protocol.delegation import RawEntry, add_delegations
from arshjul.protocol.gather import load_protocol
from arshjul.protocol.justering import MeetingDetails, save_details, sign
from arshjul.protocol.render import render_protocol_html, render_protocol_pdf
from arshjul.store.repositories import MotionFields, MotionRepository
from tests.protocol.conftest import pdf_text
from tests.store.conftest import migrated

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
D = dt.date
REPORT = D(2027, 4, 27)  # KF's first meeting in April 2027: a reporting meeting of the example
NOT_REPORT = D(2027, 3, 30)
SECRETARY = "maja.sjoberg@example.org"
CHAIR, ADJUSTER = "rolf.ekman@example.org", "lisa.bergstrom@example.org"


def _motion(number: str, vackt: dt.date, **changes: object) -> MotionFields:
    base = MotionFields(
        kind="motion",
        number=number,
        title=f"Ärende {number}",
        submitted_by="Karin Ås (C)",
        vackt_on=vackt,
        responsible_id="sbf",
        responsible_name="Samhällsbyggnadsförvaltningen",
    )
    return replace(base, **changes)  # type: ignore[arg-type]


MOTIONS = [
    _motion(
        "KF 2026/12",
        D(2026, 2, 10),
        title="Gång- och cykelväg till Vikmanshyttan",
        delay_reason="Kostnadsberäkningen väntar på Trafikverkets besked.",
    ),
    _motion(
        "KF 2026/31",
        D(2026, 4, 28),
        kind="medborgarforslag",
        submitted_by="Anna Privatperson",
        title="Hundrastgård i Långshyttan",
        responsible_id="kfo",
        responsible_name="Kultur- och fritidsförvaltningen",
    ),
    _motion("KF 2026/20", D(2026, 3, 31), status="besvarad", closed_on=D(2027, 3, 30)),
    _motion("KF 2026/40", D(2026, 6, 16), status="atertagen", closed_on=D(2026, 9, 1)),
    _motion("KF 2026/50", D(2026, 9, 22), status="avskriven", closed_on=REPORT),
    _motion("KF 2026/60", D(2026, 10, 27), status="besvarad", closed_on=D(2027, 6, 15)),
    _motion("KF 2027/5", REPORT),
]


@pytest.fixture
def kf(database_url: str, config: ArshjulConfig) -> Iterator[sessionmaker[Session]]:
    """A migrated store (SQLite, and PostgreSQL when set) with the motions registered."""
    with migrated(database_url) as sessions:
        with sessions.begin() as session:
            repo = MotionRepository(session)
            for fields in MOTIONS:
                repo.add(org_id="hedemora", committee_id="kf", fields=fields, by=SECRETARY)
        yield sessions


def _details(sessions: sessionmaker[Session], config: ArshjulConfig, meeting: dt.date) -> None:
    details = MeetingDetails(
        present=[CHAIR, ADJUSTER, "omar.saleh@example.org"], adjusters=[ADJUSTER], chair=CHAIR
    )
    with sessions.begin() as session:
        save_details(session, config, "kf", meeting, details)


def _protocol(sessions: sessionmaker[Session], config: ArshjulConfig, meeting: dt.date = REPORT):  # noqa: ANN202
    with sessions() as session:
        return load_protocol(session, config, committee_id="kf", meeting=meeting)


def test_the_report_names_exactly_the_undecided_and_flags_those_past_the_limit(
    kf: sessionmaker[Session], config: ArshjulConfig
) -> None:
    assert _protocol(kf, config).motions is None  # nothing written to the protocol yet
    _details(kf, config, REPORT)
    # A delegationsbeslut reported at the same meeting: the next § of the year.
    with kf.begin() as session:
        raw = RawEntry("2027-04-01", "Kommundirektör", "Anställning", "KS 2027/88")
        add_delegations(session, config, "kf", REPORT, [(None, raw)], by=SECRETARY)
    doc = _protocol(kf, config)
    assert doc.motions is not None and doc.delegation is not None
    assert (doc.motions.number, doc.delegation.number) == (1, 2)
    assert doc.paragraph_range == "§§ 1–2"
    listed = [(m.number, m.past_limit, m.days_over) for m in doc.motions.motions]
    assert listed == [("KF 2026/12", True, 76), ("KF 2026/31", False, 0), ("KF 2026/60", False, 0)]
    first = doc.motions.motions[0]
    assert (first.limit_on, first.responsible) == (D(2027, 2, 10), "Samhällsbyggnadsförvaltningen")
    assert doc.motions.motions[1].responsible == "Kultur- och fritidsförvaltningen"

    words = pdf_text(render_protocol_pdf(doc))
    for expected in (
        "§ 1 Redovisning av motioner och medborgarförslag som inte har beretts färdigt",
        "5 kap. 35 § kommunallagen",
        "varav 1 har varit under beredning längre än tidsgränsen",
        "KF 2026/12 – Motion: Gång- och cykelväg till Vikmanshyttan",
        "Väckt 10 februari 2026",
        "Beslut senast 10 februari 2027",
        "Tidsgränsen har passerats (76 dagar sedan)",
        "Kostnadsberäkningen väntar på Trafikverkets besked.",
        "KF 2026/31 – Medborgarförslag: Hundrastgård i Långshyttan",
        "Kultur- och fritidsförvaltningen",
        "Kommunfullmäktige beslutar att lägga redovisningen till handlingarna.",
        "§ 2 Anmälan av delegationsbeslut",
    ):
        assert expected in words, expected
    for absent in ("KF 2026/20", "KF 2026/40", "KF 2026/50", "KF 2027/5", "Anna Privatperson"):
        assert absent not in words, absent  # decided, withdrawn, new; no resident's name
    assert 'id="p1"' in render_protocol_html(doc)


def test_a_meeting_that_does_not_report_gets_no_paragraph(
    kf: sessionmaker[Session], config: ArshjulConfig
) -> None:
    _details(kf, config, NOT_REPORT)
    assert _protocol(kf, config, NOT_REPORT).motions is None


def test_the_list_is_live_until_justering_then_kept_and_locked(
    kf: sessionmaker[Session], config: ArshjulConfig
) -> None:
    _details(kf, config, REPORT)
    with kf.begin() as session:
        repo = MotionRepository(session)
        row = repo.by_number(org_id="hedemora", number="kf 2026/31")
        assert row is not None
        fields = _motion(
            row.number,
            row.vackt_on,
            kind=row.kind,
            title=row.title,
            submitted_by=row.submitted_by,
            responsible_id=row.responsible_id,
            responsible_name=row.responsible_name,
            delay_reason="Platsen utreds med markägaren.",
        )
        assert repo.update(row, fields, by=SECRETARY) == ["delay_reason"]
    reasons = [m.reason for m in _protocol(kf, config).motions.motions]  # type: ignore[union-attr]
    assert "Platsen utreds med markägaren." in reasons

    for email, name in ((CHAIR, "Rolf Ekman"), (ADJUSTER, "Lisa Bergström")):
        with kf.begin() as session:
            result = sign(session, config, "kf", REPORT, email=email, name=name)
    assert result.justerat
    signed = _protocol(kf, config)
    # Decided after the justering: the signed list still names it, as it was that day.
    with kf.begin() as session:
        repo = MotionRepository(session)
        row = repo.by_number(org_id="hedemora", number="KF 2026/12")
        assert row is not None
        repo.update(
            row,
            _motion(
                row.number,
                row.vackt_on,
                title=row.title,
                status="besvarad",
                closed_on=D(2027, 4, 28),
                delay_reason="Ändrat efteråt",
            ),
            by=SECRETARY,
        )
    after = _protocol(kf, config)
    assert after.motions is not None and after.motions == signed.motions
    assert [(m.number, m.reason) for m in after.motions.motions][0] == (
        "KF 2026/12",
        "Kostnadsberäkningen väntar på Trafikverkets besked.",
    )
    assert after.content_sha256() == signed.content_sha256()
    with pytest.raises(DBAPIError), kf.begin() as session:
        session.execute(text("UPDATE motion_reports SET items = NULL"))
    with pytest.raises(DBAPIError), kf.begin() as session:
        session.execute(text("DELETE FROM motion_reports"))
