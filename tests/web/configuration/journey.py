"""The ekonomichef's journey in Debian's chromium, run for each bundled example by
test_browser_<example>.py (one file each, so that two test workers share them): uploads
next-year-but-two's sammanträdesplan for every committee as CSV, moves the meeting a running
round's due date counts from, sees the preview name that round, confirms, and then the round's
page, the unit's mail (the calendar event moved) and the shared calendar feed show the new dates
(same UIDs, higher SEQUENCE). Every settings page is audited with axe at 1280 and 375 px.
Screenshots under test-artifacts/web/."""

from __future__ import annotations

from pathlib import Path

from icalendar import Calendar

from arshjul.calendar.expand import meeting_uid
from arshjul.calendar.meeting_plan import move_meeting
from arshjul.calendar.specs import round_specs
from arshjul.models.rounds import RoundState, deadline_uid
from arshjul.swedish import date_sv, weekday_date_sv
from tests.conftest import MailSink
from tests.web.a11y import Audit
from tests.web.configuration.conftest import (
    load_example,
    next_free_day,
    owner_of,
    pick,
    plan_csv,
    plan_like,
    round_link,
    start_year,
)
from tests.web.conftest import JourneyBrowser, served_rig, today
from tests.web.journeys.test_browser import ARTIFACTS, browser_login


def _event(ics: bytes, uid: str) -> tuple[object, int]:
    # The feed's event with this UID: its start and SEQUENCE.
    for event in Calendar.from_ical(ics).walk("VEVENT"):
        if str(event["UID"]) == uid:
            return event.decoded("DTSTART"), int(event.get("SEQUENCE", 0))
    raise AssertionError(f"no event {uid} in the feed")


def _day(start: object) -> object:
    return start.date() if hasattr(start, "date") else start


async def plans_and_moves_meetings(
    example: str, tmp_path: Path, smtp_sink: MailSink, browser: JourneyBrowser
) -> None:
    """Walks the journey for one bundled example (see the module's docstring)."""
    from playwright.async_api import expect

    opened = pick(load_example(example), today(), due_from_meeting=True)
    spec, committee_id, old = opened.spec, opened.committee_id, opened.due_meeting
    assert old is not None
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    audit = Audit(set())
    async with served_rig(tmp_path, smtp_sink, config=opened.config) as rig:
        base = rig.settings.base_url
        committee = opened.config.committee(committee_id)
        org = opened.config.organisation.id
        uid = meeting_uid(org, committee, old)
        due_uid = deadline_uid(org, spec.report_id, spec.period, spec.unit_id)
        await start_year(rig, opened)
        await round_link(rig, opened)  # the request mail: the round runs
        # The feed as subscribers had it before (read while nothing else writes the store).
        await rig.wait_for_state(spec.workflow_id, lambda s: s.state == RoundState.OPEN)
        first_feed = (await rig.http.get("/calendar/all.ics")).content
        before, sequence = _event(first_feed, uid)
        assert _day(before) == old
        due_before, due_sequence = _event(first_feed, due_uid)
        assert _day(due_before) == spec.due

        page = await browser_login(browser, rig, owner_of(opened.config), "/")
        await (
            page.get_by_role("navigation", name="Huvudmeny")
            .get_by_role("link", name="Inställningar")
            .click()
        )
        await expect(
            page.get_by_role("heading", name="Inställningar för årshjulet")
        ).to_be_visible()
        await audit.check(page, "inställningar")

        # Next-year-but-two's plan for every committee, uploaded as the CSV Excel saves.
        year = today().year + 3
        plan = tmp_path / f"sammantradesplan-{year}.csv"
        plan.write_text(plan_csv(opened.config, year), encoding="utf-8")
        await page.get_by_role("link", name="Organ och sammanträden").first.click()
        await audit.check(page, "organ")
        await page.get_by_label("Fil (CSV eller ICS)").set_input_files(plan)
        await page.get_by_role("button", name="Läs in och förhandsgranska").click()
        count = len(plan_like(opened.config, year))
        await expect(page.locator("#proposal-summary")).to_contain_text(
            f"Sammanträdesplan för {year}: {count} sammanträden"
        )
        await audit.check(page, "förhandsgranskning (plan)")
        await page.get_by_label("Varför görs ändringen?").fill(f"Sammanträdesplan {year} antagen")
        await page.get_by_role("button", name="Spara och tillämpa").click()
        await expect(page.locator("#notice")).to_contain_text("Version 1 är sparad")
        await audit.check(page, "tillämpad")

        # The meeting the running round's due date counts from moves to the next free day.
        new = next_free_day(opened.config, committee_id, old)
        await page.goto(f"{base}/installningar/organ/{committee_id}?ar={old.year}")
        await audit.check(page, "organets sammanträden")
        await page.locator(f"#m-{old.isoformat()} summary").click()
        await page.get_by_label(f"Ny dag för sammanträdet {date_sv(old)}").fill(new.isoformat())
        await page.get_by_role("button", name="Förhandsgranska flytten").click()
        running = page.locator(f"#running-{spec.period_end.year}")
        await expect(running).to_contain_text(spec.unit_name)
        await expect(running).to_contain_text(spec.report_title)
        moved = move_meeting(opened.config, committee_id, old, new).config
        due = next(
            s for s in round_specs(moved, spec.period_end.year) if s.workflow_id == spec.workflow_id
        ).due
        assert due != spec.due
        await expect(running).to_contain_text(f"sista dag {date_sv(spec.due)} → {date_sv(due)}")
        await page.screenshot(
            path=ARTIFACTS / f"installningar-{example}-preview.png", full_page=True
        )
        await audit.check(page, "förhandsgranskning (flytt)")
        assert (await rig.status(spec.workflow_id)).due == spec.due  # nothing applied yet
        mails = len(rig.sink.messages)
        await page.get_by_label("Varför görs ändringen?").fill("Sammanträdet flyttat")
        await page.get_by_role("button", name="Spara och tillämpa").click()
        await expect(page.locator("#applied")).to_contain_text("1 pågående uppdaterade")
        await page.screenshot(
            path=ARTIFACTS / f"installningar-{example}-applied.png", full_page=True
        )

        await rig.wait_for_state(spec.workflow_id, lambda s: s.due == due)
        # The unit hears of it: the new date, and the same calendar event moved.
        mail = await rig.wait_for_mail(
            opened.chef, f"är flyttad till {weekday_date_sv(due)}", mails
        )
        invite = next(p for p in mail.iter_attachments() if p.get_content_type() == "text/calendar")
        event = Calendar.from_ical(invite.get_content()).walk("VEVENT")[0]
        assert str(event["UID"]) == due_uid and _day(event.decoded("DTSTART")) == due
        # The round's page (the unit's form) shows the new date.
        await page.goto(base + await round_link(rig, opened))
        await expect(page.locator("dl.facts").first).to_contain_text(f"Sista dag{date_sv(due)}")
        feed = await page.request.get(f"{base}/calendar/all.ics")
        after, later = _event(await feed.body(), uid)
        assert _day(after) == new and later > sequence
        due_after, due_later = _event(await feed.body(), due_uid)
        assert _day(due_after) == due and due_later > due_sequence

        # The version, the comparison, units and the editor: audited too.
        await page.goto(f"{base}/installningar/versioner/2")
        await audit.check(page, "version")
        await page.get_by_role("button", name="Jämför").click()
        await expect(page.locator("#diff-summary")).to_contain_text("flyttad")
        await audit.check(page, "jämförelse")
        await page.goto(f"{base}/installningar/enheter")
        await audit.check(page, "enheter")
        await page.goto(f"{base}/installningar/yaml")
        await audit.check(page, "yaml")
    assert not audit.problems, "\n".join(audit.problems)
