"""Fullmäktige handles the delårsrapport in a real browser: the secretary enters the närvaro,
two jäviga ledamöter leave the §, two yrkanden are put to an open vote, the decision the vote
gave is taken (the round receives it), a reservation is entered with its reason; the case page
passes axe at both widths and the protocol's PDF/A words it as the law does. Screenshots under
test-artifacts/meeting/."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx
import pytest

from arshjul.calendar.config import ArshjulConfig, Person
from arshjul.calendar.loader import load_config
from arshjul.models.rounds import CommitteeSpec, Recipient, ReviewSpec, RoundSpec, RoundState
from arshjul.protocol.agenda import meeting_path
from arshjul.settings import BUNDLED_CONFIG
from tests.conftest import MailSink, monthly_round, session_cookie
from tests.protocol.conftest import pdf_text
from tests.web.a11y import Audit
from tests.web.committees.test_meeting_browser import ARTIFACTS, submit
from tests.web.conftest import JourneyBrowser, served_rig, today

pytestmark = pytest.mark.browser
# Fullmäktige with seven ledamöter: two leave the § for jäv and five still make it beslutfört.
KF = [
    ("Rolf Ekman", "rolf.ekman@example.org"),
    ("Lisa Bergström", "lisa.bergstrom@example.org"),
    ("Omar Saleh", "omar.saleh@example.org"),
    ("Karin Vik", "karin.vik@example.org"),
    ("Nils Åberg", "nils.aberg@example.org"),
    ("Selma Lind", "selma.lind@example.org"),
    ("Bo Hed", "bo.hed@example.org"),
]
JAVIGA = ("Karin Vik", "Bo Hed")
BALLOTS = {
    "Rolf Ekman": "Ja",
    "Lisa Bergström": "Ja",
    "Omar Saleh": "Nej",
    "Nils Åberg": "Ja",
    "Selma Lind": "Nej",
}


def _seven(config: ArshjulConfig) -> ArshjulConfig:
    people = [Person(name=n, email=e) for n, e in KF]
    kf = config.committee("kf").model_copy(update={"members": people, "chair": people[0]})
    return config.model_copy(
        update={"committees": [kf if c.id == "kf" else c for c in config.committees]}
    )


def _delarsrapport(config: ArshjulConfig) -> RoundSpec:
    # On fullmäktige's agenda today, the last step of its chain.
    t = today()
    kf = config.committee("kf")
    members = [Recipient(name=p.name, email=p.email) for p in kf.members]
    spec = monthly_round(
        config,
        "bun",
        period=f"{t.year}-08",
        period_end=dt.date(t.year, 8, 31),
        opens=t - dt.timedelta(days=1),
        due=t + dt.timedelta(days=10),
        reminders_working_days_before_due=[],
        measures_threshold_tkr=0,
        review=ReviewSpec(
            committee=CommitteeSpec(
                id=kf.id, name=kf.name, members=members, meetings=[t, t + dt.timedelta(days=35)]
            ),
            min_days_before_meeting=0,
        ),
    )
    return spec.model_copy(update={"report_id": "delarsrapport", "report_title": "Delårsrapport"})


async def test_fullmaktige_votes_on_the_delarsrapport_in_a_browser(
    tmp_path: Path, smtp_sink: MailSink, browser: JourneyBrowser
) -> None:
    from playwright.async_api import expect

    config = _seven(load_config(BUNDLED_CONFIG))
    secretary = config.committee("kf").secretary
    assert secretary is not None
    async with served_rig(tmp_path, smtp_sink, config) as rig:
        base = rig.settings.base_url
        spec = _delarsrapport(config)
        await rig.start_round(spec)
        await submit(rig, spec)
        context = await browser.new_context(locale="sv-SE")
        cookie = session_cookie(rig.sessions, secretary.email)
        await context.add_cookies([{"name": "arshjul_session", "value": cookie, "url": base}])
        page = await context.new_page()
        audit = Audit({"/{committee_id}/arenden/{org}/{report}/{period}/{unit}"})
        case = f"{base}/kf/arenden/{spec.workflow_id[6:]}"

        await page.goto(base + meeting_path("kf", today()))
        for name, _ in KF:
            await page.get_by_role("checkbox", name=name).check()
        await page.get_by_role("button", name="Spara närvaro och justerare").click()
        await expect(page.locator("#notice")).to_contain_text("sparade")

        await page.goto(case)
        section = page.locator("#handlaggning")
        await section.get_by_text("Jäv", exact=True).click()
        for name in JAVIGA:
            await section.get_by_role("checkbox", name=name).check()
        await section.get_by_role("button", name="Spara jäv").click()
        await expect(page.locator("#notice")).to_contain_text("Jäven är antecknade")
        await section.get_by_text("Yrkanden och omröstning").click()
        for who, what in (("Lisa Bergström", "Godkänn"), ("Omar Saleh", "Återremittera")):
            await section.get_by_label("Ledamot som yrkar").select_option(label=who)
            outcome = section.get_by_label("Yrkar", exact=True)
            options = await outcome.locator("option").all_inner_texts()
            await outcome.select_option(label=next(o for o in options if o.startswith(what)))
            await section.get_by_role("button", name="Anteckna yrkandet").click()
            await expect(page.locator("#notice")).to_contain_text("Yrkandet är antecknat")
        vote = page.locator("#omrostning")
        for name in JAVIGA:  # a jävig ledamot has no ballot
            await expect(vote.get_by_role("group", name=name)).to_have_count(0)
        for name, ballot in BALLOTS.items():
            group = vote.get_by_role("group", name=name, exact=False)
            await group.get_by_label(ballot, exact=True).check()
        await vote.get_by_role("button", name="Registrera omröstningen").click()
        await expect(page.locator("#vote-result")).to_contain_text("Omröstningen ger Godkänn")
        await audit.check(page, "fullmäktiges ärende med jäv och omröstning")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        await page.screenshot(path=ARTIFACTS / "kf-vote.png", full_page=True)

        await page.get_by_label("Godkänn", exact=True).check()
        await page.get_by_role("button", name="Granska beslutet").click()
        await page.get_by_role("button", name="Bekräfta och protokollför").click()
        await expect(page.locator("#notice")).to_be_visible()
        status = await rig.wait_for_state(
            spec.workflow_id, lambda s: s.state == RoundState.APPROVED
        )
        assert status.committee_id == "kf"  # the round took the vote's outcome

        await page.locator("#handlaggning").get_by_text("Reservation", exact=True).click()
        await page.get_by_label("Ledamot som reserverar sig").select_option(label="Omar Saleh")
        await page.get_by_label("Skriftlig motivering", exact=False).fill(
            "Prognosen saknar åtgärder."
        )
        await page.get_by_role("button", name="Anteckna reservationen").click()
        await expect(page.locator("#handlaggning-text")).to_contain_text("reserverar sig")
        await audit.check(page, "fullmäktiges ärende med reservation")

        async with httpx.AsyncClient(cookies={"arshjul_session": cookie}) as http:
            pdf = await http.get(f"{base}{meeting_path('kf', today())}/protokoll.pdf")
        assert pdf.status_code == 200, pdf.text[:500]
        text = pdf_text(pdf.content)
        for sentence in (
            "Karin Vik anmäler jäv och deltar inte i handläggningen av ärendet.",
            "Bo Hed anmäler jäv och deltar inte i handläggningen av ärendet.",
            "Lisa Bergström yrkar: godkänn.",
            "Omröstning begärs och verkställs.",
            "Ja: Rolf Ekman, Lisa Bergström, Nils Åberg.",
            "Nej: Omar Saleh, Selma Lind.",
            "Med 3 ja-röster mot 2 nej-röster beslutar kommunfullmäktige enligt Lisa Bergströms "
            "yrkande.",
            "Omar Saleh reserverar sig mot beslutet till förmån för eget yrkande, med skriftlig "
            "motivering: Prognosen saknar åtgärder.",
        ):
            assert sentence in text, sentence
    assert not audit.problems, "\n".join(audit.problems)
