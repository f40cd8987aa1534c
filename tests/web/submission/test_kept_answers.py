"""A refused form keeps every answer and says truthfully why: a text over its limit (posted
without the browser's maxlength), and a second tab sent after the first one's submission."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update

from arshjul.models.rounds import RoundState
from arshjul.notifications import tokens
from arshjul.store.db import utc_now
from arshjul.store.models import Draft, LinkToken, Submission
from arshjul.text import REFUSED_SV
from tests.web.conftest import KSAU_SECRETARY, ON_BUDGET, WebRig, csrf_of
from tests.web.submission.test_refusals import counts

LONG_ANALYSIS = "Fler placeringar än budgeterat. " * 800  # 25 600 characters, the limit is 20 000


async def test_an_overlong_text_comes_back_marked_with_every_answer_kept(web: WebRig) -> None:
    spec, link = await web.open_round()
    page = await web.http.get(link)
    before = counts(web)
    form = {
        "csrf": csrf_of(page.text),
        **ON_BUDGET,
        "economic.budget_tkr": "12 500",
        "economic.analysis": LONG_ANALYSIS,
        "economic.measures": "Översyn av placeringar.",
    }
    for action in ("submit", "save"):
        answer = await web.http.post(link, data={**form, "action": action})
        assert answer.status_code == 400, answer.text[:500]
        html = answer.text
        # The form again, not a bare error page: the field marked where it is and in the summary.
        assert "Det finns 1 fel att rätta" in html
        message = "Texten är för lång: 25 600 tecken av högst 20 000. Korta den med 5 600 tecken."
        assert f'<p class="field-error" id="f-economic-analysis-error">Fel: {message}</p>' in html
        assert f'<a href="#f-economic-analysis">{message}</a>' in html
        described = "f-economic-analysis-hint f-economic-analysis-count f-economic-analysis-error"
        assert f'aria-describedby="{described}" aria-invalid="true">' in html
        assert "Inget har sparats eller skickats än" in html
        # Every answer kept, the long one whole (the person shortens it, nothing is cut).
        assert 'name="economic.budget_tkr" value="12 500"' in html
        assert f">{LONG_ANALYSIS}</textarea>" in html
        assert ">Översyn av placeringar.</textarea>" in html
        assert "Högst 20 000 tecken." in html
    assert counts(web) == before  # no version, no draft
    assert (await web.status(spec.workflow_id)).state == RoundState.OPEN

    short = await web.http.post(link, data={**form, "economic.analysis": LONG_ANALYSIS[:20_000]})
    assert short.status_code == 303


async def test_a_second_tab_sent_after_the_first_says_what_happened_and_keeps_its_answers(
    web: WebRig,
) -> None:
    spec, link = await web.open_round()
    first = await web.http.get(link)
    second = await web.http.get(link)  # the same link open in another tab
    assert first.headers["cache-control"] == "no-store"
    sent = await web.http.post(
        link, data={"csrf": csrf_of(first.text), "base_version": "0", **ON_BUDGET}
    )
    assert sent.status_code == 303
    receipt = await web.http.get(sent.headers["location"])
    assert receipt.headers["cache-control"] == "no-store"
    await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)
    with web.sessions() as session:
        stored = session.scalars(select(Submission)).one()
    at = stored.submitted_at.astimezone(ZoneInfo("Europe/Stockholm"))

    tab = {
        "csrf": csrf_of(second.text),
        "base_version": "0",
        **ON_BUDGET,
        "economic.analysis": "Andra fönstrets analys.",
    }
    lost = await web.http.post(link, data=tab)
    assert lost.status_code == 409
    html = lost.text
    assert lost.headers["cache-control"] == "no-store"
    # What happened, and nothing it did not: no committee has decided anything.
    assert (
        f"Rapporten skickades in från ett annat fönster kl. {at:%H.%M}, version 1, medan den "
        "här sidan var öppen."
    ) in html
    assert "skicka dem som en rättelse" in html
    assert "beslutat" not in html.split('id="correction"')[0]
    # The tab's answers are in the form, now a correction of version 1.
    assert ">Andra fönstrets analys.</textarea>" in html
    assert 'name="base_version" value="1"' in html
    assert ">Skicka rättelsen</button>" in html
    with web.sessions() as session:
        assert [s.version for s in session.scalars(select(Submission))] == [1]

    correction = {**tab, "csrf": csrf_of(html), "action": "correct", "base_version": "1"}
    corrected = await web.http.post(link, data=correction)
    assert corrected.status_code == 303, corrected.text[:500]
    assert corrected.headers["location"].endswith("/kvitto/2")
    with web.sessions() as session:
        newest = session.scalars(select(Submission).where(Submission.version == 2)).one()
    assert newest.content["economic"]["analysis"] == "Andra fönstrets analys."


async def test_the_same_answers_sent_twice_are_told_to_be_in_already(web: WebRig) -> None:
    spec, link = await web.open_round()
    page = await web.http.get(link)
    form = {"csrf": csrf_of(page.text), "base_version": "0", **ON_BUDGET}
    assert (await web.http.post(link, data=form)).status_code == 303
    await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)
    again = await web.http.post(link, data=form)  # a second click, or a tab with the same answers
    assert again.status_code == 409
    assert "Rapporten är redan inlämnad (version 1, kl. " in again.text
    assert ") med just de här svaren. Den skickades inte en gång till." in again.text
    assert 'id="problem"' not in again.text
    with web.sessions() as session:
        assert len(session.scalars(select(Submission)).all()) == 1


async def test_a_control_character_comes_back_marked_with_every_answer_kept(web: WebRig) -> None:
    spec, link = await web.open_round()
    page = await web.http.get(link)
    sent = await web.http.post(link, data={"csrf": csrf_of(page.text), **ON_BUDGET})
    assert sent.status_code == 303
    on_agenda = await web.wait_for_state(
        spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA
    )
    before = counts(web)
    page = await web.http.get(link)

    # A reason pasted with an escape character: the take-back form again, the field marked.
    take_back = {"csrf": csrf_of(page.text), "action": "take_back", "reason": "Fel\x1b period"}
    answer = await web.http.post(link, data=take_back)
    assert answer.status_code == 400, answer.text[:500]
    html = answer.text
    assert "Felkod 400" not in html, html.split("<main")[1][:600]
    assert "Det finns 1 fel att rätta" in html
    assert f'<p class="field-error" id="f-reason-error">Fel: {REFUSED_SV}</p>' in html
    assert f'<a href="#f-reason">{REFUSED_SV}</a>' in html
    assert 'value="Fel period" aria-describedby="f-reason-error" aria-invalid="true">' in html
    assert "Rapporten har inte dragits tillbaka." in html
    assert ">Enligt budget.</textarea>" in html  # the report form shows what was sent
    assert (await web.status(spec.workflow_id)).history == on_agenda.history
    assert counts(web) == before

    # The report form with such a character where no person types (a script's): every answer
    # kept, the refusal said, nothing stored.
    form = {
        "csrf": csrf_of(page.text),
        **ON_BUDGET,
        "action": "save",
        "base_version": "1\x00",
        "economic.analysis": "Ny analys som inte får försvinna.",
    }
    refused = await web.http.post(link, data=form)
    assert refused.status_code == 400, refused.text[:500]
    assert "Felkod 400" not in refused.text
    assert REFUSED_SV in refused.text.split('id="problem">')[1].split("</p>")[0]
    assert ">Ny analys som inte får försvinna.</textarea>" in refused.text
    assert 'name="economic.budget_tkr" value="100"' in refused.text
    assert counts(web) == before

    # The reason as it came back, sent again: taken back, and answered by the form's address.
    fixed = await web.http.post(link, data={**take_back, "reason": "Fel period"})
    assert fixed.status_code == 303
    assert fixed.headers["location"] == f"{link}?tillbakadragen=1"
    shown = await web.http.get(fixed.headers["location"])
    assert "Rapporten drogs tillbaka kl. " in shown.text
    assert (await web.status(spec.workflow_id)).state == RoundState.OPEN


async def test_a_form_sent_after_the_committee_decided_is_refused_with_its_answers_kept(
    web: WebRig,
) -> None:
    spec, link = await web.open_round(meeting_in_days=0)  # KSAU meets today
    page = await web.http.get(link)
    sent = await web.http.post(link, data={"csrf": csrf_of(page.text), **ON_BUDGET})
    assert sent.status_code == 303
    await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)
    stale = await web.http.get(link)  # the correction form, left open while KSAU meets
    assert ">Skicka rättelsen</button>" in stale.text

    ksau = await web.login(KSAU_SECRETARY)
    case = f"/ksau/arenden/{spec.workflow_id.removeprefix('round/')}"
    report = await ksau.get(case)
    approve = {"csrf": csrf_of(report.text), "outcome": "approve", "reason": "", "confirm": "ja"}
    assert (await ksau.post(f"{case}/beslut", data=approve)).status_code == 303
    decided = await web.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.APPROVED)
    before = counts(web)

    for action, base in (("correct", "1"), ("save", "1"), ("submit", "0")):
        form = {
            "csrf": csrf_of(stale.text),
            **ON_BUDGET,
            "action": action,
            "base_version": base,
            "economic.analysis": "Rättelse skriven medan utskottet beslutade.",
        }
        answer = await web.http.post(link, data=form)
        assert answer.status_code == 409, (action, answer.text[:500])
        html = answer.text
        problem = html.split('id="problem">')[1].split("</p>")[0]
        assert "Rapporten kan inte ändras nu (status: Godkänd)." in problem
        assert "Svaren i det här fönstret har inte sparats" in problem
        # The answers stay in view to copy, with nothing offered that the round would refuse.
        assert ">Rättelse skriven medan utskottet beslutade.</textarea>" in html
        assert 'id="kept-hint"' in html
        assert "Skicka rättelsen</button>" not in html and "Spara utkast</button>" not in html
        assert 'id="round-state">Godkänd<' in html
    assert counts(web) == before  # no version, no draft
    after = await web.status(spec.workflow_id)
    assert (after.state, after.history) == (decided.state, decided.history)
    await ksau.aclose()


async def test_answers_sent_after_the_link_ran_out_are_kept_as_a_draft(web: WebRig) -> None:
    spec, link = await web.open_round()
    page = await web.http.get(link)
    with web.sessions.begin() as session:  # the link runs out while the chef types
        session.execute(update(LinkToken).values(expires_at=utc_now() - dt.timedelta(minutes=1)))
    typed = {**ON_BUDGET, "economic.analysis": "Skrivet medan länken gick ut."}
    dead = await web.http.post(link, data={"csrf": csrf_of(page.text), **typed, "action": "submit"})
    assert dead.status_code == 410
    assert "Länken har gått ut" in dead.text
    assert "Det du skrev är inte förlorat: det är sparat som utkast" in dead.text
    with web.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Submission)) == 0  # not submitted
        draft = session.scalars(select(Draft)).one()
    assert draft.content["economic"]["analysis"] == "Skrivet medan länken gick ut."
    assert (await web.status(spec.workflow_id)).state == RoundState.OPEN

    # A new link opens the form with what was typed.
    with web.sessions.begin() as session:
        fresh = tokens.issue(
            session,
            purpose="submit",
            ttl=dt.timedelta(days=1),
            workflow_id=spec.workflow_id,
            unit_id=spec.unit_id,
            secret_key=web.settings.secret_key,
        )
    again = await web.http.get(f"/s/{fresh}")
    assert ">Skrivet medan länken gick ut.</textarea>" in again.text

    # A forged link keeps nothing.
    forged = await web.http.post(
        link[:-2] + "AA", data={"csrf": csrf_of(page.text), **typed, "economic.analysis": "X"}
    )
    assert forged.status_code == 403
    with web.sessions() as session:
        assert session.scalars(select(Draft)).one().content["economic"]["analysis"] != "X"
