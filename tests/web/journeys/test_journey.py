"""A round walked end to end through the pages: link, measures error, submit, KSAU remits, the chef
completes, KSAU approves — against the real workflow on the time-skipping server."""

from __future__ import annotations

from arshjul.models.rounds import RoundState
from arshjul.store.models import DELIVERY_DELIVERED
from arshjul.store.repositories import DecisionRepository, SubmissionRepository
from tests.web.conftest import KSAU_SECRETARY, WebRig, csrf_of

ECONOMY = {
    "economic.budget_tkr": "12 500",
    "economic.utfall_tkr": "9 800,5",
    "economic.forecast_tkr": "13 100",
    "economic.analysis": "Högre kostnader för placeringar än budgeterat.",
    "economic.measures": "",
}


async def test_round_through_the_pages(web: WebRig) -> None:
    spec, link = await web.open_round(meeting_in_days=0)  # KSAU meets today: pages may decide

    page = await web.http.get(link)
    assert page.status_code == 200
    assert "Månadsrapport – Barn- och utbildningsförvaltningen" in page.text
    assert "Väntar på inlämning" in page.text

    # A negative deviation without measures: the error beside the field and in the summary,
    # with everything typed still there.
    form = {"csrf": csrf_of(page.text), "action": "submit", **ECONOMY}
    refused = await web.http.post(link, data=form)
    assert refused.status_code == 400
    assert 'class="error-summary"' in refused.text
    assert 'href="#f-economic-measures"' in refused.text
    assert 'id="f-economic-measures-error"' in refused.text
    assert 'value="9 800,5"' in refused.text
    assert "Högre kostnader för placeringar" in refused.text
    assert (await web.status(spec.workflow_id)).state == RoundState.OPEN

    form["economic.measures"] = "Översyn av placeringar och vakansprövning."
    sent = await web.http.post(link, data=form)
    assert sent.status_code == 303
    receipt = await web.http.get(sent.headers["location"])
    assert "Tack! Rapporten är inlämnad." in receipt.text
    assert "−600 tkr" in receipt.text  # budget minus prognos, the Swedish way
    status = await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)
    with web.sessions() as session:
        first = SubmissionRepository(session).latest(workflow_id=spec.workflow_id)
        assert first is not None
        assert first.delivery_status == DELIVERY_DELIVERED

    # KSAU: the agenda lists the report under its meeting; a remit needs a reason.
    ksau = await web.login(KSAU_SECRETARY)
    agenda = await ksau.get("/ksau")
    assert agenda.status_code == 200
    case = f"/ksau/arenden/{spec.workflow_id.removeprefix('round/')}"
    assert f'href="{case}"' in agenda.text
    assert status.meeting is not None
    report = await ksau.get(case)
    assert "Översyn av placeringar" in report.text
    no_reason = await ksau.post(
        f"{case}/beslut", data={"csrf": csrf_of(report.text), "outcome": "remit", "reason": ""}
    )
    assert no_reason.status_code == 400
    assert "Skäl måste anges" in no_reason.text
    assert (await web.status(spec.workflow_id)).state == RoundState.ON_AGENDA
    remit_form = {
        "csrf": csrf_of(report.text),
        "outcome": "remit",
        "reason": "Åtgärdsplanen saknar belopp och tidplan.",
    }
    # First the decision as the protocol will state it; nothing is sent yet.
    shown = await ksau.post(f"{case}/beslut", data=remit_form)
    assert "Kommunstyrelsens arbetsutskott beslutar att återremittera rapporten" in shown.text
    assert (await web.status(spec.workflow_id)).state == RoundState.ON_AGENDA
    remit = await ksau.post(
        f"{case}/beslut", data={**remit_form, "confirm": "ja"}, follow_redirects=True
    )
    # Post, redirect, get: the case page shows the round's answer; a reload decides nothing.
    assert [r.status_code for r in remit.history] == [303] and remit.status_code == 200
    assert remit.url.path == case and "återremitterad" in remit.text
    assert (await web.status(spec.workflow_id)).state == RoundState.REMITTED
    reloaded = await ksau.get(remit.url)
    assert "återremitterad" in reloaded.text
    forged = await ksau.get(case, params={"klart": "Rapporten är godkänd."})
    assert "Rapporten är godkänd." not in forged.text  # only the app's own sentences are shown

    # The chef sees the reasons at the top and the previous answers filled in, and completes.
    again = await web.http.get(link)
    assert 'id="remit-reason"' in again.text
    assert "Åtgärdsplanen saknar belopp och tidplan." in again.text
    assert "Översyn av placeringar och vakansprövning." in again.text
    form = {
        "csrf": csrf_of(again.text),
        "action": "submit",
        **ECONOMY,
        "economic.measures": "Översyn av placeringar: −400 tkr till december.",
    }
    resent = await web.http.post(link, data=form)
    assert resent.status_code == 303
    assert resent.headers["location"].endswith("/kvitto/2")
    await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)

    # KSAU approves; the earlier version stays visible and the protocol has both decisions.
    report = await ksau.get(case)
    assert "Tidigare versioner" in report.text
    approve = await ksau.post(
        f"{case}/beslut",
        data={"csrf": csrf_of(report.text), "outcome": "approve", "reason": "", "confirm": "ja"},
        follow_redirects=True,
    )
    assert approve.status_code == 200
    final = await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.APPROVED)
    assert [h.event for h in final.history].count("submitted") == 2
    with web.sessions() as session:
        decisions = DecisionRepository(session).list_for_round(workflow_id=spec.workflow_id)
    assert [d.outcome for d in decisions] == ["remitted", "approved"]
    protocol = await ksau.get(f"/ksau/protokoll/{decisions[0].meeting.isoformat()}")
    assert "Åtgärdsplanen saknar belopp och tidplan." in protocol.text
    assert "§ 1" in protocol.text

    # After approval the link shows the state and no form.
    closed = await web.http.get(link)
    assert "Godkänd" in closed.text
    assert 'value="submit"' not in closed.text
    await ksau.aclose()
