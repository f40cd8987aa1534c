"""The secretary handles a report at KSAU's meeting in a real browser: the närvaro, two
yrkanden, an open vote, the decision the vote gave, a reservation; the case page passes axe at
both widths and the protocol's PDF/A words it all. Screenshots under test-artifacts/meeting/."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest

from arshjul.models.rounds import RoundState
from arshjul.protocol.agenda import meeting_path
from tests.conftest import MailSink, session_cookie
from tests.protocol.conftest import pdf_text
from tests.web.a11y import Audit
from tests.web.committees.test_meeting_browser import ARTIFACTS, submit
from tests.web.conftest import JourneyBrowser, round_spec, served_rig, today

pytestmark = pytest.mark.browser
SECRETARY = "sofia.lund@example.org"


async def test_a_vote_and_a_reservation_in_a_browser(
    tmp_path: Path, smtp_sink: MailSink, browser: JourneyBrowser
) -> None:
    from playwright.async_api import expect

    async with served_rig(tmp_path, smtp_sink) as rig:
        base = rig.settings.base_url
        spec = round_spec(rig.config, meeting_in_days=0)
        await rig.start_round(spec)
        await submit(rig, spec)
        context = await browser.new_context(locale="sv-SE")
        cookie = session_cookie(rig.sessions, SECRETARY)
        await context.add_cookies([{"name": "arshjul_session", "value": cookie, "url": base}])
        page = await context.new_page()
        audit = Audit({"/{committee_id}/arenden/{org}/{report}/{period}/{unit}"})
        case = f"{base}/ksau/arenden/{spec.workflow_id[6:]}"

        await page.goto(base + meeting_path("ksau", today()))
        for name in ("Gunnar Ståhl", "Ingrid Falk", "Mats Ryd"):
            await page.get_by_role("checkbox", name=name).check()
        await page.get_by_role("button", name="Spara närvaro och justerare").click()
        await expect(page.locator("#notice")).to_contain_text("sparade")

        await page.goto(case)
        section = page.locator("#handlaggning")
        await section.get_by_text("Yrkanden och omröstning").click()
        for who, what in (("Ingrid Falk", "Godkänn"), ("Mats Ryd", "Återremittera")):
            await section.get_by_label("Ledamot som yrkar").select_option(label=who)
            outcome = section.get_by_label("Yrkar", exact=True)
            options = await outcome.locator("option").all_inner_texts()
            await outcome.select_option(label=next(o for o in options if o.startswith(what)))
            await section.get_by_role("button", name="Anteckna yrkandet").click()
            await expect(page.locator("#notice")).to_contain_text("Yrkandet är antecknat")
        vote = page.locator("#omrostning")
        for name, ballot in (("Gunnar Ståhl", "Ja"), ("Ingrid Falk", "Ja"), ("Mats Ryd", "Nej")):
            await vote.get_by_role("group", name=name).get_by_label(ballot, exact=True).check()
        await vote.get_by_role("button", name="Registrera omröstningen").click()
        await expect(page.locator("#vote-result")).to_contain_text("Omröstningen ger Godkänn")
        await audit.check(page, "ärende med omröstning")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=ARTIFACTS / "vote.png", full_page=True)

        await page.get_by_label("Godkänn", exact=True).check()
        await page.get_by_role("button", name="Granska beslutet").click()
        await page.get_by_role("button", name="Bekräfta och protokollför").click()
        await expect(page.locator("#notice")).to_be_visible()
        await rig.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.APPROVED)

        await page.locator("#handlaggning").get_by_text("Reservation", exact=True).click()
        await page.get_by_label("Ledamot som reserverar sig").select_option(label="Mats Ryd")
        await page.get_by_label("Skriftlig motivering", exact=False).fill("Underlaget räcker inte.")
        await page.get_by_role("button", name="Anteckna reservationen").click()
        await expect(page.locator("#handlaggning-text")).to_contain_text("reserverar sig")
        await audit.check(page, "ärende med reservation")

        async with httpx.AsyncClient(cookies={"arshjul_session": cookie}) as http:
            pdf = await http.get(f"{base}{meeting_path('ksau', today())}/protokoll.pdf")
        assert pdf.status_code == 200, pdf.text[:500]
        text = pdf_text(pdf.content)
        for sentence in (
            "Omröstning begärs och verkställs.",
            "Med 2 ja-röster mot 1 nej-röst beslutar kommunstyrelsens arbetsutskott enligt "
            "Ingrid Falks yrkande.",
            "Mats Ryd reserverar sig mot beslutet till förmån för eget yrkande, med skriftlig "
            "motivering: Underlaget räcker inte.",
        ):
            assert sentence in text, sentence
    assert not audit.problems, "\n".join(audit.problems)
