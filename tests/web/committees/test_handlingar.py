"""A case's diarienummer on its KSAU page (typed in, or the pattern's next; a wrong or taken one
refused beside the field), and all its handlingar as one ZIP with a förteckning."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile

from sqlalchemy import select

from arshjul.models.rounds import RoundState
from arshjul.store.db import utc_now
from arshjul.store.models import AuditEntry, CaseNumber
from arshjul.store.repositories import RoundRepository
from tests.store.conftest import event
from tests.store.conftest import round_spec as plain_spec
from tests.web.conftest import (
    EKONOMICHEF,
    KSAU_MEMBER,
    KSAU_SECRETARY,
    ON_BUDGET,
    WebRig,
    csrf_of,
    today,
)


def _numbers(web: WebRig) -> list[tuple[str, str]]:
    with web.sessions() as session:
        rows = session.scalars(select(CaseNumber).order_by(CaseNumber.id))
        return [(r.case_key, r.number) for r in rows]


def _audit(web: WebRig, action_prefix: str) -> list[AuditEntry]:
    with web.sessions() as session:
        rows = session.scalars(select(AuditEntry).order_by(AuditEntry.id))
        return [e for e in rows if e.action.startswith(action_prefix)]


async def test_diarienummer_and_the_handlingar_of_a_case(web: WebRig) -> None:
    spec, link = await web.open_round()
    page = await web.http.get(link)
    sent = await web.http.post(link, data={"csrf": csrf_of(page.text), **ON_BUDGET})
    assert sent.status_code == 303
    await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)
    case = f"/ksau/arenden/{spec.workflow_id.removeprefix('round/')}"
    # Another case that already has a number (the registry's, typed in).
    other = plain_spec("sof", period="2026-09", report_id="manadsrapport")
    with web.sessions.begin() as session:
        RoundRepository(session).upsert_from_event(event(other, 1, "request", RoundState.OPEN))
        session.add(
            CaseNumber(
                org_id="hedemora",
                kind="round",
                case_key=other.workflow_id,
                number=f"KS {today().year}/7",
                year=today().year,
                seq=7,
                assigned=False,
                set_by=EKONOMICHEF,
                set_at=utc_now(),
            )
        )

    owner = await web.login(EKONOMICHEF)
    shown = await owner.get(case)
    assert shown.status_code == 200 and 'id="diarienummer"' in shown.text
    assert f"t.ex. KS {today().year}/123" in shown.text
    csrf = csrf_of(shown.text)

    # A number of another form, and one another case has: refused beside the field, no change.
    wrong = await owner.post(case + "/diarienummer", data={"csrf": csrf, "diarienummer": "KS-1"})
    assert wrong.status_code == 400
    assert 'id="diarienummer-error"' in wrong.text
    assert "”KS-1” har inte formen för kommunens diarienummer" in wrong.text
    assert 'value="KS-1"' in wrong.text and 'aria-invalid="true"' in wrong.text
    taken = await owner.post(
        case + "/diarienummer", data={"csrf": csrf, "diarienummer": f"KS {today().year}/7"}
    )
    assert taken.status_code == 409
    assert f"Diarienumret KS {today().year}/7 används redan för ärendet Månadsrapport" in taken.text
    assert _numbers(web) == [(other.workflow_id, f"KS {today().year}/7")]
    assert _audit(web, "diarienummer") == []

    # The next number of the year: one past the highest.
    given = await owner.post(case + "/diarienummer", data={"csrf": csrf, "action": "nasta"})
    assert given.status_code == 303
    after = await owner.get(given.headers["location"])
    dnr = f"KS {today().year}/8"
    assert f'<dd id="dnr">Dnr {dnr}</dd>' in after.text
    assert f"Ärendet fick diarienumret {dnr}." in after.text
    # Typed in over it: the change is logged with the number it replaced.
    typed = f"KS {today().year}/31"
    changed = await owner.post(
        case + "/diarienummer", data={"csrf": csrf, "diarienummer": f"  {typed} "}
    )
    assert changed.status_code == 303
    logged = _audit(web, "diarienummer")
    assert [(e.action, e.actor, e.workflow_id, e.detail) for e in logged] == [
        ("diarienummer_assigned", EKONOMICHEF, spec.workflow_id, dnr),
        ("diarienummer_set", EKONOMICHEF, spec.workflow_id, f"{typed} (tidigare {dnr})"),
    ]

    # The handlingar: every file listed with its checksum, recomputed here.
    download = await owner.get(case + "/handlingar.zip")
    assert download.status_code == 200
    assert download.headers["content-type"] == "application/zip"
    assert "attachment" in download.headers["content-disposition"]
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        assert archive.testzip() is None
        names = archive.namelist()
        rows = list(
            csv.DictReader(
                io.StringIO(archive.read("forteckning.csv").decode("utf-8-sig")), delimiter=";"
            )
        )
        html = archive.read("forteckning.html").decode()
        listed = {r["Fil"]: r for r in rows}
        assert set(listed) == set(names) - {"forteckning.csv", "forteckning.html"}
        for name, row in listed.items():
            data = archive.read(name)
            assert hashlib.sha256(data).hexdigest() == row["SHA-256"], name
            assert int(row["Storlek (byte)"]) == len(data)
            assert row["SHA-256"] in html and row["Innehåll"]
        assert {"inlamning-v1.json", "inlamning-v1.pdf", "arende.xml", "handelselogg.xml"} <= set(
            names
        )
        assert archive.read("inlamning-v1.pdf").startswith(b"%PDF")
        assert f"Dnr {typed}" in html and "Förteckning över handlingar" in html
        assert f"<diarienummer>{typed}</diarienummer>" in archive.read("arende.xml").decode()
    exports = _audit(web, "records_request")
    assert [(e.actor, e.workflow_id) for e in exports] == [(EKONOMICHEF, spec.workflow_id)]
    assert hashlib.sha256(download.content).hexdigest() in (exports[0].detail or "")

    # A member who is not the secretary may read the case, not number it or take it out.
    member = await web.login(KSAU_MEMBER)
    assert 'id="diarienummer"' not in (await member.get(case)).text
    assert (await member.get(case + "/handlingar.zip")).status_code == 403
    refused = await member.post(
        case + "/diarienummer", data={"csrf": csrf_of((await member.get(case)).text)}
    )
    assert refused.status_code == 403
    # The secretary of KSAU, which the case passes, may.
    secretary = await web.login(KSAU_SECRETARY)
    assert (await secretary.get(case + "/handlingar.zip")).status_code == 200
    unknown = case.replace("/bun", "/xyz")
    assert (await owner.get(unknown + "/handlingar.zip")).status_code == 404
    assert len(_audit(web, "records_request")) == 2  # the refusals logged no export
    assert _numbers(web)[-1] == (spec.workflow_id, typed)
    for client in (owner, member, secretary):
        await client.aclose()


async def test_a_meeting_has_its_own_diarienummer(web: WebRig) -> None:
    meeting = f"/ksau/sammantraden/{today().isoformat()}"
    member = await web.login(KSAU_MEMBER)
    shown = await member.get(meeting)
    assert 'id="diarium"' not in shown.text  # a member reads, the secretary numbers
    refused = await member.post(
        f"{meeting}/diarienummer", data={"csrf": csrf_of(shown.text), "diarienummer": "KS 1/1"}
    )
    assert refused.status_code == 403
    ksau = await web.login(KSAU_SECRETARY)
    csrf = csrf_of((await ksau.get(meeting)).text)
    wrong = await ksau.post(
        f"{meeting}/diarienummer", data={"csrf": csrf, "diarienummer": "KS-2026-1"}
    )
    assert wrong.status_code == 400
    assert 'id="diarienummer-error"' in wrong.text and 'value="KS-2026-1"' in wrong.text
    assert _numbers(web) == []
    given = await ksau.post(
        f"{meeting}/diarienummer",
        data={"csrf": csrf, "action": "nasta"},
        follow_redirects=True,
    )
    year = today().year
    assert f'value="KS {year}/1"' in given.text and 'id="notice"' in given.text
    assert [n for _, n in _numbers(web)] == [f"KS {year}/1"]
    assert _audit(web, "diarienummer")
