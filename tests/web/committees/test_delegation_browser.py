"""Delegationsbeslut on the meeting page in a browser: the secretary types one and uploads a CSV
file; the list reads as a table at 1280 px and as cards at 375 px, and axe finds nothing."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
import uvicorn

from arshjul.settings import Settings
from arshjul.web.app import create_app
from tests.conftest import free_port, session_cookie
from tests.protocol.conftest import (  # noqa: F401 - fixtures used here
    MEETING,
    SECRETARY,
    Committee,
    committee,
    config,
)
from tests.web.a11y import Audit
from tests.web.conftest import JourneyBrowser


@pytest.fixture
def database_url(one_database_url: str) -> str:
    """The store of this browser journey: one engine is enough (the store tests run both)."""
    return one_database_url


pytestmark = pytest.mark.browser
FILE = (
    "Datum;Beslutsfattare;Ärende;Beteckning\r\n"
    "2026-09-21;Kommundirektör;Anställning av enhetschef inom äldreomsorgen;KS 2026/318\r\n"
    "2026-09-28;Ekonomichef Eva Ekström;Budgetjustering inom ram;KS 2026/320\r\n"
)


async def test_the_secretary_reports_delegationsbeslut_in_a_browser(
    committee: Committee,  # noqa: F811
    browser: JourneyBrowser,
    tmp_path: Path,
) -> None:
    from playwright.async_api import expect

    committee.decide("bun", "approved")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    settings = Settings.model_validate({"SECRET_KEY": "test-secret-delegation", "BASE_URL": base})
    app = create_app(settings, session_maker=committee.sessions, config=committee.config)
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    page_path = f"/ksau/sammantraden/{MEETING.isoformat()}"
    audit = Audit({"/ksau/sammantraden/{meeting}"})
    try:
        context = await browser.new_context(locale="sv-SE")
        cookie = session_cookie(committee.sessions, SECRETARY)
        await context.add_cookies([{"name": "arshjul_session", "value": cookie, "url": base}])
        page = await context.new_page()
        await page.goto(base + page_path)
        section = page.locator("#delegationsbeslut")
        await expect(section).to_contain_text("Inga delegationsbeslut är anmälda")
        await section.get_by_label("Beslutsdatum").fill("2026-09-14")
        await section.get_by_label("Beslutsfattare (delegat)").fill("Ekonomichef Eva Ekström")
        await section.get_by_label("Ärende").fill("Attest av leverantörsfaktura över 500 tkr")
        await section.get_by_label("Beteckning", exact=False).fill("KS 2026/311")
        await section.get_by_role("button", name="Anmäl beslutet").click()
        await expect(page.locator("#notice")).to_contain_text("Delegationsbeslutet är anmält")

        csv = tmp_path / "delegationer.csv"
        csv.write_text(FILE.replace("KS 2026/320", ""), encoding="utf-8")  # a line without one
        await section.get_by_label("CSV-fil").set_input_files(csv)
        await section.get_by_role("button", name="Läs in filen").click()
        await expect(page.locator("#delegation-problems")).to_contain_text(
            "Rad 3: beteckning saknas."
        )
        await expect(page.locator("#delegationslista tbody tr")).to_have_count(1)
        await audit.check(page, "sammanträde, fil med fel")
        csv.write_text(FILE, encoding="utf-8")
        await section.get_by_label("CSV-fil").set_input_files(csv)
        await section.get_by_role("button", name="Läs in filen").click()
        await expect(page.locator("#notice")).to_contain_text("Delegationsbesluten i filen")
        await expect(page.locator("#delegationslista tbody tr")).to_have_count(3)
        await expect(
            page.get_by_role("heading", name="Anmälan av delegationsbeslut (§ 2)")
        ).to_be_visible()
        await audit.check(page, "sammanträde med delegationsbeslut")
    finally:
        server.should_exit = True
        await task
    assert not audit.problems, "\n".join(audit.problems)
