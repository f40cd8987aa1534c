"""The ekonomichef's overview in a real browser: the first page opens on the rounds to act on
(late, then waiting, each with its extension), and the rounds that never opened are folded away."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from arshjul.models.rounds import RoundState
from tests.conftest import MailSink
from tests.web.a11y import Audit, page_routes
from tests.web.conftest import BROWSER_ARGS, CHROMIUM, EKONOMICHEF, served_rig, today
from tests.web.journeys.test_browser import ARTIFACTS, browser_login
from tests.web.overview.test_overview_table import _mirror

pytestmark = pytest.mark.browser


async def test_the_overview_opens_on_the_rounds_to_act_on(
    tmp_path: Path, smtp_sink: MailSink
) -> None:
    from playwright.async_api import async_playwright, expect

    t = today()
    async with served_rig(tmp_path, smtp_sink) as rig:
        waiting = _mirror(rig, "kfo", t + dt.timedelta(days=20), RoundState.OPEN)
        late = _mirror(rig, "sof", t - dt.timedelta(days=3), RoundState.OPEN)
        audit = Audit(page_routes(rig.app))
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
            eva = await browser_login(browser, rig, EKONOMICHEF, "/")
            await expect(eva.get_by_role("heading", name="Alla rapporter")).to_be_visible()
            rows = eva.locator("#status tbody tr")
            await expect(rows.nth(0)).to_have_attribute("data-round", late)
            await expect(rows.nth(0)).to_contain_text("Försenad")
            await expect(rows.nth(1)).to_have_attribute("data-round", waiting)
            await expect(rows.nth(1)).to_contain_text("Väntar på inlämning")
            await expect(rows.nth(1).get_by_text("Förläng / skicka länk")).to_be_visible()
            await expect(eva.locator("#status")).not_to_contain_text("Öppnades aldrig")
            # Folded: the count and its reason one click away, the rounds themselves hidden.
            folded = eva.locator("#never-opened")
            await expect(folded.locator("summary")).to_contain_text("rapporter öppnades aldrig")
            await expect(folded.locator("li").first).to_be_hidden()
            await audit.check(eva, "översikt, första sidan")
            await eva.screenshot(path=ARTIFACTS / "overview-first-page.png", full_page=True)
            await folded.locator("summary").click()
            await expect(folded).to_contain_text("före systemets start")
            await expect(folded.locator("li").first).to_be_visible()
            await audit.check(eva, "översikt, de som aldrig öppnades")
            await browser.close()
    assert not audit.problems, "\n".join(audit.problems)
