"""Hostile input over HTTP and past the web: control characters and padded dates change nothing
and get a Swedish answer on SQLite and PostgreSQL alike; a bordläggning reaches the unit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import select
from temporalio.client import WorkflowUpdateFailedError

from arshjul.models.rounds import UPDATE_DECIDE, DecideInput, RoundState, UpdateResult
from arshjul.store.models import Decision
from arshjul.store.repositories import UnitPeopleRepository
from arshjul.swedish import date_sv
from tests.conftest import MailSink
from tests.web.conftest import (
    CHEF,
    KSAU_SECRETARY,
    ON_BUDGET,
    WebRig,
    body_of,
    csrf_of,
    open_rig,
    today,
)

REFUSED = "otillåtna tecken"


async def _on_agenda_today(web: WebRig) -> tuple[str, str]:
    """Submits the standard round with its KSAU meeting today; returns the case path and the
    unit's link."""
    spec, link = await web.open_round(meeting_in_days=0)
    page = await web.http.get(link)
    sent = await web.http.post(link, data={"csrf": csrf_of(page.text), **ON_BUDGET})
    assert sent.status_code == 303
    await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)
    return "/ksau/arenden/" + spec.workflow_id.removeprefix("round/"), link


async def test_control_characters_in_a_unit_person_are_refused_in_swedish(
    tmp_path: Path, smtp_sink: MailSink, database_url: str
) -> None:
    # PostgreSQL refuses a NUL: this was a 500 there and a stored name on SQLite.
    async with open_rig(tmp_path, smtp_sink, database_url=database_url) as web:
        chef = await web.login(CHEF)
        csrf = csrf_of((await chef.get("/enheter/bun")).text)
        for name in ("Dana\x00 Ersättare", "Dana\x07 Ersättare"):
            refused = await chef.post(
                "/enheter/bun/personer",
                data={"csrf": csrf, "kind": "recipient", "name": name, "email": "d@example.org"},
            )
            assert refused.status_code == 400, refused.text[:500]
            assert REFUSED in refused.text and "Inget har ändrats" in refused.text
        with web.sessions() as session:
            assert UnitPeopleRepository(session).list(org_id="hedemora", unit_id="bun") == []
        await chef.aclose()


async def test_a_decision_with_a_padded_date_is_taken_and_a_control_character_refused(
    tmp_path: Path, smtp_sink: MailSink, database_url: str
) -> None:
    async with open_rig(tmp_path, smtp_sink, database_url=database_url) as web:
        case, _ = await _on_agenda_today(web)
        wid = "round/" + case.removeprefix("/ksau/arenden/")
        ksau = await web.login(KSAU_SECRETARY)
        csrf = csrf_of((await ksau.get(case)).text)
        remit = {"csrf": csrf, "outcome": "remit", "confirm": "ja"}

        refused = await ksau.post(case + "/beslut", data={**remit, "reason": "Komplettera\x00nu"})
        assert refused.status_code == 400 and REFUSED in refused.text
        assert (await web.status(wid)).state == RoundState.ON_AGENDA

        bad = await ksau.post(
            case + "/beslut", data={**remit, "reason": "Komplettera", "new_due": " 20-01-2027 "}
        )
        assert bad.status_code == 400 and "ÅÅÅÅ-MM-DD" in bad.text

        due = today() + dt.timedelta(days=40)
        taken = await ksau.post(
            case + "/beslut",
            data={**remit, "reason": "Komplettera", "new_due": f" {due.isoformat()} "},
        )
        assert taken.status_code == 303, taken.text[:2000]
        status = await web.wait_for_state(wid, lambda s: s.state == RoundState.REMITTED)
        assert status.due == due
        with web.sessions() as session:
            decision = session.scalars(select(Decision)).one()
        assert (decision.outcome, decision.reason) == ("remitted", "Komplettera")
        await ksau.aclose()


async def test_the_round_refuses_a_control_character_sent_past_the_web(web: WebRig) -> None:
    # A chain round's validator took it: the decision was made, then recording it failed forever
    # and the SQL mirror kept saying "on the agenda".
    case, _ = await _on_agenda_today(web)
    wid = "round/" + case.removeprefix("/ksau/arenden/")
    handle = web.client.get_workflow_handle(wid)
    for reason in ("Komplettera\x00nu", "Komplettera\x1b[31mnu"):
        with pytest.raises(WorkflowUpdateFailedError) as refused:
            await handle.execute_update(
                UPDATE_DECIDE,
                DecideInput(outcome="remit", actor=KSAU_SECRETARY, reason=reason),
                result_type=UpdateResult,
            )
        assert REFUSED in str(refused.value.cause.details[0])
    status = await web.wait_for_state(wid, lambda s: s.state == RoundState.ON_AGENDA)
    assert [h.event for h in status.history][-1] == "on_agenda"
    # The same round still takes a clean decision.
    await handle.execute_update(
        UPDATE_DECIDE,
        DecideInput(outcome="remit", actor=KSAU_SECRETARY, reason="Komplettera nu"),
        result_type=UpdateResult,
    )
    await web.wait_for_state(wid, lambda s: s.state == RoundState.REMITTED)


async def test_a_tabled_report_is_told_to_the_unit_by_mail_and_in_its_history(
    web: WebRig,
) -> None:
    case, link = await _on_agenda_today(web)
    wid = "round/" + case.removeprefix("/ksau/arenden/")
    ksau = await web.login(KSAU_SECRETARY)
    csrf = csrf_of((await ksau.get(case)).text)
    mails = len(web.sink.messages)
    tabled = await ksau.post(
        case + "/beslut",
        data={"csrf": csrf, "outcome": "table", "reason": "Underlag saknas", "confirm": "ja"},
    )
    assert tabled.status_code == 303, tabled.text[:2000]
    nxt = today() + dt.timedelta(days=35)
    status = await web.wait_for_state(wid, lambda s: s.meeting == nxt)
    assert status.state == RoundState.ON_AGENDA

    mail = await web.wait_for_mail(CHEF, "bordlag", start=mails)
    text = body_of(mail)
    assert "Kommunstyrelsens arbetsutskott" in text
    assert "Underlag saknas" in text
    assert date_sv(today()) in text and date_sv(nxt) in text  # this meeting and the next
    assert "bordlagt" in str(mail["Subject"]).lower()

    # The unit's own page of the round (its mail's link) and its unit page show the history.
    case_page = await web.http.get(link, follow_redirects=True)
    assert case_page.status_code == 200
    assert "Bordlagd till nästa sammanträde" in case_page.text
    chef = await web.login(CHEF)
    unit = (await chef.get("/enheter/bun")).text
    assert "Bordlagd till nästa sammanträde" in unit
    await chef.aclose()
    await ksau.aclose()
