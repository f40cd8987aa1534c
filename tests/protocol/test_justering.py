"""A protocol from the meeting to the archive: §§ per year, justering, lock, anslag, PDF/A."""

from __future__ import annotations

import datetime as dt
import hashlib

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from arshjul.calendar.demo import DEMO_PLACE, demo_round
from arshjul.calendar.workdays import WorkingDays
from arshjul.protocol.gather import load_protocol
from arshjul.protocol.justering import (
    MeetingDetails,
    ProtocolError,
    record_anslag,
    save_details,
    sign,
)
from arshjul.protocol.model import Attendee
from arshjul.protocol.render import render_protocol_html, render_protocol_pdf
from arshjul.store.repositories import MeetingRepository
from tests.protocol.conftest import (
    ADJUSTER,
    CHAIR,
    MEETING,
    MEMBER,
    SECRETARY,
    Committee,
    pdf_text,
    pdfa_part,
)
from tests.web.conftest import today as stockholm_today

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
DETAILS = MeetingDetails(
    starts_at="08:30",
    ends_at="10.15",
    place="Stadshuset, sammanträdesrum Dalälven",
    present=[CHAIR, ADJUSTER, MEMBER],
    substitutes=[Attendee(name="Bo Ek", role="Mats Ryd del av § 2")],
    others=[Attendee(name="Eva Ekström", role="ekonomichef")],
    adjusters=[ADJUSTER],
)
REMIT = "Åtgärdsplan saknas för underskottet."


def _meeting_with_three_decisions(c: Committee) -> list[int]:
    return [
        c.decide("bun", "remitted", REMIT),
        c.decide("bun", "approved"),
        c.decide("sof", "referred", "Större avvikelse: KS beslutar."),
    ]


def test_paragraphs_continue_through_the_committees_year(committee: Committee) -> None:
    assert committee.decide("ksf", "approved", meeting=dt.date(2026, 9, 22)) == 1
    assert _meeting_with_three_decisions(committee) == [2, 3, 4]
    with committee.sessions() as session:
        doc = load_protocol(session, committee.config, committee_id="ksau", meeting=MEETING)
    assert doc.paragraph_range == "§§ 2–4"
    # The återremiss and the approval of the same case at one meeting point at each other.
    assert [(p.number, p.related) for p in doc.paragraphs] == [(2, [3]), (3, [2]), (4, [])]
    assert doc.paragraphs[0].decision_text == (
        "Kommunstyrelsens arbetsutskott beslutar att återremittera rapporten till "
        "Barn- och utbildningsförvaltningen för komplettering."
    )
    assert doc.paragraphs[2].decision_text.endswith(
        "lämna ärendet till kommunstyrelsen för beslut."
    )


def test_justering_locks_the_protocol_and_anslag_gives_the_archive_copy(
    committee: Committee,
) -> None:
    c = committee
    _meeting_with_three_decisions(c)
    with c.sessions.begin() as session:
        save_details(session, c.config, "ksau", MEETING, DETAILS)
    with c.sessions.begin() as session, pytest.raises(ProtocolError) as refused:
        sign(session, c.config, "ksau", MEETING, email=MEMBER, name="Mats Ryd")
    assert refused.value.message_sv.startswith("Bara ordföranden och de valda justerarna")
    with c.sessions.begin() as session:
        first = sign(session, c.config, "ksau", MEETING, email=CHAIR, name="Gunnar Ståhl")
    assert (first.justerat, first.missing) == (False, ["Ingrid Falk"])
    with c.sessions.begin() as session:
        done = sign(session, c.config, "ksau", MEETING, email=ADJUSTER, name="Ingrid Falk")
    assert done.justerat
    # Locked in the application …
    with c.sessions.begin() as session, pytest.raises(ProtocolError):
        save_details(session, c.config, "ksau", MEETING, DETAILS)
    # … and in the database, whatever writes to it.
    _refused_by_the_database(c)
    with c.sessions.begin() as session:
        archive = record_anslag(
            session,
            c.config,
            "ksau",
            MEETING,
            anslag_date=WorkingDays().next_or_same(stockholm_today()),
            by=SECRETARY,
            base_url="https://arshjul.example.org",
        )
        archive_id, content = archive.id, archive.content
    with c.sessions() as session:
        row = MeetingRepository(session).get(
            org_id="hedemora", committee_id="ksau", meeting=MEETING
        )
        assert row is not None and row.archive_sha256 == hashlib.sha256(content).hexdigest()
        assert (
            row.appeal_until is not None
            and row.appeal_until >= stockholm_today() + dt.timedelta(21)
        )
        appeal_until = row.appeal_until
    with c.sessions.begin() as session, pytest.raises(ProtocolError):
        record_anslag(session, c.config, "ksau", MEETING, anslag_date=MEETING, by=SECRETARY)
    engine = c.sessions.kw["bind"]
    for statement in (
        "UPDATE meetings SET anslag_date = '2026-10-09'",
        f"UPDATE protocol_archives SET sha256 = 'x' WHERE id = {archive_id}",
        f"DELETE FROM protocol_archives WHERE id = {archive_id}",
    ):
        with pytest.raises(DBAPIError), engine.begin() as conn:
            conn.execute(text(statement))
    assert content.startswith(b"%PDF-")
    assert pdfa_part(content) == ("2", "U")  # PDF/A-2u, declared in the XMP metadata
    words = pdf_text(content)
    for expected in (
        "Gunnar Ståhl, ordförande",
        "Ingrid Falk",
        "Bo Ek (för Mats Ryd del av § 2)",
        "Eva Ekström, ekonomichef",
        # DETAILS gave 08:30 and 10.15: the hours read the Swedish way.
        "Stadshuset, sammanträdesrum Dalälven, tisdag 6 oktober 2026 kl. 08.30–10.15",
        "§ 1 Månadsrapport",
        REMIT,
        "Ärendet behandlas även i § 2",
        "Signerat i årshjulet",
        "Sista dag för överklagande",
        _date_sv(appeal_until),
        "https://arshjul.example.org/ksau/protokoll/2026-10-06",
    ):
        assert expected in words, expected


def _date_sv(day: dt.date) -> str:
    from arshjul.swedish import date_sv

    return date_sv(day)


def _refused_by_the_database(c: Committee) -> None:
    engine = c.sessions.kw["bind"]
    for statement in (
        "UPDATE meetings SET place = 'Någon annanstans'",
        "UPDATE meetings SET attendance = '{}'",
        "DELETE FROM meetings",
        "DELETE FROM protocol_signatures",
        "UPDATE protocol_signatures SET name = 'X'",
    ):
        with pytest.raises(DBAPIError), engine.begin() as conn:
            conn.execute(text(statement))
    with pytest.raises(DBAPIError, match="justerat"):
        c.decide("kfo", "approved")  # no new § in a justerat protocol
    with pytest.raises(DBAPIError, match="justerat"), engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO protocol_signatures (meeting_id, role, email, name, content_sha256, "
                "signed_at) SELECT id, 'justerare', 'x@example.org', 'X', 'y', CURRENT_TIMESTAMP "
                "FROM meetings"
            )
        )


def test_a_signature_on_an_earlier_text_does_not_count(committee: Committee) -> None:
    c = committee
    c.decide("bun", "approved")
    with c.sessions.begin() as session:
        save_details(session, c.config, "ksau", MEETING, DETAILS)
        sign(session, c.config, "ksau", MEETING, email=CHAIR, name="Gunnar Ståhl")
    c.decide("sof", "approved")  # recorded after the ordförande signed
    with c.sessions.begin() as session:
        after = sign(session, c.config, "ksau", MEETING, email=ADJUSTER, name="Ingrid Falk")
    assert (after.justerat, after.missing) == (False, ["Gunnar Ståhl"])
    with c.sessions() as session:
        doc = load_protocol(session, c.config, committee_id="ksau", meeting=MEETING)
    page = render_protocol_html(doc)
    assert "UTKAST" in page
    assert [s.current for s in doc.signatures] == [False, True]


def test_bad_details_are_refused_in_swedish_and_change_nothing(committee: Committee) -> None:
    c = committee
    c.decide("bun", "approved")
    for details, message in (
        (MeetingDetails(present=[CHAIR], adjusters=[CHAIR]), "Ordföranden kan inte vara justerare"),
        (MeetingDetails(present=["x@example.org"]), "bland utskottets ledamöter"),
        (MeetingDetails(present=[CHAIR, ADJUSTER], adjusters=[MEMBER]), "närvarande ledamöter"),
        (MeetingDetails(starts_at="25:00"), "TT:MM"),
        (MeetingDetails(present=[CHAIR], chair=MEMBER), "närvarande ledamot"),
        (MeetingDetails(present=[CHAIR], chair="x@example.org"), "bland ledamöterna"),
    ):
        with c.sessions.begin() as session, pytest.raises(ProtocolError) as refused:
            save_details(session, c.config, "ksau", MEETING, details)
        assert message in refused.value.message_sv
    with c.sessions.begin() as session, pytest.raises(ProtocolError, match="no justerare"):
        sign(session, c.config, "ksau", MEETING, email=CHAIR, name="Gunnar Ståhl")


def test_a_protocol_is_justerat_only_once_the_secretary_names_its_ordforande(
    committee: Committee,
) -> None:
    c = committee
    # A committee whose configuration names no chair: the secretary says who presided.
    config = c.config.model_copy(
        update={
            "committees": [
                k.model_copy(update={"chair": None}) if k.id == "ksau" else k
                for k in c.config.committees
            ]
        }
    )
    c.decide("bun", "approved")
    without_chair = MeetingDetails(present=[CHAIR, ADJUSTER, MEMBER], adjusters=[ADJUSTER])
    with c.sessions.begin() as session:
        save_details(session, config, "ksau", MEETING, without_chair)
    with c.sessions.begin() as session, pytest.raises(ProtocolError) as refused:
        sign(session, config, "ksau", MEETING, email=ADJUSTER, name="Ingrid Falk")
    assert refused.value.message_sv.startswith("Ordföranden är inte angiven")
    with c.sessions() as session:  # nothing signed
        assert load_protocol(session, config, committee_id="ksau", meeting=MEETING).signatures == []
    named = MeetingDetails(
        present=[CHAIR, ADJUSTER, MEMBER], adjusters=[ADJUSTER], chair=MEMBER.upper()
    )
    with c.sessions.begin() as session:
        save_details(session, config, "ksau", MEETING, named)
    with c.sessions.begin() as session:
        first = sign(session, config, "ksau", MEETING, email=ADJUSTER, name="Ingrid Falk")
    assert (first.justerat, first.missing) == (False, ["Mats Ryd"])
    with c.sessions.begin() as session:
        assert sign(session, config, "ksau", MEETING, email=MEMBER, name="Mats Ryd").justerat
    with c.sessions() as session:
        doc = load_protocol(session, config, committee_id="ksau", meeting=MEETING)
    assert doc.chair is not None and doc.chair.name == "Mats Ryd"
    assert "Mats Ryd, ordförande" in pdf_text(render_protocol_pdf(doc))


def test_the_protocol_of_the_demo_meeting_says_it_is_a_demonstration(
    committee: Committee,
) -> None:
    c = committee
    today = dt.date(2026, 11, 30)  # no KSAU meeting in the configuration: the demo's own
    demo = demo_round(c.config, today)
    c.decide(demo.unit_id, "approved", meeting=today, spec=demo)
    c.decide("bun", "approved")  # a real meeting's protocol is no demonstration
    with c.sessions() as session:
        shown = load_protocol(session, c.config, committee_id="ksau", meeting=today)
        real = load_protocol(session, c.config, committee_id="ksau", meeting=MEETING)
    assert shown.demo and not real.demo
    assert shown.place == DEMO_PLACE
    words = pdf_text(render_protocol_pdf(shown))
    assert "DEMONSTRATION – ett exempel från arshjul up, inget riktigt protokoll." in words
    assert "DEMONSTRATION" not in render_protocol_html(real)
