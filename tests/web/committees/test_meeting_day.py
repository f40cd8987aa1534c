"""KSAU decides at its meeting: before the meeting day the report page says so and the round
refuses a decision sent anyway."""

from __future__ import annotations

from arshjul.models.rounds import RoundState
from arshjul.swedish import date_sv
from tests.web.conftest import KSAU_SECRETARY, ON_BUDGET, WebRig, csrf_of


async def test_ksau_page_before_the_meeting_day(web: WebRig) -> None:
    spec, link = await web.open_round()  # KSAU meets in 14 days
    page = await web.http.get(link)
    form = {"csrf": csrf_of(page.text), **ON_BUDGET}
    assert (await web.http.post(link, data=form)).status_code == 303
    before = await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)
    assert before.meeting is not None
    sentence = (
        f"Ärendet avgörs på sammanträdet {date_sv(before.meeting)}; "
        "beslut kan registreras från den dagen."
    )

    ksau = await web.login(KSAU_SECRETARY)
    case = f"/ksau/arenden/{spec.workflow_id.removeprefix('round/')}"
    report = await ksau.get(case)
    assert report.status_code == 200
    assert f'id="before-meeting">{sentence}</p>' in report.text
    assert 'style="border:0;margin:0;padding:0" disabled>' in report.text  # the choices are off

    # A decision posted anyway (an old tab, a crafted request) is refused by the round itself.
    refused = await ksau.post(
        f"{case}/beslut",
        data={"csrf": csrf_of(report.text), "outcome": "approve", "reason": "", "confirm": "ja"},
    )
    assert refused.status_code == 409
    assert f'id="problem">{sentence}</p>' in refused.text
    after = await web.status(spec.workflow_id)
    assert (after.state, after.meeting, after.history) == (
        RoundState.ON_AGENDA,
        before.meeting,
        before.history,
    )
    await ksau.aclose()
