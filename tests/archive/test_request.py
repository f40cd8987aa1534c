"""`arshjul archive request`: a case's handlingar as one ZIP with a förteckning whose every
checksum holds; the protocol's § names the case's diarienummer, which the justering locks."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from arshjul.cli import app
from arshjul.models.rounds import RoundState
from arshjul.protocol.case_numbers import (
    CaseNumberRefused,
    CaseRef,
    assign_next,
    case_number,
    set_number,
)
from arshjul.protocol.gather import load_protocol
from arshjul.protocol.render import render_protocol_html
from arshjul.settings import BUNDLED_CONFIG
from arshjul.store.models import AuditEntry, ProtocolArchive
from arshjul.store.repositories import AttachmentRepository, RoundRepository, SubmissionRepository
from tests.archive.test_export import REMIT, _content
from tests.protocol.conftest import MEETING, SECRETARY, Committee, pdf_text, spec_for
from tests.store.conftest import event

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
TODAY = dt.date(2026, 9, 20)


def request(c: Committee, out: Path, *args: str) -> tuple[int, str]:
    """Runs `arshjul archive request ARGS -o OUT` on the committee's store."""
    url = str(c.sessions.kw["bind"].url.render_as_string(hide_password=False))
    result = CliRunner().invoke(
        app,
        ["archive", "request", *args, "-o", str(out), "--config", str(BUNDLED_CONFIG)]
        + ["--database-url", url],
    )
    return result.exit_code, " ".join(result.output.split())


def test_the_handlingar_of_a_case_with_its_justerat_protocol_and_diarienummer(
    committee: Committee, tmp_path: Path
) -> None:
    c = committee
    spec = spec_for(c.config, "bun")
    wid = spec.workflow_id
    with c.sessions.begin() as session:
        RoundRepository(session).upsert_from_event(event(spec, 1, "request", RoundState.OPEN))
        SubmissionRepository(session).add_version(
            workflow_id=wid, content=_content("Underskott."), submitted_by="asa.berg@example.org"
        )
        AttachmentRepository(session).add(
            workflow_id=wid,
            name="åtgärdsplan.txt",
            content_type="text/plain",
            data="Plan för skolskjuts".encode(),
            uploaded_by="asa.berg@example.org",
        )
        notice = assign_next(session, c.config, CaseRef.of_round(wid), by=SECRETARY, today=TODAY)
    assert notice == "Ärendet fick diarienumret KS 2026/1."
    c.decide("bun", "remitted", REMIT)
    c.decide("bun", "approved")

    # The protocol's § says the number, as Swedish protocols do.
    with c.sessions() as session:
        doc = load_protocol(session, c.config, committee_id="ksau", meeting=MEETING)
    assert [p.diarienummer for p in doc.paragraphs] == ["KS 2026/1", "KS 2026/1"]
    assert '<p class="dnr">Dnr KS 2026/1</p>' in render_protocol_html(doc)

    c.justera()  # the anslag stores the PDF/A archive copy
    with c.sessions() as session:
        archived = session.query(ProtocolArchive).one().content
    assert "Dnr KS 2026/1" in pdf_text(archived)
    # The justerat protocol prints the number: it cannot change any more.
    for change in (
        lambda s: set_number(s, c.config, CaseRef.of_round(wid), "KS 2026/9", by="x", today=TODAY),
        lambda s: assign_next(s, c.config, CaseRef.of_round(wid), by="x", today=TODAY),
    ):
        with c.sessions.begin() as session, pytest.raises(CaseNumberRefused) as refused:
            change(session)
        assert refused.value.conflict
        assert "justerat protokoll (KSAU 6 oktober 2026 § 1, KSAU 6 oktober 2026 § 2)" in (
            refused.value.message_sv
        )

    out = tmp_path / "handlingar.zip"
    code, output = request(c, out, "--round", wid, "--by", "eva.ekstrom@example.org")
    assert code == 0, output
    assert f"wrote {out}: 6 files and the list of contents" in output
    with zipfile.ZipFile(out) as archive:
        names = set(archive.namelist())
        assert names == {
            "inlamning-v1.json",
            "inlamning-v1.pdf",
            "bilagor/atgardsplan.txt",
            "arende.xml",
            "handelselogg.xml",
            "protokoll/ksau-2026-10-06.pdf",
            "forteckning.csv",
            "forteckning.html",
        }
        text = archive.read("forteckning.csv").decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        assert rows[0] == ["Fil", "Innehåll", "Datum", "Storlek (byte)", "SHA-256"]
        for name, _what, day, size, sha in rows[1:]:
            data = archive.read(name)
            assert hashlib.sha256(data).hexdigest() == sha and int(size) == len(data), name
            dt.date.fromisoformat(day)
        assert {r[0] for r in rows[1:]} == names - {"forteckning.csv", "forteckning.html"}
        described = {r[0]: r[1] for r in rows[1:]}
        assert described["protokoll/ksau-2026-10-06.pdf"] == (
            "Justerat protokoll, Kommunstyrelsens arbetsutskott (KSAU) 6 oktober 2026 "
            "(§ 1, § 2), PDF/A"
        )
        assert described["bilagor/atgardsplan.txt"] == "Bilaga åtgärdsplan.txt"
        # The protocol is the stored archive copy itself.
        assert archive.read("protokoll/ksau-2026-10-06.pdf") == archived
        case = etree.fromstring(archive.read("arende.xml"))
        assert case.findtext("diarienummer") == "KS 2026/1"
        html = archive.read("forteckning.html").decode()
        assert "Dnr KS 2026/1" in html and "Eva Ekström" in html
    with c.sessions() as session:
        logged = session.query(AuditEntry).filter_by(action="records_request_export").all()
    assert [(e.actor, e.workflow_id) for e in logged] == [("eva.ekstrom@example.org", wid)]
    assert hashlib.sha256(out.read_bytes()).hexdigest() in (logged[0].detail or "")

    # Never over a file; an unknown case writes nothing and logs nothing.
    code, output = request(c, out, "--round", wid)
    assert code == 1 and "already exists; an export never overwrites a file" in output
    missing = tmp_path / "ingen.zip"
    code, output = request(c, missing, "--round", "round/hedemora/manadsrapport/2026-08/xyz")
    assert code == 1 and "no round round/hedemora/manadsrapport/2026-08/xyz" in output
    assert not missing.exists()
    with c.sessions() as session:
        assert session.query(AuditEntry).filter_by(action="records_request_export").count() == 1


def test_a_wrong_or_taken_number_is_refused_and_changes_nothing(committee: Committee) -> None:
    c = committee
    first, second = spec_for(c.config, "bun"), spec_for(c.config, "sof")
    with c.sessions.begin() as session:
        for spec in (first, second):
            RoundRepository(session).upsert_from_event(event(spec, 1, "request", RoundState.OPEN))
        set_number(
            session, c.config, CaseRef.of_round(first.workflow_id), "KS 2026/5", by="e", today=TODAY
        )
    for typed, words in (
        ("KS-2026-5", "”KS-2026-5” har inte formen för kommunens diarienummer (t.ex. KS 2026/123)"),
        (
            "KS 2026/5",
            "Diarienumret KS 2026/5 används redan för ärendet Månadsrapport augusti 2026",
        ),
        ("KS 2026/005", "används redan"),
        ("   ", "Skriv diarienumret"),
    ):
        with c.sessions.begin() as session, pytest.raises(CaseNumberRefused) as refused:
            set_number(
                session, c.config, CaseRef.of_round(second.workflow_id), typed, by="e", today=TODAY
            )
        assert words in refused.value.message_sv, typed
    with c.sessions() as session:
        assert (
            session.query(AuditEntry).filter(AuditEntry.action.like("diarienummer%")).count() == 1
        )
        assert case_number(session, c.config, CaseRef.of_round(second.workflow_id)) is None
        assert case_number(session, c.config, CaseRef.of_round(first.workflow_id)) == "KS 2026/5"
