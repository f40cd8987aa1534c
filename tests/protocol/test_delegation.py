"""Anmälan av delegationsbeslut: one § per meeting, numbered with the decisions of the year,
listed in the protocol and its PDF/A; a file is read whole or not at all, each bad line named in
Swedish; the § is locked with the protocol at justering, in the application and the database."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from arshjul.protocol.delegation import (
    DelegationRefused,
    RawEntry,
    add_delegations,
    read_csv,
    remove_delegation,
)
from arshjul.protocol.gather import load_protocol
from arshjul.protocol.justering import MeetingDetails, ProtocolError, save_details, sign
from arshjul.protocol.render import render_protocol_pdf
from arshjul.store.repositories import DelegationRepository
from tests.protocol.conftest import ADJUSTER, CHAIR, MEETING, SECRETARY, Committee, pdf_text

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
FILE = (
    "Datum;Beslutsfattare;Ärende;Beteckning\r\n"
    "2026-09-14;Ekonomichef Eva Ekström;Attest av leverantörsfaktura över 500 tkr;KS 2026/311\r\n"
    '2026-09-21;Kommundirektör;"Anställning av enhetschef; tillsvidare";KS 2026/318\r\n'
)


def _add(c: Committee, rows: list[tuple[int | None, RawEntry]], meeting: dt.date = MEETING) -> int:
    with c.sessions.begin() as session:
        return add_delegations(session, c.config, "ksau", meeting, rows, by=SECRETARY)


def _protocol(c: Committee, meeting: dt.date = MEETING):  # noqa: ANN202
    with c.sessions() as session:
        return load_protocol(session, c.config, committee_id="ksau", meeting=meeting)


def test_the_delegation_paragraph_is_numbered_with_the_years_decisions(
    committee: Committee,
) -> None:
    c = committee
    assert c.decide("ksf", "approved", meeting=dt.date(2026, 9, 22)) == 1
    assert c.decide("bun", "approved") == 2
    rows, problems = read_csv(FILE.encode("utf-8"))
    assert problems == [] and [n for n, _ in rows] == [2, 3]
    assert _add(c, list(rows)) == 2
    # The next decision, at this meeting or the next, continues after the delegation §.
    assert c.decide("sof", "approved") == 4
    assert c.decide("kfo", "approved", meeting=dt.date(2026, 10, 20)) == 5
    doc = _protocol(c)
    assert doc.paragraph_range == "§§ 2–4"
    assert [s.number for s in doc.sections] == [2, 3, 4]
    assert doc.delegation is not None and doc.delegation.number == 3
    assert [(i.reference, i.decided_by) for i in doc.delegation.items] == [
        ("KS 2026/311", "Ekonomichef Eva Ekström"),
        ("KS 2026/318", "Kommundirektör"),
    ]
    words = pdf_text(render_protocol_pdf(doc))
    for expected in (
        "§ 3 Anmälan av delegationsbeslut",
        "14 september 2026",
        "Attest av leverantörsfaktura över 500 tkr",
        "Anställning av enhetschef; tillsvidare",
        "KS 2026/318",
        "Kommunstyrelsens arbetsutskott beslutar att lägga anmälan av delegationsbesluten "
        "till handlingarna.",
    ):
        assert expected in words, expected
    # Removed before justering: the § stays, listing what is left.
    with c.sessions.begin() as session:
        remove_delegation(session, c.config, "ksau", MEETING, doc.delegation.items[0].id)
        with pytest.raises(ProtocolError):
            remove_delegation(session, c.config, "ksau", MEETING, 999999)
    assert [i.reference for i in _protocol(c).delegation.items] == ["KS 2026/318"]  # type: ignore[union-attr]
    with c.sessions() as session:
        assert DelegationRepository(session).paragraph(
            org_id="hedemora", committee_id="ksau", meeting=MEETING
        )
    # A second meeting's delegation § takes the year's next number.
    one = RawEntry("2026-10-12", "Socialchef", "Beslut om bistånd", "SN 2026/9")
    _add(c, [(None, one)], meeting=dt.date(2026, 10, 20))
    assert _protocol(c, dt.date(2026, 10, 20)).paragraph_range == "§§ 5–6"


def test_a_file_with_a_bad_line_is_not_read_at_all(committee: Committee) -> None:
    c = committee
    c.decide("bun", "approved")
    _add(c, [(None, RawEntry("2026-09-01", "Ekonomichef", "Budgetjustering", "KS 2026/300"))])
    bad = (
        "Beteckning,Datum,Beslutsfattare,Ärende,Kommentar\n"  # commas, another order, an extra
        "KS 2026/401,2026-09-30,Kommundirektör,Tjänsteresa,\n"
        "KS 2026/402,30/9/2026,Kommundirektör,Tjänsteresa,\n"
        "KS 2026/403,2026-10-07,Kommundirektör,Tjänsteresa,\n"  # after the meeting
        ",2026-09-30,,Tjänsteresa,\n"
        "KS 2026/300,2026-09-30,Ekonomichef,Igen,\n"  # already reported
        "KS 2026/401,2026-09-30,Kommundirektör,Dubblett,\n"
    ).encode("cp1252")  # Excel's CSV on Swedish Windows
    rows, problems = read_csv(bad)
    assert problems == [] and len(rows) == 6
    with pytest.raises(DelegationRefused) as refused:
        _add(c, list(rows))
    assert refused.value.message_sv.startswith("Inget av filen är inläst.")
    assert refused.value.problems == [
        "Rad 3: datumet ”30/9/2026” ska skrivas ÅÅÅÅ-MM-DD.",
        "Rad 4: beslutet är daterat 7 oktober 2026, efter sammanträdet 6 oktober 2026.",
        "Rad 5: beslutsfattare saknas; beteckning saknas.",
        "Rad 6: beteckningen KS 2026/300 är redan anmäld vid sammanträdet.",
        "Rad 7: beteckningen KS 2026/401 är redan anmäld vid sammanträdet.",
    ]
    doc = _protocol(c)
    assert doc.delegation is not None
    assert [i.reference for i in doc.delegation.items] == ["KS 2026/300"]  # nothing half-read


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "Filen är tom."),
        (b"Datum;Beslutsfattare;Beteckning\n2026-09-01;X;Y\n", "saknar kolumnen ärende"),
        ("Datum;Beslutsfattare;Ärende;Beteckning\n".encode(), "inga delegationsbeslut"),
        (b"%PDF-1.7\x00\x00", "inte en CSV-fil"),
    ],
)
def test_a_file_that_is_no_list_is_refused(data: bytes, problem: str) -> None:
    rows, problems = read_csv(data)
    assert rows == [] and len(problems) == 1 and problem in problems[0]


def test_justering_locks_the_delegation_paragraph(committee: Committee) -> None:
    c = committee
    c.decide("bun", "approved")
    _add(c, [(None, RawEntry("2026-09-01", "Ekonomichef", "Budgetjustering", "KS 2026/300"))])
    with c.sessions.begin() as session:
        save_details(
            session,
            c.config,
            "ksau",
            MEETING,
            MeetingDetails(present=[CHAIR, ADJUSTER], adjusters=[ADJUSTER]),
        )
        sign(session, c.config, "ksau", MEETING, email=CHAIR, name="Gunnar Ståhl")
    # A decision added after a signature: the signature covered another text.
    _add(c, [(None, RawEntry("2026-09-02", "Ekonomichef", "Attest", "KS 2026/301"))])
    doc = _protocol(c)
    assert [s.current for s in doc.signatures] == [False]
    with c.sessions.begin() as session:
        sign(session, c.config, "ksau", MEETING, email=CHAIR, name="Gunnar Ståhl")
        assert sign(session, c.config, "ksau", MEETING, email=ADJUSTER, name="Ingrid Falk").justerat
    with pytest.raises(ProtocolError) as refused:
        _add(c, [(None, RawEntry("2026-09-03", "Ekonomichef", "Sent", "KS 2026/302"))])
    assert "justerat" in refused.value.message_sv
    assert doc.delegation is not None
    with c.sessions.begin() as session, pytest.raises(ProtocolError):
        remove_delegation(session, c.config, "ksau", MEETING, doc.delegation.items[0].id)
    engine = c.sessions.kw["bind"]
    for statement in (
        "INSERT INTO delegation_decisions (paragraph_id, decided_on, decided_by, matter, "
        "reference, recorded_by, recorded_at) SELECT id, '2026-09-03', 'X', 'Y', 'Z', 'x', "
        "CURRENT_TIMESTAMP FROM delegation_paragraphs",
        "UPDATE delegation_decisions SET matter = 'ändrat'",
        "DELETE FROM delegation_decisions",
        "UPDATE delegation_paragraphs SET paragraph = 9",
        "DELETE FROM delegation_paragraphs",
    ):
        with pytest.raises(DBAPIError, match="justerat"), engine.begin() as conn:
            conn.execute(text(statement))
    assert len(_protocol(c).delegation.items) == 2  # type: ignore[union-attr]
