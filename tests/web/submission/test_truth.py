"""Answers that tell the truth: what the round took is reported done, even while its mail waits
for a relay that is down; a second click of the same form stores nothing and says so."""

from __future__ import annotations

import asyncio
import datetime as dt

from sqlalchemy import select

from arshjul.models.rounds import RoundState
from arshjul.store.models import Decision, Submission
from tests.web.conftest import CHEF, KSAU_SECRETARY, ON_BUDGET, WebRig, body_of, csrf_of


async def test_decision_with_the_relay_down_is_reported_done(web: WebRig) -> None:
    spec, link = await web.open_round(meeting_in_days=0)  # KSAU meets today
    page = await web.http.get(link)
    assert (await web.http.post(link, data={"csrf": csrf_of(page.text), **ON_BUDGET})).is_redirect
    await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)
    ksau = await web.login(KSAU_SECRETARY)
    case = f"/ksau/arenden/{spec.workflow_id.removeprefix('round/')}"
    report = await ksau.get(case)

    web.sink.refuse = True  # the relay answers 451 to every mail from now on
    mails = len(web.sink.messages)
    approve = {"csrf": csrf_of(report.text), "outcome": "approve", "reason": "", "confirm": "ja"}
    answer = await ksau.post(f"{case}/beslut", data=approve, follow_redirects=True)
    assert answer.status_code == 200, answer.text[:2000]
    assert "Det är registrerat. E-post och protokoll blir klara så snart det går." in answer.text
    assert 'id="round-state">Godkänd' in answer.text or "Godkänd" in answer.text
    await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.APPROVED)
    with web.sessions() as session:
        decision = session.scalars(select(Decision)).one()
    assert (decision.outcome, decision.paragraph) == ("approved", 1)
    again = await ksau.post(f"{case}/beslut", data=approve)
    assert again.status_code == 409  # taken once: a retry is refused, not recorded twice

    # The relay comes back: the approval mail goes out once (time skips through the retries).
    web.sink.refuse = False
    assert web.env is not None
    await web.env.sleep(dt.timedelta(minutes=30))
    await web.wait_for_mail(CHEF, "har godkänt", start=mails)
    approved = [
        m for m in web.sink.messages[mails:] if CHEF in str(m["To"]) and "har godkänt" in body_of(m)
    ]
    assert len(approved) == 1
    await ksau.aclose()


async def test_a_second_click_stores_nothing_and_says_so(web: WebRig) -> None:
    spec, link = await web.open_round()
    page = await web.http.get(link)
    assert 'name="base_version" value="0"' in page.text
    form = {"csrf": csrf_of(page.text), "base_version": "0", **ON_BUDGET}
    first, second = await asyncio.gather(
        web.http.post(link, data=form), web.http.post(link, data=form)
    )
    third = await web.http.post(link, data=form)  # the same form, after the first went through
    codes = sorted([first.status_code, second.status_code, third.status_code])
    assert codes == [303, 409, 409]
    refused = next(r for r in (first, second, third) if r.status_code == 409)
    assert "Rapporten är redan inlämnad (version 1" in refused.text
    with web.sessions() as session:
        versions = session.scalars(select(Submission)).all()
    assert [(v.version, v.delivery_status) for v in versions] == [(1, "delivered")]
