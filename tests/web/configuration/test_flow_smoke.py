"""The ekonomichef moves a meeting: the preview, then the confirmed save as version 1."""

from __future__ import annotations

import datetime as dt

from arshjul.store import configuration as store
from tests.web.conftest import EKONOMICHEF, WebRig, csrf_of, today


def later_meeting(rig: WebRig) -> dt.date:
    """A KSAU meeting of the bundled plan at least a month ahead."""
    ksau = rig.config.committee("ksau")
    return next(d for d in ksau.dates if d > today() + dt.timedelta(days=30))


async def test_move_preview_and_save(web: WebRig) -> None:
    http = await web.login(EKONOMICHEF)
    home = await http.get("/installningar")
    assert home.status_code == 200, home.text
    assert 'href="/installningar"' in home.text
    day = later_meeting(web)
    page = await http.get(f"/installningar/organ/ksau?ar={day.year}")
    assert page.status_code == 200, page.text
    to = day + dt.timedelta(days=1)
    while to.weekday() >= 5:
        to += dt.timedelta(days=1)
    preview = await http.post(
        f"/installningar/organ/ksau/sammantraden/{day}/flytta",
        data={"csrf": csrf_of(page.text), "new_date": to.isoformat()},
    )
    assert preview.status_code == 200, preview.text
    assert "Spara och tillämpa" in preview.text
    print(preview.text[preview.text.find("<main"):][:6000])
    form = dict(
        (k, v)
        for k, v in __import__("re").findall(
            r'<input type="hidden" name="([^"]+)" value="([^"]*)"', preview.text.split('id="confirm"')[1]
        )
    )
    import html

    form = {k: html.unescape(v) for k, v in form.items()}
    form["reason"] = "KSAU flyttade"
    saved = await http.post("/installningar/spara", data=form)
    assert saved.status_code == 200, saved.text
    print(saved.text[saved.text.find("<main"):][:3000])
    with web.sessions() as session:
        assert store.current_version(session) == 1
