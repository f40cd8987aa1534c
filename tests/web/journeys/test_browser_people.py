"""The people around a report in Debian's chromium, with axe-core on every page of the app.

One journey: a förvaltningschef logs in, sees Mina rapporter and sets a deputy; the ekonomichef
reminds the unit (the deputy gets it) and extends the deadline (the unit's mail and feed carry
the same calendar event, moved); the chef submits; KSAU decides and reads the protocol; the
ekonomichef compiles. Every page on the way is audited (WCAG 2.1 AA, no sideways scroll at
375 px), and the suite fails on any violation or on a page no journey audited.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from icalendar import Calendar

from arshjul.models.rounds import RoundState, deadline_uid
from arshjul.settings import BUNDLED_CONFIG
from arshjul.store import configuration as store
from arshjul.store.repositories import MotionFields, MotionRepository
from tests.conftest import MailSink
from tests.web.a11y import Audit, page_routes
from tests.web.conftest import (
    CHEF,
    EKONOMICHEF,
    KSAU_SECRETARY,
    WebRig,
    chromium,
    fill_economy,
    round_spec,
    served_rig,
    today,
)

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "web"
DEPUTY = "dana.ersattare@example.org"
KS_SECRETARY = "maja.sjoberg@example.org"
pytestmark = pytest.mark.browser


@pytest.fixture
async def served(tmp_path: Path, smtp_sink: MailSink) -> AsyncIterator[WebRig]:
    """The bundled configuration served by uvicorn, with /dev/mail."""
    async with served_rig(tmp_path, smtp_sink, dev_mail=True) as rig:
        yield rig


async def _login(page, rig: WebRig, email: str, audit: Audit | None = None) -> None:  # noqa: ANN001
    base = rig.settings.base_url
    start = len(rig.sink.messages)
    await page.goto(base + "/login")
    await page.get_by_label("E-postadress").fill(email)
    await page.get_by_role("button", name="Skicka inloggningslänk").click()
    await page.get_by_role("heading", name="Kolla din e-post").wait_for()
    if audit:
        await audit.check(page, "inloggningslänk skickad")
    await page.goto(base + await rig.link_from_mail(email, "login", start))
    if audit:
        await audit.check(page, "bekräfta inloggning")
    await page.get_by_role("button", name="Logga in").click()
    await page.wait_for_load_state()


def _invite(message) -> object:  # noqa: ANN001
    part = next(p for p in message.iter_attachments() if p.get_content_type() == "text/calendar")
    return Calendar.from_ical(part.get_content()).walk("VEVENT")[0]


async def test_people_around_a_report_on_every_page(served: WebRig) -> None:
    from playwright.async_api import expect

    rig, base = served, served.settings.base_url
    t = today()
    spec = round_spec(rig.config, meeting_in_days=0).model_copy(
        update={"due": t + dt.timedelta(days=2)}  # at risk: due within five working days
    )
    await rig.start_round(spec)
    await rig.wait_for_mail(CHEF, "/s/")
    audit = Audit(page_routes(rig.app))
    uid = deadline_uid("hedemora", "manadsrapport", spec.period, "bun")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    async with chromium() as browser:
        chef = await (await browser.new_context(locale="sv-SE")).new_page()
        await chef.goto(base + "/login")
        await audit.check(chef, "inloggning")
        await _login(chef, rig, CHEF, audit)
        await chef.get_by_role("link", name="Mina rapporter").click()
        await expect(chef.get_by_role("heading", name="Mina rapporter")).to_be_visible()
        await expect(chef.locator(f'[data-round="{spec.workflow_id}"]')).to_contain_text(
            "Väntar på inlämning"
        )
        await audit.check(chef, "mina rapporter")
        # The chef goes on leave: a deputy for the coming two weeks.
        await chef.get_by_label("Namn").fill("Dana Ersättare")
        await chef.get_by_label("E-postadress").fill(DEPUTY)
        await chef.get_by_label("Första dag (ersättare)").fill(t.isoformat())
        await chef.get_by_label("Sista dag (ersättare)").fill(
            (t + dt.timedelta(days=14)).isoformat()
        )
        await chef.get_by_role("button", name="Lägg till").click()
        await expect(chef.locator("#personer ~ ul")).to_contain_text("Dana Ersättare")
        await audit.check(chef, "enhetens sida")
        await chef.screenshot(path=ARTIFACTS / "people-1-deputy.png", full_page=True)

        eva = await (await browser.new_context(locale="sv-SE")).new_page()
        await _login(eva, rig, EKONOMICHEF)
        await expect(eva.locator("#risk")).to_contain_text("Barn- och utbildningsförvaltningen")
        await audit.check(eva, "översikt")
        await eva.screenshot(path=ARTIFACTS / "people-2-overview.png", full_page=True)
        start = len(rig.sink.messages)
        await eva.locator(f'#risk input[value="{spec.workflow_id}"]').check()
        await eva.get_by_role("button", name="Skicka påminnelse till valda").click()
        await expect(eva.get_by_role("status")).to_contain_text("Påminnelse skickad för 1")
        await audit.check(eva, "svar på en åtgärd")
        reminder = await rig.wait_for_mail(DEPUTY, "Påminnelse", start)
        assert CHEF not in str(reminder["To"])  # the deputy answers for the unit today

        # An extension: the unit's mail and its feed move the same calendar event.
        await eva.goto(f"{base}/?unit=bun&period={spec.period}")
        row = eva.locator(f'#status [data-round="{spec.workflow_id}"]')
        await row.get_by_text("Förläng / skicka länk").click()
        new_due = t + dt.timedelta(days=9)
        await row.get_by_label("Ny sista dag").fill(new_due.isoformat())
        await row.get_by_label("Skäl (krävs)").fill("Semester i förvaltningen")
        await row.get_by_role("button", name="Förläng").click()
        await expect(eva.get_by_role("status")).to_contain_text("Ny sista dag")
        moved = await rig.wait_for_mail(DEPUTY, "är flyttad till", start)
        request = await rig.wait_for_mail(CHEF, "/s/")
        first, invite = _invite(request), _invite(moved)
        assert str(first["UID"]) == str(invite["UID"]) == uid
        assert invite.decoded("DTSTART") == new_due and invite.decoded("SEQUENCE") > first.decoded(
            "SEQUENCE"
        )
        await rig.wait_for_state(spec.workflow_id, lambda s: s.due == new_due)
        feed = await (await eva.request.get(base + "/calendar/bun.ics")).body()
        [event] = [e for e in Calendar.from_ical(feed).walk("VEVENT") if str(e["UID"]) == uid]
        assert event.decoded("DTSTART") == new_due
        assert event.decoded("SEQUENCE") == invite.decoded("SEQUENCE")

        # The chef reports from Mina rapporter.
        await chef.goto(base + "/mina-rapporter")
        await chef.get_by_role("link", name=re.compile("Fyll i och lämna")).first.click()
        await fill_economy(chef, "120 000", "80 000", "121 000", "Något över budget.")
        await chef.get_by_role("button", name="Skicka in rapporten").click()
        await expect(chef.locator(".error-summary")).to_be_focused()  # read first
        await expect(chef.get_by_label("Budget (tkr)")).to_have_value("120 000")
        await audit.check(chef, "formulär med fel")
        await chef.get_by_label("Planerade åtgärder").fill("Vakanser tillsätts senare.")
        await chef.get_by_role("button", name="Skicka in rapporten").click()
        await expect(chef.locator("#received")).to_contain_text("Rapporten är inlämnad")
        await audit.check(chef, "kvitto")
        await rig.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.ON_AGENDA)
        await chef.goto(chef.url.split("/kvitto/")[0])
        await audit.check(chef, "rapportens sida")
        # Before any committee decides, the chef corrects the forecast.
        await expect(chef.get_by_role("heading", name="Rätta rapporten")).to_be_visible()
        await expect(chef.get_by_label("Helårsprognos (tkr)")).to_have_value("121 000")
        await chef.get_by_label("Helårsprognos (tkr)").fill("120 500")
        await chef.get_by_role("button", name="Skicka rättelsen").click()
        await expect(chef.locator("#received")).to_contain_text("Rapporten är inlämnad")
        await rig.wait_for_state(spec.workflow_id, lambda s: s.submission_version == 2)

        await eva.goto(f"{base}/sammanstallning?report=manadsrapport")
        await audit.check(eva, "sammanställning")
        await eva.locator("#period").select_option(spec.period)
        await eva.get_by_label("HTML", exact=False).check()
        await eva.get_by_role("button", name="Sammanställ").click()  # opens the document
        await expect(eva.get_by_role("heading", name="Status för underlagen")).to_be_visible()
        await audit.check(eva, "sammanställd rapport")
        await eva.get_by_role("link", name="Tillbaka till Sammanställning").click()
        await expect(eva.get_by_role("link", name="Öppna").first).to_be_visible()

        ksau = await (await browser.new_context(locale="sv-SE")).new_page()
        await _login(ksau, rig, KSAU_SECRETARY)  # the secretary records the decisions
        await ksau.goto(base + "/ksau")
        await audit.check(ksau, "föredragningslista")
        # Today's meeting, with the Sammanställning the ekonomichef just made.
        await ksau.goto(f"{base}/ksau/sammantraden/{t.isoformat()}")
        await audit.check(ksau, "sammanträde")
        await ksau.locator('a[href*="/sammanstallning/"]').first.click()
        await audit.check(ksau, "sammanställning på dagordningen")
        await ksau.goto(base + "/ksau")
        await ksau.get_by_role("link", name="Månadsrapport").first.click()
        changed = ksau.locator("#changes")
        await expect(changed).to_contain_text("Ändrat sedan version 1")
        await expect(changed).to_contain_text("Ekonomi: helårsprognos (tkr)")
        await expect(changed.locator("tbody tr")).to_have_count(1)
        await expect(changed).to_contain_text("121 000")
        await expect(changed).to_contain_text("120 500")
        await audit.check(ksau, "ärende")
        await ksau.screenshot(path=ARTIFACTS / "people-3-changes.png", full_page=True)
        await ksau.get_by_label(re.compile("Lämna ärendet till Kommunstyrelsen")).check()
        await ksau.get_by_label("Skäl", exact=False).fill("Prognosen påverkar hela kommunen.")
        await ksau.get_by_role("button", name="Granska beslutet").click()
        await audit.check(ksau, "bekräfta beslut")
        await ksau.get_by_role("button", name="Bekräfta och protokollför").click()
        await expect(ksau.locator("#notice")).to_be_visible()
        await ksau.get_by_role("link", name=re.compile("§")).first.click()
        await audit.check(ksau, "protokollsutdrag KSAU")

        ks = await (await browser.new_context(locale="sv-SE")).new_page()
        await _login(ks, rig, KS_SECRETARY)
        await ks.goto(base + "/ks")
        await audit.check(ks, "KS:s ärenden")
        await ks.get_by_role("link", name="Månadsrapport").first.click()
        await audit.check(ks, "KS-ärende")
        await ks.get_by_label("Godkänn").check()
        await ks.get_by_role("button", name="Granska beslutet").click()
        await ks.get_by_role("button", name="Bekräfta och protokollför").click()
        await expect(ks.locator("#round-state")).to_have_text("Godkänd")
        await ks.get_by_role("link", name=re.compile("§")).last.click()
        await audit.check(ks, "protokollsutdrag KS")

        with rig.sessions() as session:  # a saved version, for the settings' version pages
            store.import_file(session, BUNDLED_CONFIG, actor="arshjul up", reason="Första start")
            session.commit()
        with rig.sessions.begin() as session:  # a motion, for the register's page of one
            motion_id = (
                MotionRepository(session)
                .add(
                    org_id=rig.config.organisation.id,
                    committee_id="kf",
                    fields=MotionFields(
                        kind="motion",
                        number="KF 2026/7",
                        title="Solceller på kommunens tak",
                        submitted_by="Karin Ås (C)",
                        vackt_on=t - dt.timedelta(days=30),
                        responsible_id="sbf",
                        responsible_name="Samhällsbyggnadsförvaltningen",
                    ),
                    by=EKONOMICHEF,
                )
                .id
            )
        for path, name in [
            ("/installningar", "inställningar"),
            ("/installningar/organ", "organ och sammanträden"),
            ("/installningar/organ/ksau", "organets sammanträden"),
            ("/installningar/enheter", "enheter (inställningar)"),
            ("/installningar/yaml", "YAML-redigering"),
            ("/installningar/versioner/1", "version"),
            ("/installningar/versioner/1/jamfor?med=1", "jämförelse"),
            ("/enheter/bun", "enhet (ekonomichef)"),
            ("/kalender", "kalendrar"),
            ("/anslagstavla", "anslagstavla"),
            ("/api/docs", "API"),
            ("/ekonomi/import", "ekonomiimport"),
            ("/motioner", "motioner och medborgarförslag"),
            ("/motioner/ny", "ny motion"),
            (f"/motioner/{motion_id}", "motion"),
            ("/finns-inte", "sidan finns inte"),
        ]:
            await eva.goto(base + path)
            await audit.check(eva, name)
        rig.to_maildir()
        await eva.goto(base + "/dev/mail")
        await audit.check(eva, "inkorg")
        await eva.locator("a.mail").first.click()
        await audit.check(eva, "brev")
        await browser.close()

    assert not audit.problems, "\n".join(audit.problems)
    assert audit.missing() == set(), "pages no browser journey audits"
