"""The report form in Debian's chromium where it used to lose work or mislead: a second tab sent
after the first, the back button after sending, a paste over a text's limit. Every page on the
way is audited with axe (WCAG 2.1 AA)."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import MailSink
from tests.web.a11y import Audit, page_routes
from tests.web.conftest import (
    BROWSER_ARGS,
    CHEF,
    CHROMIUM,
    WebRig,
    fill_economy,
    round_spec,
    served_rig,
)

pytestmark = pytest.mark.browser
# Runs after the page's own submit handler (listeners run in the order they were added).
KEEP_SENDING_STATE = """() => document.getElementById('report-form').addEventListener('submit',
  () => sessionStorage.setItem('seen', JSON.stringify({
    buttons: [...document.querySelectorAll('#report-form button')]
      .map(b => [b.textContent, b.disabled]),
    status: document.getElementById('sending').textContent,
  })))"""
SAVED = re.compile(r"^Utkastet sparades kl\. \d\d\.\d\d\.$")
LONG = "Fler placeringar än budgeterat. " * 800  # 25 600 characters, the limit is 20 000


@pytest.fixture
async def served(tmp_path: Path, smtp_sink: MailSink) -> AsyncIterator[WebRig]:
    """The bundled configuration served by uvicorn."""
    async with served_rig(tmp_path, smtp_sink) as rig:
        yield rig


async def _open(rig: WebRig) -> str:
    await rig.start_round(round_spec(rig.config))
    return rig.settings.base_url + await rig.link_from_mail(CHEF, "s")


async def _checked(audit: Audit, page: Any, name: str) -> None:
    await audit.check(page, name)
    assert not audit.problems, audit.problems


async def test_a_second_tab_is_told_what_happened_and_may_send_its_answers(
    served: WebRig,
) -> None:
    from playwright.async_api import async_playwright, expect

    link = await _open(served)
    audit = Audit(page_routes(served.app))
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        context = await browser.new_context(locale="sv-SE")
        first, second = await context.new_page(), await context.new_page()
        await first.goto(link)
        await second.goto(link)
        await fill_economy(first, "100", "60", "100", "Enligt budget.")
        await first.get_by_role("button", name="Skicka in rapporten").click()
        await expect(first.locator("#received")).to_be_visible()

        await fill_economy(second, "100", "60", "100", "Andra fönstrets analys.")
        await second.get_by_role("button", name="Skicka in rapporten").click()
        problem = second.locator("#problem")
        await expect(problem).to_contain_text(
            re.compile(r"skickades in från ett annat fönster kl\. \d\d\.\d\d, version 1")
        )
        await expect(problem).not_to_contain_text("beslutat")
        await expect(second.get_by_label("Analys")).to_have_value("Andra fönstrets analys.")
        await _checked(audit, second, "andra fönstret")

        # Sending shows itself: once the form goes, its buttons are disabled, the one pressed
        # saying "Skickar …" (kept for the test in the tab's sessionStorage, which outlives the
        # page).
        await second.evaluate(KEEP_SENDING_STATE)
        await second.get_by_role("button", name="Skicka rättelsen").click()
        await expect(second.locator("#received")).to_be_visible()
        seen = json.loads(await second.evaluate("() => sessionStorage.getItem('seen')"))
        assert seen == {
            "buttons": [["Skickar …", True], ["Spara utkast", True]],
            "status": "Rapporten skickas. Vänta, det kan ta några sekunder …",
        }
        await expect(second.locator("main")).to_contain_text("Andra fönstrets analys.")
        await expect(second).to_have_url(re.compile(r"/kvitto/2$"))
        await browser.close()


async def test_back_after_sending_shows_the_round_as_it_is_now(served: WebRig) -> None:
    from playwright.async_api import async_playwright, expect

    link = await _open(served)
    async with async_playwright() as pw:
        # With the back-forward cache, as a person's browser has it (Playwright turns it off).
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM,
            args=BROWSER_ARGS,
            ignore_default_args=["--disable-back-forward-cache"],
        )
        page = await (await browser.new_context(locale="sv-SE")).new_page()
        await page.goto(link)
        await expect(page.locator("#round-state")).to_have_text("Väntar på inlämning")
        await fill_economy(page, "100", "60", "100", "Enligt budget.")
        await page.get_by_role("button", name="Spara utkast").click()
        await expect(page.locator("#notice")).to_have_text(SAVED)
        await page.get_by_role("button", name="Skicka in rapporten").click()
        await expect(page.locator("#received")).to_be_visible()
        # Back leads to the form's address (the draft's save was redirected there), fetched
        # anew: the round as it is now, no draft claimed, no submit button.
        await page.go_back(wait_until="commit")
        await expect(page.locator("#round-state")).not_to_have_text("Väntar på inlämning")
        await expect(page.get_by_role("button", name="Skicka rättelsen")).to_be_visible()
        await expect(page.get_by_role("button", name="Skicka in rapporten")).to_have_count(0)
        await expect(page.locator("#notice")).to_have_count(0)
        await expect(page.get_by_label("Analys")).to_have_value("Enligt budget.")

        # Sent from the form as the link opened it: back shows the round as it is now.
        await page.goto(link)
        await page.get_by_label("Analys").fill("Rättad analys.")
        await page.get_by_role("button", name="Skicka rättelsen").click()
        await expect(page).to_have_url(re.compile(r"/kvitto/2$"))
        await page.go_back(wait_until="commit")  # a page from the cache fires no "load"
        await expect(page.locator("#round-state")).to_have_text("På dagordningen")
        await expect(page.get_by_label("Analys")).to_have_value("Rättad analys.")
        await expect(page.get_by_role("button", name="Skicka rättelsen")).to_be_enabled()
        await browser.close()


async def test_back_and_reload_after_a_draft_keep_the_answers(served: WebRig) -> None:
    from playwright.async_api import async_playwright, expect

    link = await _open(served)
    audit = Audit(page_routes(served.app))
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(
            executable_path=CHROMIUM,
            args=BROWSER_ARGS,
            ignore_default_args=["--disable-back-forward-cache"],
        )
        page = await (await browser.new_context(locale="sv-SE")).new_page()
        await page.goto(link)
        await fill_economy(page, "12 500", "9 800", "12 600", "Utkastets analys.")
        await page.get_by_role("button", name="Spara utkast").click()
        await expect(page.locator("#notice")).to_have_text(SAVED)
        await _checked(audit, page, "utkastet sparat")

        # Reload, and back from another page: the form with the draft, never the browser's
        # "confirm form resubmission" page (ERR_CACHE_MISS for an answer to a POST).
        for step in ("reload", "back"):
            if step == "reload":
                answer = await page.reload()
                assert answer is not None and answer.ok
            else:
                await page.goto(served.settings.base_url + "/login")
                await page.go_back(wait_until="commit")  # a page from the cache fires no "load"
            await expect(page.locator("#notice")).to_have_text(SAVED)
            await expect(page.get_by_label("Budget (tkr)")).to_have_value("12 500")
            await expect(page.get_by_label("Helårsprognos (tkr)")).to_have_value("12 600")
            await expect(page.get_by_label("Analys")).to_have_value("Utkastets analys.")

        # Saved again later, the notice says the new time; the earlier address keeps working.
        await page.get_by_label("Analys").fill("Andra utkastet.")
        await page.get_by_role("button", name="Spara utkast").click()
        await expect(page.locator("#notice")).to_have_text(SAVED)
        await page.go_back(wait_until="commit")  # a page from the cache fires no "load"
        await expect(page.get_by_label("Analys")).to_have_value("Andra utkastet.")
        await browser.close()


async def test_a_paste_over_the_limit_is_kept_counted_and_marked(served: WebRig) -> None:
    from playwright.async_api import async_playwright, expect

    link = await _open(served)
    audit = Audit(page_routes(served.app))
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = await (await browser.new_context(locale="sv-SE")).new_page()
        await page.goto(link)
        await fill_economy(page, "12 500", "9 800", "12 500", "")
        analysis = page.get_by_label("Analys")
        await analysis.focus()
        await page.keyboard.insert_text(LONG)  # what a paste does to the field
        count = page.locator("#f-economic-analysis-count")
        await expect(count).to_contain_text(re.compile(r"Korta texten med 5\s600 tecken"))
        await expect(analysis).to_have_value(LONG)  # whole, not cut at 20 000
        await _checked(audit, page, "för lång text i webbläsaren")

        await page.get_by_role("button", name="Skicka in rapporten").click()
        summary = page.locator(".error-summary")
        await expect(summary).to_contain_text("Texten är för lång: 25 600 tecken av högst 20 000")
        await expect(page.locator("#f-economic-analysis-error")).to_be_visible()
        await expect(page.get_by_label("Budget (tkr)")).to_have_value("12 500")
        await expect(analysis).to_have_value(LONG)
        await _checked(audit, page, "för lång text, formuläret igen")

        await summary.get_by_role("link").first.click()
        await expect(analysis).to_be_focused()
        await analysis.fill(LONG[:20_000])
        await expect(count).to_contain_text(re.compile(r"20\s000 av högst 20\s000 tecken"))
        await page.get_by_role("button", name="Skicka in rapporten").click()
        await expect(page.locator("#received")).to_be_visible()
        await browser.close()


async def test_form_and_receipt_fit_a_phone_with_long_unbroken_text(served: WebRig) -> None:
    from playwright.async_api import async_playwright, expect

    link = await _open(served)
    audit = Audit(page_routes(served.app))
    unbroken = "https://intranat.example.org/ekonomi/uppfoljning/" + "prognosunderlag" * 12
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = await (await browser.new_context(locale="sv-SE")).new_page()
        await page.set_viewport_size({"width": 375, "height": 740})
        await page.goto(link)
        await fill_economy(page, "-1 250 000,5", "987 654 321", "-1 250 000,5", unbroken)
        await page.get_by_label("Planerade åtgärder").fill(unbroken)
        await page.get_by_role("button", name="Spara utkast").click()
        await expect(page.locator("#notice")).to_have_text(SAVED)
        await _checked(audit, page, "formuläret med lång text")  # 1280 and 375 px
        await page.get_by_role("button", name="Skicka in rapporten").click()
        await expect(page.locator("#received")).to_be_visible()
        await expect(page.locator("main")).to_contain_text(unbroken)
        await _checked(audit, page, "kvittot med lång text")
        await browser.close()


async def test_a_pasted_control_character_in_the_reason_is_marked_not_a_bare_error(
    served: WebRig,
) -> None:
    from playwright.async_api import async_playwright, expect

    link = await _open(served)
    audit = Audit(page_routes(served.app))
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = await (await browser.new_context(locale="sv-SE")).new_page()
        await page.goto(link)
        await fill_economy(page, "100", "60", "100", "Enligt budget.")
        await page.get_by_role("button", name="Skicka in rapporten").click()
        await expect(page.locator("#received")).to_be_visible()
        await page.goto(link)
        # What a copy from a terminal or an old system can carry: an escape character.
        await page.get_by_label("Skäl att dra tillbaka (frivilligt)").fill("Fel\x1b period")
        await page.get_by_role("button", name="Dra tillbaka rapporten").click()
        await expect(page.locator("#error-summary")).to_contain_text("otillåtna tecken")
        await expect(page.locator("#problem")).to_contain_text("inte dragits tillbaka")
        reason = page.get_by_label("Skäl att dra tillbaka (frivilligt)")
        await expect(reason).to_have_value("Fel period")
        await expect(reason).to_have_attribute("aria-invalid", "true")
        await expect(page.get_by_label("Analys")).to_have_value("Enligt budget.")
        await _checked(audit, page, "otillåtet tecken i skälet")
        await page.locator("#error-summary").get_by_role("link").click()
        await expect(reason).to_be_focused()
        await page.get_by_role("button", name="Dra tillbaka rapporten").click()
        await expect(page.locator("#round-state")).to_have_text("Väntar på inlämning")
        taken = re.compile(r"^Rapporten drogs tillbaka kl\. \d\d\.\d\d\. Lämna den igen")
        await expect(page.locator("#notice")).to_have_text(taken)
        answer = await page.reload()  # the form by its address, not a resubmission
        assert answer is not None and answer.ok
        await expect(page.locator("#notice")).to_have_text(taken)
        await expect(page.get_by_role("button", name="Skicka in rapporten")).to_be_enabled()
        await browser.close()
