"""The overview, the ekonomichef's extension and resend, feeds, the API, and a Temporal outage."""

from __future__ import annotations

import datetime as dt

import httpx
from icalendar import Calendar

from arshjul.models.rounds import RoundState, deadline_uid
from arshjul.store.models import DELIVERY_DELIVERED, DELIVERY_PENDING
from arshjul.store.repositories import SubmissionRepository
from arshjul.swedish import date_sv, month_sv
from arshjul.web.app import create_app
from tests.conftest import free_port
from tests.web.conftest import (
    BASE,
    CHEF,
    EKONOMICHEF,
    KSAU_MEMBER,
    LIMITS,
    WebRig,
    csrf_of,
    round_spec,
    today,
)


async def test_overview_extend_and_resend(web: WebRig) -> None:
    spec = round_spec(web.config)
    await web.start_round(spec)
    await web.wait_for_mail(CHEF, "/s/")
    eva = await web.login(EKONOMICHEF)
    page = await eva.get(f"/?year={today().year}&unit=bun&period={spec.period}")
    assert page.status_code == 200
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in page.text
    row = page.text.split(f'data-round="{spec.workflow_id}"')[1].split("</tr>")[0]
    assert "Väntar på inlämning" in row
    assert "Förläng" in row

    case = spec.workflow_id.removeprefix("round/")
    new_due = spec.due + dt.timedelta(days=7)
    csrf = csrf_of(page.text)
    moved = await eva.post(
        f"/omgangar/{case}/forlang",
        data={"csrf": csrf, "new_due": new_due.isoformat(), "reason": "Sjukdom"},
    )
    assert moved.status_code == 200
    assert (await web.status(spec.workflow_id)).due == new_due
    no_reason = await eva.post(
        f"/omgangar/{case}/forlang", data={"csrf": csrf, "new_due": new_due.isoformat()}
    )
    assert no_reason.status_code == 400 and "Ange ett skäl" in no_reason.text
    same = await eva.post(
        f"/omgangar/{case}/forlang",
        data={"csrf": csrf, "new_due": new_due.isoformat(), "reason": "Igen"},
    )
    assert same.status_code == 409
    assert "Sista dag är redan" in same.text

    await web.wait_for_state(spec.workflow_id, lambda s: s.due == new_due)
    # The unit's subscribed calendar moves the same event: same UID, higher SEQUENCE.
    feed = Calendar.from_ical((await web.http.get("/calendar/bun.ics")).content)
    uid = deadline_uid("hedemora", "manadsrapport", spec.period, "bun")
    [event] = [e for e in feed.walk("VEVENT") if str(e["UID"]) == uid]
    assert (event.decoded("DTSTART"), event.decoded("SEQUENCE")) == (new_due, 1)
    assert str(event["URL"]).endswith("/mina-rapporter")

    start = len(web.sink.messages)
    resent = await eva.post(f"/omgangar/{case}/skicka-lank", data={"csrf": csrf})
    assert resent.status_code == 200
    link = await web.link_from_mail(CHEF, "s", start)
    assert "Månadsrapport" in (await web.http.get(link)).text
    # "Skicka ny länk" carries the current date, as the same calendar event.
    mail = web.sink.messages[-1]
    assert new_due.day == int(mail["Subject"].split("senast ")[1].split()[0])
    [invite] = Calendar.from_ical(next(mail.iter_attachments()).get_content()).walk("VEVENT")
    assert (str(invite["UID"]), invite.decoded("DTSTART"), invite.decoded("SEQUENCE")) == (
        uid,
        new_due,
        1,
    )

    ksau = await web.login(KSAU_MEMBER)  # may see the overview, but not extend
    assert (await ksau.get("/")).status_code == 200
    refused = await ksau.post(
        f"/omgangar/{case}/forlang",
        data={"csrf": csrf_of((await ksau.get("/")).text), "new_due": "2030-01-01"},
    )
    assert refused.status_code == 403
    assert (await web.status(spec.workflow_id)).due == new_due
    await eva.aclose()
    await ksau.aclose()


async def test_feeds_and_api(web: WebRig) -> None:
    feed = await web.http.get("/calendar/bun.ics")
    assert feed.headers["content-type"].startswith("text/calendar")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert any("Barn- och utbildningsförvaltningen" in str(e["SUMMARY"]) for e in events)
    assert not any("Socialförvaltningen" in str(e["SUMMARY"]) for e in events)
    assert (await web.http.get("/calendar/okand.ics")).status_code == 404
    assert (await web.http.get("/calendar/all.ics")).status_code == 200
    assert (await web.http.get("/api/rounds")).status_code == 401
    calendar = await web.http.get("/api/calendar", params={"year": 2026, "unit": "bun"})
    assert calendar.status_code == 200
    assert calendar.json()[0]["date"].startswith("2026")

    spec = round_spec(web.config)
    await web.start_round(spec)
    ksau = await web.login(KSAU_MEMBER)
    rounds = (await ksau.get("/api/rounds")).json()
    assert [r["workflow_id"] for r in rounds] == [spec.workflow_id]
    one = await ksau.get(f"/api/rounds/{spec.workflow_id.removeprefix('round/')}")
    assert one.json()["state"] == "open"
    assert (await ksau.get("/api/rounds/hedemora/manadsrapport/2026-10/okand")).status_code == 404
    assert (await ksau.get("/api/rounds/x/y/z/w")).status_code == 422
    await ksau.aclose()


async def test_submission_is_kept_when_temporal_is_away(web: WebRig) -> None:
    spec, link = await web.open_round()
    # A second app on the same store whose Temporal address answers nothing.
    settings = web.settings.model_copy(update={"temporal_address": f"127.0.0.1:{free_port()}"})
    away = create_app(settings, session_maker=web.sessions, config=web.config, limits=LIMITS)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=away), base_url=BASE) as http:
        page = await http.get(link)
        assert page.status_code == 200
        assert "svarar inte just nu" in page.text
        sent = await http.post(
            link,
            data={
                "csrf": csrf_of(page.text),
                "action": "submit",
                "economic.budget_tkr": "100",
                "economic.utfall_tkr": "50",
                "economic.forecast_tkr": "90",
                "economic.analysis": "Inom budget.",
            },
        )
        assert sent.status_code == 303
        receipt = await http.get(sent.headers["location"])
        assert "sparad och kommer att behandlas" in receipt.text
    with web.sessions() as session:
        kept = SubmissionRepository(session).latest(workflow_id=spec.workflow_id)
        assert kept is not None
        assert kept.delivery_status == DELIVERY_PENDING
    assert (await web.status(spec.workflow_id)).state == RoundState.OPEN

    # Temporal is back: the next visit delivers the stored version; nothing was typed twice.
    page = await web.http.get(link)
    assert "Inlämnad" in page.text
    await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)
    with web.sessions() as session:
        delivered = SubmissionRepository(session).latest(workflow_id=spec.workflow_id)
        assert delivered is not None
        assert delivered.version == 1
        assert delivered.delivery_status == DELIVERY_DELIVERED


async def test_a_refused_extension_stays_at_its_row_and_a_good_one_names_the_round(
    web: WebRig,
) -> None:
    spec = round_spec(web.config)
    await web.start_round(spec)
    await web.wait_for_mail(CHEF, "/s/")
    eva = await web.login(EKONOMICHEF)
    query = f"year={today().year}&period={spec.period}&unit=bun"
    page = await eva.get(f"/?{query}")
    case = spec.workflow_id.removeprefix("round/")
    past = (today() - dt.timedelta(days=3)).isoformat()
    refused = await eva.post(
        f"/omgangar/{case}/forlang",
        data={
            "csrf": csrf_of(page.text),
            "new_due": past,
            "reason": "Sjukskriven controller",
            "back": query,
        },
    )
    # The overview again, the same filters, the row open with the date and the reason kept.
    assert refused.status_code == 400
    assert 'id="status"' in refused.text and 'id="error-summary"' in refused.text
    summary = refused.text.split('id="error-summary"')[1].split("</div>")[0]
    assert "Barn- och utbildningsförvaltningen, Månadsrapport" in summary
    row = refused.text.split(f'data-round="{spec.workflow_id}"')[1].split("</tr>")[0]
    assert '<details open id="problem-row">' in row
    assert f'value="{past}"' in row and 'value="Sjukskriven controller"' in row
    assert 'aria-invalid="true"' in row and "Fel: " in row
    assert (await web.status(spec.workflow_id)).due == spec.due  # nothing changed

    new_due = spec.due + dt.timedelta(days=7)
    moved = await eva.post(
        f"/omgangar/{case}/forlang",
        data={
            "csrf": csrf_of(page.text),
            "new_due": new_due.isoformat(),
            "reason": "Sjukskriven controller",
            "back": query,
        },
    )
    assert moved.status_code == 200
    period = month_sv(spec.period)
    assert (
        f"Ny sista dag för Barn- och utbildningsförvaltningen, Månadsrapport {period}: "
        f"{date_sv(new_due)}." in moved.text
    )
    assert f'href="/?{query.replace("&", "&amp;")}#status"' in moved.text  # back to the same view
    await eva.aclose()
