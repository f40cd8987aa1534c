"""The anslagstavla in a browser, as anyone reads it: no login, axe's WCAG 2.1 AA rules at 1280
and 375 px without sideways scroll, landmarks and headings, the protocol one click away."""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
import uvicorn

from tests.conftest import free_port
from tests.web.a11y import Audit
from tests.web.anslagstavla.conftest import APPEAL_UNTIL, Board, post_protocol
from tests.web.conftest import JourneyBrowser


@pytest.fixture
def database_url(one_database_url: str) -> str:
    """The store of this browser journey: one engine is enough (the store tests run both)."""
    return one_database_url


pytestmark = pytest.mark.browser


async def test_anyone_reads_the_board_and_downloads_the_protocol(
    board: Board, browser: JourneyBrowser
) -> None:
    from playwright.async_api import expect

    post_protocol(board.committee)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = uvicorn.Server(
        uvicorn.Config(board.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        await asyncio.sleep(0.02)
    audit = Audit({"/anslagstavla"})
    try:
        page = await (await browser.new_context(locale="sv-SE")).new_page()
        await page.goto(base + "/")  # the public start: a way to the board in the menu
        await (
            page.get_by_role("navigation", name="Huvudmeny")
            .get_by_role("link", name="Anslagstavla")
            .click()
        )
        await expect(page.get_by_role("heading", level=1, name="Anslagstavla")).to_be_visible()
        assert await page.get_attribute("html", "lang") == "sv"
        await expect(page.get_by_role("main")).to_have_count(1)
        await expect(page.get_by_role("heading", level=2, name="Aktuella anslag")).to_be_visible()
        notice = page.get_by_role("article")
        await expect(notice).to_have_count(1)
        await expect(notice.get_by_role("heading", level=3)).to_contain_text(
            "Kommunstyrelsens arbetsutskott"
        )
        await expect(notice).to_contain_text("30 oktober 2026")
        feed = page.locator('link[rel="alternate"][type="application/atom+xml"]')
        assert await feed.get_attribute("href") == "/anslagstavla/atom.xml"
        await audit.check(page, "anslagstavla")
        async with page.expect_download() as download:
            await notice.get_by_role("link", name="Ladda ner protokollet (PDF)").click(
                modifiers=["Alt"]  # Alt-click downloads instead of opening the PDF viewer
            )
        path = await (await download.value).path()
        assert path is not None and path.read_bytes().startswith(b"%PDF-")

        board.clock.day = APPEAL_UNTIL + dt.timedelta(days=1)
        await page.reload()
        await expect(page.get_by_role("article")).to_have_count(0)
        await expect(page.locator("#tidigare")).to_contain_text("nedtaget efter 30 oktober 2026")
        await audit.check(page, "anslagstavla, tidigare anslag")
    finally:
        server.should_exit = True
        await task
    assert not audit.problems, "\n".join(audit.problems)
    assert audit.missing() == set()
