"""The motion register over HTTP: the kommunsekreterare registers motions and medborgarförslag
and sees the days left of (or over) the one-year limit, filtered; a bad form is refused beside
each field with everything typed kept and nothing stored; only the kansli reaches the pages; the
next reporting KF meeting shows the undecided ones and gives them their § in the protocol."""

from __future__ import annotations

import datetime as dt
import re

import httpx

from arshjul.calendar.motions import limit_date, next_report_meeting
from arshjul.store.repositories import MotionRepository
from arshjul.swedish import date_sv
from tests.web.conftest import CHEF, EKONOMICHEF, KSAU_MEMBER, WebRig, csrf_of, today

KOMMUNSEKRETERARE = "maja.sjoberg@example.org"  # KF's secretary in the bundled configuration


def _form(**changes: str) -> dict[str, str]:
    values = {
        "kind": "motion",
        "number": "KF 2025/77",
        "title": "Solceller på kommunens tak",
        "submitted_by": "Karin Ås (C)",
        "vackt_on": (today() - dt.timedelta(days=400)).isoformat(),
        "responsible": "sbf",
        "status": "under_beredning",
        "closed_on": "",
        "decision_ref": "",
        "delay_reason": "Energikartläggningen blir klar i vår.",
    }
    return values | changes


async def _post(http: httpx.AsyncClient, path: str, form: dict[str, str]) -> httpx.Response:
    page = await http.get("/motioner/ny")
    return await http.post(path, data={"csrf": csrf_of(page.text), **form})


def _rows(html: str) -> dict[str, str]:
    # Each listed motion's number and the words of its "Dagar" cell.
    found = re.findall(
        r'<tr data-motion="([^"]+)".*?<td data-label="Dagar" class="days">(.*?)</td>', html, re.S
    )
    return {number: re.sub(r"<[^>]+>", "", days) for number, days in found}


def _stored(web: WebRig) -> list[str]:
    with web.sessions() as session:
        return [m.number for m in MotionRepository(session).motions(org_id="hedemora")]


async def test_the_kansli_registers_motions_and_sees_days_left_and_over(web: WebRig) -> None:
    http = await web.login(KOMMUNSEKRETERARE)
    empty = await http.get("/motioner")
    assert empty.status_code == 200 and 'id="inga"' in empty.text
    assert '<a href="/motioner">Motioner</a>' in empty.text  # in the menu

    old = await _post(http, "/motioner", _form())
    assert old.status_code == 303, old.text
    page = await http.get(old.headers["location"])
    assert "Ärendet är registrerat." in page.text
    vackt = today() - dt.timedelta(days=400)
    over = (today() - limit_date(vackt)).days
    assert f"{over} dagar över tidsgränsen" in page.text

    recent = _form(
        kind="medborgarforslag",
        number="KF 2026/90",
        title="Hundrastgård",
        submitted_by="Anna Privatperson",
        vackt_on=(today() - dt.timedelta(days=10)).isoformat(),
        responsible="kfo",
    )
    assert (await _post(http, "/motioner", recent)).status_code == 303
    left = (limit_date(today() - dt.timedelta(days=10)) - today()).days

    listed = await http.get("/motioner")
    assert _rows(listed.text) == {
        "KF 2025/77": f"{over} dagar över tidsgränsen",
        "KF 2026/90": f"{left} dagar kvar",
    }
    assert date_sv(limit_date(vackt)) in listed.text
    assert _rows((await http.get("/motioner?visa=over")).text) == {
        "KF 2025/77": f"{over} dagar över tidsgränsen"
    }
    report = next_report_meeting(
        web.config.motions,  # type: ignore[arg-type]
        web.config.committee("kf").dates,
        today(),
    )
    assert report is not None
    assert f"/kf/sammantraden/{report.isoformat()}#motioner" in listed.text

    # Closed: answered by fullmäktige; no longer open, said to be decided in time or late.
    with web.sessions() as session:
        row = MotionRepository(session).by_number(org_id="hedemora", number="KF 2025/77")
        assert row is not None
        motion_id = row.id
    closed = _form(status="besvarad", closed_on=today().isoformat(), decision_ref="KF § 3/2026")
    saved = await _post(http, f"/motioner/{motion_id}", closed)
    assert saved.status_code == 303 and saved.headers["location"].endswith("?klart=sparad")
    page = await http.get(saved.headers["location"])
    assert "”under_beredning” blev ”besvarad”" in page.text  # the history keeps the old value
    assert list(_rows((await http.get("/motioner")).text)) == ["KF 2026/90"]
    assert _rows((await http.get("/motioner?visa=alla")).text)["KF 2025/77"] == (
        f"Beslutad {over} dagar för sent"
    )


async def test_the_reporting_meeting_lists_the_undecided_and_gives_them_a_paragraph(
    web: WebRig,
) -> None:
    http = await web.login(KOMMUNSEKRETERARE)
    assert (await _post(http, "/motioner", _form())).status_code == 303
    report = next_report_meeting(
        web.config.motions,  # type: ignore[arg-type]
        web.config.committee("kf").dates,
        today(),
    )
    assert report is not None
    base = f"/kf/sammantraden/{report.isoformat()}"
    page = await http.get(base)
    assert page.status_code == 200
    title = "Redovisning av motioner och medborgarförslag som inte har beretts färdigt"
    assert f'<a href="#motioner">{title}</a>' in page.text  # on the föredragningslista
    assert 'data-motion="KF 2025/77"' in page.text and "(passerad)" in page.text
    placed = await http.post(f"{base}/motioner", data={"csrf": csrf_of(page.text)})
    assert placed.status_code == 303
    page = await http.get(placed.headers["location"])
    assert f"{title} (§ 1)" in page.text
    protocol = await http.get(f"/kf/protokoll/{report.isoformat()}")
    assert f"§ 1 {title}" in protocol.text
    assert "KF 2025/77 – Motion: Solceller på kommunens tak" in protocol.text
    # A meeting that is not a reporting one refuses it.
    other = next(d for d in web.config.committee("kf").dates if d > report)
    page = await http.get(f"/kf/sammantraden/{other.isoformat()}")
    refused = await http.post(
        f"/kf/sammantraden/{other.isoformat()}/motioner", data={"csrf": csrf_of(page.text)}
    )
    assert refused.status_code == 409 and "Inget har ändrats" in refused.text


async def test_bad_input_is_refused_beside_each_field_and_nothing_is_stored(
    web: WebRig,
) -> None:
    http = await web.login(EKONOMICHEF)
    vackt = today() - dt.timedelta(days=30)
    bad = _form(
        title="  ",
        vackt_on=vackt.isoformat(),
        responsible="byggnadsnamnden",
        status="besvarad",
        closed_on=(vackt - dt.timedelta(days=1)).isoformat(),
        delay_reason="Det här ska finnas kvar.",
    )
    refused = await _post(http, "/motioner", bad)
    assert refused.status_code == 422
    html = refused.text
    assert 'id="f-title-error">Fel: Skriv rubriken.' in html
    assert 'id="f-responsible-error">Fel: byggnadsnamnden är ingen nämnd' in html
    assert (
        f'id="f-closed_on-error">Fel: Datumet {(vackt - dt.timedelta(days=1)).isoformat()} '
        f"ligger före dagen då ärendet väcktes ({vackt.isoformat()})."
    ) in html
    assert 'aria-describedby="f-title-error" aria-invalid="true"' in html
    assert html.count('aria-invalid="true"') == 3
    assert 'value="KF 2025/77"' in html and "Det här ska finnas kvar." in html  # all kept
    assert "Inget är sparat." in html
    assert _stored(web) == []

    future = _form(vackt_on=(today() + dt.timedelta(days=1)).isoformat())
    refused = await _post(http, "/motioner", future)
    assert refused.status_code == 422 and "kan inte ligga efter i dag" in refused.text
    garbled = await _post(http, "/motioner", _form(vackt_on="28/4 2026"))
    assert (
        garbled.status_code == 422 and "Skriv dagen då den väcktes som ÅÅÅÅ-MM-DD" in garbled.text
    )
    assert _stored(web) == []

    assert (await _post(http, "/motioner", _form())).status_code == 303
    again = await _post(http, "/motioner", _form(number="kf 2025/77"))
    assert again.status_code == 422 and "har redan en motion eller ett förslag" in again.text
    with web.sessions() as session:
        row = MotionRepository(session).by_number(org_id="hedemora", number="KF 2025/77")
        assert row is not None
        motion_id = row.id
    early = _form(status="avskriven", closed_on=(today() - dt.timedelta(days=500)).isoformat())
    refused = await _post(http, f"/motioner/{motion_id}", early)
    assert refused.status_code == 422 and 'id="f-closed_on-error"' in refused.text
    with web.sessions() as session:
        row = MotionRepository(session).by_number(org_id="hedemora", number="KF 2025/77")
        assert row is not None and (row.status, row.closed_on) == ("under_beredning", None)


async def test_only_the_kansli_reaches_the_register(web: WebRig) -> None:
    assert (await web.http.get("/motioner")).status_code in (303, 401)
    for email in (KSAU_MEMBER, CHEF):
        http = await web.login(email)
        assert (await http.get("/motioner")).status_code == 403
        assert (await http.get("/motioner/ny")).status_code == 403
        page = await http.get("/")
        assert '<a href="/motioner">' not in page.text
    eva = await web.login(EKONOMICHEF)
    assert (await eva.get("/motioner")).status_code == 200
