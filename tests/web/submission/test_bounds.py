"""Bounded input: field names, sizes, dates and control characters — each refused with a clear
answer and nothing changed, or cleaned before anything is stored (SQLite and PostgreSQL)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from sqlalchemy import func, select
from temporalio.client import WorkflowUpdateFailedError

from arshjul.models.rounds import (
    UPDATE_EXTEND,
    ExtendInput,
    RoundSpec,
    RoundState,
    UpdateResult,
)
from arshjul.store.models import Decision, Draft, Submission
from arshjul.store.repositories import DraftRepository
from arshjul.swedish import date_sv
from tests.conftest import MailSink
from tests.web.conftest import (
    CHEF,
    EKONOMICHEF,
    KSAU_SECRETARY,
    ON_BUDGET,
    WebRig,
    body_of,
    csrf_of,
    open_rig,
    round_spec,
    today,
)

SECTIONS = ["economic", "goals", "activities"]
ECONOMY = {k: v for k, v in ON_BUDGET.items() if k != "action"}


async def open_full_round(web: WebRig, meeting_in_days: int = 14) -> tuple[RoundSpec, str]:
    """A round whose form has the economy, målkort and activity sections."""
    spec = round_spec(web.config, meeting_in_days=meeting_in_days)
    spec = spec.model_copy(update={"sections": SECTIONS})
    await web.start_round(spec)
    return spec, await web.link_from_mail(CHEF, "s")


def count(web: WebRig, model: type) -> int:
    """Counts the rows of a table."""
    with web.sessions() as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


async def test_unknown_or_malformed_field_names_change_nothing(web: WebRig) -> None:
    spec, link = await open_full_round(web)
    csrf = csrf_of((await web.http.get(link)).text)
    for name in (
        "goals.0.indicators.x.name",  # made one round's page answer 500 for good
        "goals.0.indicators.999.name",  # 60 of these made a 37.7 MB page
        "goals.00.goal",
        "goals.0",
        "economic.nonsense",
        "vf_list.0.change",  # a section this report does not have
        "activities.500.title",  # one row more than a report may have
    ):
        kept = {"economic.analysis": "Svaret som inte får försvinna."}
        data = {"csrf": csrf, "action": "save", name: "x", **kept}
        answer = await web.http.post(link, data=data)
        assert answer.status_code == 400, name
        # The form again, the stray name said and left out, every answer of the report kept.
        problem = answer.text.split('id="problem">')[1].split("</p>")[0]
        assert "Formuläret innehåller ett fält som inte hör till rapporten" in problem
        assert "Inget har sparats." in problem
        assert ">Svaret som inte får försvinna.</textarea>" in answer.text
        assert f'name="{name}"' not in answer.text
    assert count(web, Draft) == 0

    # A draft saved by older code with such a name: the page shows, the stray name is dropped.
    stray = {"goals": [{"goal": "Trygg skola", "indicators": {"x": {"name": "n"}}}]}
    with web.sessions.begin() as session:
        DraftRepository(session).save(workflow_id=spec.workflow_id, content=stray, saved_by=CHEF)
    page = await web.http.get(link)
    assert page.status_code == 200
    assert 'value="Trygg skola"' in page.text
    assert "goals.0.indicators.x" not in page.text


async def test_a_200_row_activity_report_saves_reloads_and_submits(web: WebRig) -> None:
    spec, link = await open_full_round(web)
    csrf = csrf_of((await web.http.get(link)).text)
    start = today()
    form = {
        "csrf": csrf,
        **ECONOMY,
        "goals.0.goal": "Fler elever når målen",
        "goals.0.assessment": "Delvis uppfyllt",
        "goals.0.trend": "Ökad",
        "goals.0.indicators.0.name": "Andel behöriga",
        "goals.0.indicators.0.value": "87 %",
    }
    for i in range(200):
        p = f"activities.{i}."
        form |= {
            p + "title": f"Aktivitet {i + 1}",
            p + "goal": "Fler elever når målen",
            p + "start": start.isoformat(),
            p + "end": (start + dt.timedelta(days=i)).isoformat(),
            p + "responsible": "Rektor",
            p + "status": "Pågående enligt plan",
            p + "comment": "Arbetet följer planen och rapporteras vid nästa uppföljning. " * 3,
        }
    assert len(form) > 1000  # more fields than Starlette's default allows
    saved = await web.http.post(link, data={**form, "action": "save"})
    assert saved.status_code == 303, saved.text[:500]
    reloaded = await web.http.get(saved.headers["location"])
    assert "Utkastet sparades kl." in reloaded.text
    assert 'value="Aktivitet 200"' in reloaded.text
    assert 'name="activities.201.title"' in reloaded.text  # two blank rows after the last
    assert 'name="activities.202.title"' not in reloaded.text
    sent = await web.http.post(link, data={**form, "action": "submit"})
    assert sent.status_code == 303, sent.text[:2000]
    with web.sessions() as session:
        stored = session.scalars(select(Submission)).one()
    assert len(stored.content["activities"]) == 200
    # The receipt shows the activities' dates as people read them, not as ISO.
    receipt = (await web.http.get(sent.headers["location"])).text
    assert f">{date_sv(start)}</td>" in receipt
    assert f">{start.isoformat()}</td>" not in receipt


async def test_overlong_text_changes_nothing(web: WebRig) -> None:
    spec, link = await open_full_round(web)
    page = await web.http.get(link)
    assert 'name="economic.analysis" rows="5" maxlength="20000"' in page.text
    form = {"csrf": csrf_of(page.text), "action": "save", **ECONOMY}
    answer = await web.http.post(link, data={**form, "economic.analysis": "x" * 20_001})
    assert answer.status_code == 400
    assert "Texten är för lång: 20 001 tecken av högst 20 000." in answer.text
    # Line breaks count once, as the browser counted them against maxlength.
    fits = await web.http.post(link, data={**form, "economic.analysis": "a\r\n" * 10_000})
    assert fits.status_code == 303  # saved, and the form shown again by its address
    assert count(web, Submission) == 0
    assert count(web, Draft) == 1


async def test_due_dates_stay_within_five_years(web: WebRig) -> None:
    spec, link = await web.open_round(meeting_in_days=0)  # KSAU meets today
    page = await web.http.get(link)
    assert (await web.http.post(link, data={"csrf": csrf_of(page.text), **ON_BUDGET})).is_redirect
    before = await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)
    case = spec.workflow_id.removeprefix("round/")

    ksau = await web.login(KSAU_SECRETARY)
    report = await ksau.get(f"/ksau/arenden/{case}")
    remit = {"csrf": csrf_of(report.text), "outcome": "remit", "reason": "Komplettera."}
    remit["confirm"] = "ja"
    far = await ksau.post(f"/ksau/arenden/{case}/beslut", data={**remit, "new_due": "9999-12-31"})
    assert far.status_code == 400
    assert "Det nya sista datumet 31 december 9999 ligger för långt fram" in far.text
    eva = await web.login(EKONOMICHEF)
    overview = await eva.get("/")
    extend = {"csrf": csrf_of(overview.text), "new_due": "9999-12-31", "reason": "Sjukdom"}
    answer = await eva.post(f"/omgangar/{case}/forlang", data=extend)
    assert answer.status_code == 400
    assert "ligger för långt fram" in answer.text

    # The round's own validator refuses it too (what once failed the round 16 times over).
    handle = web.client.get_workflow_handle(spec.workflow_id)
    with pytest.raises(WorkflowUpdateFailedError):
        await handle.execute_update(
            UPDATE_EXTEND,
            ExtendInput(new_due=dt.date(9999, 12, 31), actor=EKONOMICHEF),
            result_type=UpdateResult,
        )
    after = await web.status(spec.workflow_id)
    assert (after.state, after.due, after.history) == (before.state, before.due, before.history)
    assert count(web, Decision) == 0
    # …and stays well: a sane extension still goes through.
    new_due = today() + dt.timedelta(days=30)
    ok = await eva.post(f"/omgangar/{case}/forlang", data={**extend, "new_due": str(new_due)})
    assert ok.status_code == 200
    assert (await web.status(spec.workflow_id)).due == new_due
    await ksau.aclose()
    await eva.aclose()


async def test_control_characters_are_cleaned_before_anything_is_stored(
    tmp_path: Path, smtp_sink: MailSink, database_url: str
) -> None:
    async with open_rig(tmp_path, smtp_sink, database_url=database_url) as web:
        spec, link = await web.open_round(meeting_in_days=0)
        page = await web.http.get(link)
        form = {"csrf": csrf_of(page.text), **ON_BUDGET, "economic.analysis": "Enligt\x00 budget"}
        assert (await web.http.post(link, data=form)).status_code == 303
        await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)
        with web.sessions() as session:
            stored = session.scalars(select(Submission)).one()
        assert stored.content["economic"]["analysis"] == "Enligt budget"

        case = spec.workflow_id.removeprefix("round/")
        ksau = await web.login(KSAU_SECRETARY)
        assert (await ksau.get(f"/ksau/arenden/{case}%00")).status_code == 400
        report = await ksau.get(f"/ksau/arenden/{case}")
        mails = len(web.sink.messages)
        decision = {"csrf": csrf_of(report.text), "outcome": "remit", "confirm": "ja"}
        # A reason is refused (the round refuses it too), a report's text is cleaned.
        refused = await ksau.post(
            f"/ksau/arenden/{case}/beslut", data={**decision, "reason": "Komplettera\x00nu"}
        )
        assert refused.status_code == 400 and "otillåtna tecken" in refused.text
        remitted = await ksau.post(
            f"/ksau/arenden/{case}/beslut",
            data={**decision, "reason": "Komplettera nu"},
            follow_redirects=True,
        )
        assert remitted.status_code == 200, remitted.text[:2000]
        await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.REMITTED)
        mail = await web.wait_for_mail(CHEF, "Komplettera nu", start=mails)
        assert "Komplettera nu" in body_of(mail)
        with web.sessions() as session:
            recorded = session.scalars(select(Decision)).one()
        assert (recorded.paragraph, recorded.reason) == (1, "Komplettera nu")

        # The round refuses a control character sent past the web.
        handle = web.client.get_workflow_handle(spec.workflow_id)
        with pytest.raises(WorkflowUpdateFailedError):
            await handle.execute_update(
                UPDATE_EXTEND,
                ExtendInput(new_due=today() + dt.timedelta(days=20), actor=CHEF, reason="a\x00b"),
                result_type=UpdateResult,
            )
        await ksau.aclose()


async def test_a_form_without_amounts_does_not_speak_of_tkr(web: WebRig) -> None:
    # The demo's uppsiktsrapport: activities and texts, no amount anywhere.
    spec = round_spec(web.config).model_copy(update={"sections": ["activities", "texts"]})
    await web.start_round(spec)
    page = (await web.http.get(await web.link_from_mail(CHEF, "s"))).text
    assert "Du kan spara ett utkast" in page and "tusen kronor" not in page
