"""A real browser (Debian's chromium through Playwright) against uvicorn: the chef's and KSAU's
whole journey, with screenshots under test-artifacts/web/."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from arshjul.models.rounds import RoundState
from tests.conftest import MailSink
from tests.web.conftest import (
    BROWSER_ARGS,
    CHEF,
    CHROMIUM,  # noqa: F401  (journeys that launch their own browser import it from here)
    KSAU_SECRETARY,
    WebRig,
    chromium,
    fill_economy,
    round_spec,
    served_rig,
)

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "web"
ARGS = BROWSER_ARGS

pytestmark = pytest.mark.browser


# Other journeys open the app the same way.
serving = served_rig


@pytest.fixture
async def served(tmp_path: Path, smtp_sink: MailSink) -> AsyncIterator[WebRig]:
    """The rig with the bundled configuration, served by uvicorn."""
    async with serving(tmp_path, smtp_sink) as rig:
        yield rig


async def browser_login(browser: Any, rig: WebRig, email: str, path: str) -> Any:
    """Opens `path` in a new browser context, logs in by the mailed magic link, returns the page."""
    page = await (await browser.new_context(locale="sv-SE")).new_page()
    await page.goto(rig.settings.base_url + path)  # sent to the login page
    start = len(rig.sink.messages)
    await page.get_by_label("E-postadress").fill(email)
    await page.get_by_role("button", name="Skicka inloggningslänk").click()
    await page.get_by_role("heading", name="Kolla din e-post").wait_for()
    await page.goto(rig.settings.base_url + await rig.link_from_mail(email, "login", start))
    await page.get_by_role("button", name="Logga in").click()
    return page


async def test_chef_and_ksau_in_a_browser(served: WebRig) -> None:
    from playwright.async_api import expect

    rig, base = served, served.settings.base_url
    spec = round_spec(rig.config, meeting_in_days=0)  # KSAU meets today: it may decide
    await rig.start_round(spec)
    link = base + await rig.link_from_mail(CHEF, "s")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    async with chromium() as browser:
        chef = await (await browser.new_context(locale="sv-SE")).new_page()
        await chef.goto(link)
        await fill_economy(chef, "12 500", "9 800", "13 100", "Fler placeringar än budgeterat.")
        await chef.get_by_role("button", name="Skicka in rapporten").click()
        summary = chef.locator(".error-summary")
        await expect(summary).to_contain_text("beskriv planerade åtgärder")
        await expect(chef.get_by_label("Budget (tkr)")).to_have_value("12 500")
        await chef.screenshot(path=ARTIFACTS / "1-measures-error.png", full_page=True)
        await summary.get_by_role("link").first.click()  # the summary leads to the field
        await expect(chef.get_by_label("Planerade åtgärder")).to_be_focused()
        await chef.get_by_label("Planerade åtgärder").fill("Översyn av placeringar.")
        await chef.get_by_role("button", name="Skicka in rapporten").click()
        await expect(chef.locator("#received")).to_contain_text("Rapporten är inlämnad")
        await chef.screenshot(path=ARTIFACTS / "2-receipt.png", full_page=True)
        await rig.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)

        ksau = await browser_login(browser, rig, KSAU_SECRETARY, "/ksau")
        await expect(
            ksau.get_by_role(
                "heading", name="Kommunstyrelsens arbetsutskott (KSAU) – föredragningslista"
            )
        ).to_be_visible()
        await ksau.get_by_role("link", name="Månadsrapport").first.click()
        case = ksau.url
        await ksau.get_by_label("Återremittera för komplettering").check()
        await ksau.get_by_label("Skäl", exact=False).fill("Åtgärderna saknar belopp.")
        await ksau.get_by_role("button", name="Granska beslutet").click()
        await ksau.get_by_role("button", name="Bekräfta och protokollför").click()
        await expect(ksau.locator("#round-state")).to_have_text("Återremitterad för komplettering")
        await ksau.screenshot(path=ARTIFACTS / "3-remitted.png", full_page=True)

        await chef.goto(link)
        await expect(chef.locator("#remit-reason")).to_contain_text("Åtgärderna saknar belopp.")
        await expect(chef.get_by_label("Planerade åtgärder")).to_have_value(
            "Översyn av placeringar."
        )
        await chef.screenshot(path=ARTIFACTS / "4-remit-reason.png", full_page=True)
        await chef.get_by_label("Planerade åtgärder").fill("Översyn av placeringar: −400 tkr.")
        await chef.get_by_role("button", name="Skicka in rapporten").click()
        await expect(chef.locator("#received")).to_be_visible()
        await rig.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)

        await ksau.goto(case)
        await ksau.get_by_label("Godkänn").check()
        await ksau.get_by_role("button", name="Granska beslutet").click()
        await ksau.get_by_role("button", name="Bekräfta och protokollför").click()
        await expect(ksau.locator("#round-state")).to_have_text("Godkänd")
        await ksau.screenshot(path=ARTIFACTS / "5-approved.png", full_page=True)
        await browser.close()
    assert (await rig.status(spec.workflow_id)).state == RoundState.APPROVED
