"""The pages that turn someone away, audited with axe in Debian's chromium like every other page:
403 for a tampered link and for another unit's page, 410 for an expired report link, and the
ledger import of a municipality whose units name no ledger codes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from arshjul.calendar.loader import load_config
from arshjul.models.rounds import round_workflow_id
from arshjul.notifications import tokens
from tests.commands.test_calendar_cli import EXAMPLES
from tests.conftest import MailSink
from tests.web.a11y import Audit, page_routes
from tests.web.conftest import WebRig, served_rig

pytestmark = pytest.mark.browser


async def _log_in(page: Any, rig: WebRig, email: str) -> None:
    from playwright.async_api import expect

    start = len(rig.sink.messages)
    await page.goto(rig.settings.base_url + "/login")
    await page.get_by_label("E-postadress").fill(email)
    await page.get_by_role("button", name="Skicka inloggningslänk").click()
    await page.goto(rig.settings.base_url + await rig.link_from_mail(email, "login", start))
    await page.get_by_role("button", name="Logga in").click()
    await expect(page.get_by_role("button", name="Logga in")).to_have_count(0)


def _report_link(rig: WebRig, ttl: dt.timedelta) -> str:
    config, unit = rig.config, rig.config.units[0].id
    report = config.reports[0]
    with rig.sessions.begin() as session:
        raw = tokens.issue_for_round(
            session,
            workflow_id=round_workflow_id(config.organisation.id, report.id, "2026-04", unit),
            unit_id=unit,
            ttl=ttl,
            secret_key=rig.settings.secret_key,
        )
    return tokens.round_url(rig.settings.base_url, raw)


async def test_refusal_pages_and_the_ledger_without_codes_pass_axe(
    tmp_path: Path, smtp_sink: MailSink, browser: Any
) -> None:
    from playwright.async_api import expect

    config = load_config(EXAMPLES / "tertial.yaml")  # no unit names its ledger codes
    owner = next(r for r in config.roles if r.id == "ekonomichef").people[0].email
    chef, other = config.units[0].chef.email, config.units[1]
    async with served_rig(tmp_path, smtp_sink, config=config) as rig:
        audit = Audit(page_routes(rig.app))
        page = await (await browser.new_context(locale="sv-SE")).new_page()

        # 410: a report link past its time.
        answer = await page.goto(_report_link(rig, dt.timedelta(days=-1)))
        assert answer is not None and answer.status == 410
        await expect(page.get_by_role("heading", name="Länken har gått ut")).to_be_visible()
        await audit.check(page, "utgången rapportlänk (410)")

        # 403: the same link with its signature altered.
        tampered = _report_link(rig, dt.timedelta(days=30))
        answer = await page.goto(tampered[:-3] + ("AAA" if tampered[-3:] != "AAA" else "BBB"))
        assert answer is not None and answer.status == 403
        await expect(page.get_by_role("heading", name="Länken fungerar inte")).to_be_visible()
        await audit.check(page, "ändrad länk (403)")

        # 403 for a logged-in chef on another unit's page.
        await _log_in(page, rig, chef)
        answer = await page.goto(rig.settings.base_url + f"/enheter/{other.id}")
        assert answer is not None and answer.status == 403
        await expect(page.get_by_role("heading", name="Åtkomst nekad")).to_be_visible()
        await expect(page.get_by_role("link", name="Logga in med en annan adress")).to_be_visible()
        await audit.check(page, "annan enhets sida (403)")

        # The ledger import with no unit's codes configured: says what to configure.
        owner_page = await (await browser.new_context(locale="sv-SE")).new_page()
        await _log_in(owner_page, rig, owner)
        answer = await owner_page.goto(rig.settings.base_url + "/ekonomi/import")
        assert answer is not None and answer.status == 200
        await expect(owner_page.locator("main")).to_contain_text("Ingen enhet har koder")
        await audit.check(owner_page, "ekonomiimport utan koder")
        assert audit.problems == [], audit.problems
