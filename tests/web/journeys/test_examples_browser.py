"""The bundled examples in Debian's chromium: the tertial municipality's utskott decides an
uppsiktsrapport, and its secretary takes the protocol from the agenda to the anslag (naming the
ordförande the configuration does not name); in the nämnd organisation a delårsrapport passes
the nämnd, KSAU and KS to fullmäktige, and the protocol of each meeting names its committee.
Screenshots under test-artifacts/web/."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pytest

from arshjul.calendar.expand import round_specs
from arshjul.calendar.loader import load_config
from arshjul.models.rounds import ReviewSpec, RoundSpec, RoundState
from tests.commands.test_calendar_cli import EXAMPLES
from tests.conftest import MailSink
from tests.web.a11y import Audit
from tests.web.conftest import chromium, fill_economy, today
from tests.web.journeys.test_browser import ARTIFACTS, browser_login, serving

pytestmark = pytest.mark.browser


def meeting_today(spec: RoundSpec, **changes: Any) -> RoundSpec:
    """The round as opened yesterday, due in ten days, every committee of its chain meeting
    today (the app's clock is the wall clock: decisions are taken from the meeting day)."""
    t = today()
    review = spec.review
    assert review is not None and review.chain is not None
    chain = [
        step.model_copy(
            update={
                "committee": step.committee.model_copy(update={"meetings": [t]}),
                "min_days_before_meeting": 0,
                "target_meeting": None,
            }
        )
        for step in review.chain
    ]
    others = [c.model_copy(update={"meetings": [t]}) for c in review.others]
    new_review = ReviewSpec(
        committee=chain[0].committee, min_days_before_meeting=0, chain=chain, others=others
    )
    return spec.model_copy(
        update={
            "opens": t - dt.timedelta(days=1),
            "due": t + dt.timedelta(days=10),
            "reminders_working_days_before_due": [],
            "review": new_review,
            **changes,
        }
    )


def spec_of(example: str, report: str, unit: str, **changes: Any) -> tuple[Any, RoundSpec]:
    """The example's configuration and its 2026 round of `report` for `unit`, moved to today."""
    config = load_config(EXAMPLES / f"{example}.yaml")
    spec = next(s for s in round_specs(config, 2026) if (s.report_id, s.unit_id) == (report, unit))
    return config, meeting_today(spec, **changes)


async def confirm(page: Any) -> None:
    """Sends the decision form and confirms the decision as the protocol will state it."""
    await page.get_by_role("button", name="Granska beslutet").click()
    await page.get_by_role("button", name="Bekräfta och protokollför").click()


async def approve(page: Any, base: str, committee_id: str, label: str, shot: str) -> None:
    """On the committee's agenda: opens the report and records the approval labelled `label`."""
    from playwright.async_api import expect

    await page.goto(f"{base}/{committee_id}")
    await page.get_by_role("link", name="Delårsrapport").first.click()
    await page.get_by_label(label).check()
    await confirm(page)
    await expect(page.locator("#notice")).to_be_visible()
    await page.screenshot(path=ARTIFACTS / shot, full_page=True)


async def test_the_tertial_utskott_decides_in_a_browser(
    tmp_path: Path, smtp_sink: MailSink
) -> None:
    from playwright.async_api import expect

    config, spec = spec_of("tertial", "uppsiktsrapport", "hr-kommunikation")
    chef, member = "tomas.eklund@example.org", "kerstin.blom@example.org"
    secretary = "petra.lund@example.org"  # records the utskott's decisions
    async with serving(tmp_path, smtp_sink, config) as rig:
        base = rig.settings.base_url
        await rig.start_round(spec)
        link = rig.settings.base_url + await rig.link_from_mail(chef, "s")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        async with chromium() as browser:
            page = await (await browser.new_context(locale="sv-SE")).new_page()
            await page.goto(link)
            await page.get_by_label("Mål", exact=True).first.fill("Attraktiv arbetsgivare")
            await page.get_by_label("Bedömning").first.select_option("I hög grad uppfyllt")
            await page.get_by_label("Trend").first.select_option("Ökad")
            await page.get_by_label("Aktivitet", exact=True).first.fill("Ny rekryteringsprocess")
            await page.get_by_label("Status").first.select_option("Pågående enligt plan")
            await page.get_by_role("button", name="Skicka in rapporten").click()
            await expect(page.locator("#received")).to_contain_text("Rapporten är inlämnad")
            await rig.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)

            utskott = await browser_login(browser, rig, member, "/ks-utskott-hr")
            heading = "Kommunstyrelsens utskott för HR och kommunikation – föredragningslista"
            await expect(utskott.get_by_role("heading", name=heading)).to_be_visible()
            # The menu names the committee the member sits on, not the others.
            menu = utskott.get_by_role("navigation", name="Huvudmeny")
            await expect(menu.get_by_role("link", name="HR-utskottet")).to_be_visible()
            await expect(menu.get_by_role("link", name="KF")).to_have_count(0)
            utskott = await browser_login(browser, rig, secretary, "/ks-utskott-hr")
            await utskott.get_by_role("link", name="Uppsiktsrapport").first.click()
            await utskott.get_by_label("Lämna ärendet till Kommunstyrelsen").check()
            await utskott.get_by_label("Skäl", exact=False).fill("Rör hela kommunens personal.")
            await confirm(utskott)
            await expect(utskott.locator("#notice")).to_contain_text(
                "Rapporten är överlämnad till Kommunstyrelsen"
            )
            await utskott.screenshot(path=ARTIFACTS / "tertial-1-utskott.png", full_page=True)
            await utskott.goto(f"{rig.settings.base_url}/ks-utskott-hr/protokoll/{today()}")
            await expect(utskott.locator(".meta")).to_contain_text(
                "Kommunstyrelsens utskott för HR och kommunikation"
            )
            await expect(utskott.locator("#p1 .decision")).to_contain_text(
                "beslutar att lämna ärendet till kommunstyrelsen"
            )

            # The decided case stays on the agenda; from there on to the meeting's page.
            audit = Audit(set())
            await utskott.goto(f"{base}/ks-utskott-hr")
            await expect(utskott.locator("tbody tr")).to_contain_text("Beslutat: § 1")
            await utskott.get_by_role("link", name=re.compile("^Sammanträdet")).click()
            await expect(utskott.locator("#foredragningslista")).to_contain_text("beslutat: § 1")
            # No ordförande in the configuration: nobody can justera until the secretary names one.
            await expect(utskott.locator("#ingen-ordforande")).to_be_visible()
            await utskott.get_by_label("Plats").fill("Kommunfullmäktigesammanträdesrummet")
            await utskott.get_by_label("Klockan (start)").fill("08:30")
            await utskott.get_by_label("Klockan (slut)").fill("10.15")
            await utskott.get_by_role("checkbox", name="Kerstin Blom").check()
            await utskott.get_by_role("checkbox", name="Nils Fors").check()
            await utskott.locator(f'input[name="adjusters"][value="{member}"]').check()
            await utskott.get_by_label("Ordförande vid sammanträdet").select_option(
                label="Nils Fors"
            )
            await utskott.get_by_role("button", name="Spara närvaro och justerare").click()
            await expect(utskott.locator("#notice")).to_contain_text("sparade")
            await expect(utskott.locator("#ingen-ordforande")).to_have_count(0)
            await audit.check(utskott, "sammanträde")
            meeting = f"/ks-utskott-hr/sammantraden/{today().isoformat()}"
            for signer in (member, "nils.fors@example.org"):
                signing = await browser_login(browser, rig, signer, meeting)
                await signing.get_by_label("Jag har läst protokollet").check()
                await signing.get_by_role("button", name="Signera").click()
            await expect(signing.locator("#notice")).to_contain_text("justerat och låst")
            await utskott.reload()
            await utskott.get_by_role("button", name="Registrera anslaget").click()
            await expect(utskott.locator("#protokollstatus")).to_contain_text("anslaget")
            await utskott.get_by_role("link", name="Läs protokollet").click()
            await expect(utskott.locator("#plats-och-tid")).to_contain_text("kl. 08.30–10.15")
            await expect(utskott.locator("#narvaro")).to_contain_text("Nils Fors, ordförande")
            await audit.check(utskott, "protokoll")
            assert not audit.problems, "\n".join(audit.problems)
            await browser.close()
        status = await rig.status(spec.workflow_id)
        assert (status.state, status.committee_id) == (RoundState.ON_AGENDA, "ks")


async def test_a_delarsrapport_passes_four_committees_in_a_browser(
    tmp_path: Path, smtp_sink: MailSink
) -> None:
    from playwright.async_api import expect

    config, spec = spec_of("namndkommun", "delarsrapport", "socialforvaltningen")
    spec = spec.model_copy(update={"sections": ["economic"]})  # the chain is what is tested
    chef = "ingela.rosen@example.org"
    nämnd, secretary = "jenny.ask@example.org", "hans.wik@example.org"  # KSAU, KS, KF
    async with serving(tmp_path, smtp_sink, config) as rig:
        base = rig.settings.base_url
        await rig.start_round(spec)
        link = base + await rig.link_from_mail(chef, "s")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        async with chromium() as browser:
            page = await (await browser.new_context(locale="sv-SE")).new_page()
            await page.goto(link)
            await fill_economy(
                page, "48 000", "31 500", "47 600", "Lägre kostnader för placeringar."
            )
            await page.get_by_role("button", name="Skicka in rapporten").click()
            await expect(page.locator("#received")).to_contain_text("Rapporten är inlämnad")
            await rig.wait_for_state(spec.workflow_id, lambda s: s.committee_id == "socialnamnd")

            namnd = await browser_login(browser, rig, nämnd, "/socialnamnd")
            await approve(
                namnd,
                base,
                "socialnamnd",
                "Godkänn och överlämna till Kommunstyrelsens arbetsutskott",
                "namnd-1-socialnamnd.png",
            )
            await rig.wait_for_state(spec.workflow_id, lambda s: s.committee_id == "ksau")
            ks = await browser_login(browser, rig, secretary, "/ksau")
            await expect(ks.locator("#route")).to_have_count(0)  # the agenda, not a case
            steps = [
                ("ksau", "Godkänn och överlämna till Kommunstyrelsen", "kf-2-ksau.png", "ks"),
                ("ks", "Godkänn och överlämna till Kommunfullmäktige", "kf-3-ks.png", "kf"),
            ]
            for committee_id, label, shot, after in steps:
                await approve(ks, base, committee_id, label, shot)
                await rig.wait_for_state(spec.workflow_id, lambda s, a=after: s.committee_id == a)
            await approve(ks, base, "kf", "Godkänn", "kf-4-kf.png")
            await expect(ks.locator("#round-state")).to_have_text("Godkänd")
            await expect(ks.locator("#route")).to_contain_text(
                "Socialnämnden ✓ → Kommunstyrelsens arbetsutskott ✓ → Kommunstyrelsen ✓ → "
                "Kommunfullmäktige ✓"
            )
            # Each meeting's protocol names its committee and where the report went.
            on = "beslutar att godkänna rapporten och överlämna ärendet till"
            protocols = {
                "socialnamnd": ("Socialnämnden", f"{on} kommunstyrelsens arbetsutskott."),
                "ksau": ("Kommunstyrelsens arbetsutskott", f"{on} kommunstyrelsen."),
                "ks": ("Kommunstyrelsen", f"{on} kommunfullmäktige."),
                "kf": ("Kommunfullmäktige", "beslutar att godkänna rapporten."),
            }
            for committee_id, (name, decision) in protocols.items():
                viewer = namnd if committee_id == "socialnamnd" else ks
                await viewer.goto(f"{base}/{committee_id}/protokoll/{today()}")
                await expect(viewer.locator(".meta")).to_contain_text(f"{name} · ")
                await expect(viewer.locator("#p1 .decision")).to_have_text(f"{name} {decision}")
            await ks.screenshot(path=ARTIFACTS / "kf-5-protocol.png", full_page=True)
            await browser.close()
        assert (await rig.status(spec.workflow_id)).state == RoundState.APPROVED
