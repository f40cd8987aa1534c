"""The motion register in Debian's chromium: the kommunsekreterare registers a motion on a phone
(375 px), a refusal shows beside the field with what was typed kept, the list shows the days over
the limit, and the reporting KF meeting lists it; axe finds nothing on any of those pages."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator

import pytest
import uvicorn
from sqlalchemy.orm import Session, sessionmaker

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.loader import load_config
from arshjul.calendar.motions import next_report_meeting
from arshjul.settings import BUNDLED_CONFIG, Settings
from arshjul.web.app import create_app
from tests.conftest import free_port, session_cookie
from tests.store.conftest import migrated
from tests.web.a11y import PHONE, Audit
from tests.web.conftest import JourneyBrowser, today

pytestmark = pytest.mark.browser
KOMMUNSEKRETERARE = "maja.sjoberg@example.org"


@pytest.fixture
async def served(
    one_database_url: str,
) -> AsyncIterator[tuple[str, sessionmaker[Session], ArshjulConfig]]:
    """The bundled configuration served by uvicorn over a migrated store (no Temporal needed)."""
    config = load_config(BUNDLED_CONFIG)
    with migrated(one_database_url) as sessions:
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        settings = Settings.model_validate({"SECRET_KEY": "test-secret-motions", "BASE_URL": base})
        app = create_app(settings, session_maker=sessions, config=config)
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
        )
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.02)
        try:
            yield base, sessions, config
        finally:
            server.should_exit = True
            await task


async def test_the_kansli_registers_a_motion_on_a_phone(
    served: tuple[str, sessionmaker[Session], ArshjulConfig], browser: JourneyBrowser
) -> None:
    from playwright.async_api import expect

    base, sessions, config = served
    audit = Audit(
        {"/motioner", "/motioner/ny", "/motioner/{motion_id}", "/kf/sammantraden/{meeting}"}
    )
    context = await browser.new_context(locale="sv-SE", viewport=PHONE)
    cookie = session_cookie(sessions, KOMMUNSEKRETERARE)
    await context.add_cookies([{"name": "arshjul_session", "value": cookie, "url": base}])
    page = await context.new_page()
    await page.goto(base + "/")
    await page.get_by_role("link", name="Motioner", exact=True).click()
    await audit.check(page, "motioner, tom lista")
    await page.get_by_role("link", name="Registrera en motion eller ett medborgarförslag").click()
    await audit.check(page, "ny motion")
    await page.set_viewport_size(PHONE)  # the audit ends at 1280 px; typed on a phone
    await page.get_by_label("Nummer").fill("KF 2025/77")
    await page.get_by_label("Förslagsställare").fill("Karin Ås (C)")
    vackt = today() - dt.timedelta(days=400)
    await page.get_by_label("Väckt").fill(vackt.isoformat())
    await page.get_by_label("Ansvarig för beredningen").select_option(
        label="Samhällsbyggnadsförvaltningen"
    )
    await page.get_by_label("Redovisning av beredningen").fill("Utredningen blir klar i vår.")
    await page.get_by_role("button", name="Registrera").click()
    await expect(page.locator("#f-title-error")).to_have_text("Fel: Skriv rubriken.")
    await expect(page.get_by_label("Nummer")).to_have_value("KF 2025/77")
    await expect(page.get_by_label("Redovisning av beredningen")).to_have_value(
        "Utredningen blir klar i vår."
    )
    await audit.check(page, "ny motion, rubrik saknas")
    await page.get_by_label("Rubrik").fill("Solceller på kommunens tak")
    await page.get_by_role("button", name="Registrera").click()
    await expect(page.locator("#notice")).to_contain_text("Ärendet är registrerat.")
    await expect(page.locator("#tidsgrans")).to_contain_text("över tidsgränsen")
    await audit.check(page, "motionen")
    await page.get_by_role("link", name="Tillbaka till motioner och medborgarförslag").click()
    await expect(page.locator('#motioner tr[data-motion="KF 2025/77"]')).to_contain_text(
        "dagar över tidsgränsen"
    )
    await audit.check(page, "motioner, en över tidsgränsen")
    report = next_report_meeting(config.motions, config.committee("kf").dates, today())  # type: ignore[arg-type]
    assert report is not None
    await page.goto(f"{base}/kf/sammantraden/{report.isoformat()}")
    await expect(page.locator('#motionslista tr[data-motion="KF 2025/77"]')).to_contain_text(
        "(passerad)"
    )
    await page.get_by_role("button", name="Lägg redovisningen i protokollet").click()
    await expect(page.locator("#motioner-rubrik")).to_contain_text("(§ 1)")
    await audit.check(page, "KF:s sammanträde med redovisningen")
    assert not audit.problems, "\n".join(audit.problems)
    assert audit.missing() == set()
