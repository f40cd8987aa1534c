"""The demonstration of `arshjul up` in Debian's chromium: in the nämnd organisation the demo
round is walked nämnd → KSAU → KS → KF on its demo day by the secretaries the README names, each
logged in by a mailed link, until fullmäktige has decided it. Screenshots under
test-artifacts/web/."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from arshjul.calendar.demo import DEMO_PLACE, DEMO_TITLE, demo_day, demo_rounds
from arshjul.calendar.loader import load_config
from arshjul.calendar.workdays import WorkingDays
from arshjul.models.rounds import RoundState
from arshjul.swedish import weekday_date_sv
from tests.calendar.test_demo import CHAINS, readme_demo_logins
from tests.commands.test_calendar_cli import EXAMPLES
from tests.conftest import MailSink
from tests.web.conftest import body_of, today
from tests.web.journeys.test_browser import ARGS, ARTIFACTS, CHROMIUM, browser_login, serving
from tests.web.journeys.test_examples_browser import confirm

pytestmark = pytest.mark.browser


async def test_the_namnd_demo_is_walked_to_fullmaktige_in_a_browser(
    tmp_path: Path, smtp_sink: MailSink
) -> None:
    from playwright.async_api import async_playwright, expect

    config = load_config(EXAMPLES / "namndkommun.yaml")
    secretaries, _ = readme_demo_logins("namndkommun")
    start = today()
    day = demo_day(config, start)
    # Started on a weekend or holiday, the demo meets on the next working day: the rounds' clock
    # is moved there (decisions are taken from the meeting day on), the pages' agenda is not.
    offset = (day - start).days * 86_400.0
    specs = [s.model_copy(update={"clock_offset_s": offset}) for s in demo_rounds(config, start)]
    spec = specs[0]
    assert spec.review is not None and spec.review.chain is not None
    chain = [config.committee(s.committee.id) for s in spec.review.chain]
    assert [c.id for c in chain] == CHAINS["namndkommun"]  # nämnd → KSAU → KS → KF
    async with serving(tmp_path, smtp_sink, config) as rig:
        base = rig.settings.base_url
        for s in specs:
            await rig.start_round(s)
        chef = str(config.units[0].chef.email)  # the README's ingela.rosen@example.org
        link = base + await rig.link_from_mail(chef, "s")
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            page = await (await browser.new_context(locale="sv-SE")).new_page()
            await page.goto(link)
            await page.get_by_label("Aktivitet", exact=True).first.fill("Ny rutin för placeringar")
            await page.get_by_label("Status").first.select_option("Pågående enligt plan")
            await page.get_by_label("Förvaltningsberättelse", exact=False).first.fill(
                "Verksamheten följer planen."
            )
            await page.get_by_role("button", name="Skicka in rapporten").click()
            await expect(page.locator("#received")).to_contain_text("Rapporten är inlämnad")

            pages: dict[str, object] = {}
            for k, committee in enumerate(chain):
                await rig.wait_for_state(
                    spec.workflow_id,
                    lambda s, c=committee.id: (
                        s.state == RoundState.ON_AGENDA and s.committee_id == c
                    ),
                )
                secretary = secretaries[committee.label]
                if secretary not in pages:  # one login link each
                    pages[secretary] = await browser_login(
                        browser, rig, secretary, f"/{committee.id}"
                    )
                sec = pages[secretary]
                await sec.goto(f"{base}/{committee.id}")  # type: ignore[attr-defined]
                await sec.get_by_role("link", name=DEMO_TITLE).first.click()  # type: ignore[attr-defined]
                if k + 1 < len(chain):
                    label = f"Godkänn och överlämna till {chain[k + 1].name}"
                else:
                    label = "Godkänn"
                await sec.get_by_label(label, exact=True).check()  # type: ignore[attr-defined]
                await confirm(sec)
                await expect(sec.locator("#notice")).to_be_visible()  # type: ignore[attr-defined]
                await sec.screenshot(  # type: ignore[attr-defined]
                    path=ARTIFACTS / f"demo-{k + 1}-{committee.id}.png", full_page=True
                )
            last = pages[secretaries[chain[-1].label]]
            await expect(last.locator("#round-state")).to_have_text("Godkänd")  # type: ignore[attr-defined]
            await expect(last.locator("#route")).to_contain_text(  # type: ignore[attr-defined]
                " ✓ → ".join(c.name for c in chain) + " ✓"
            )
            # Each committee's protocol of the day is the demonstration meeting's, or the real
            # meeting's where the committee's plan has one that day (its place is then shown).
            for committee in chain:
                viewer = pages[secretaries[committee.label]]
                await viewer.goto(f"{base}/{committee.id}/protokoll/{day}")  # type: ignore[attr-defined]
                await expect(viewer.locator(".meta")).to_contain_text(f"{committee.name} · ")  # type: ignore[attr-defined]
                planned = committee.meeting(day)
                place = DEMO_PLACE if planned is None else planned.place or ""
                await expect(viewer.locator("#plats-och-tid")).to_contain_text(place)  # type: ignore[attr-defined]
            await browser.close()
        status = await rig.status(spec.workflow_id)
        assert (status.state, status.committee_id) == (RoundState.APPROVED, chain[-1].id)
        # The chef was told of each next step's meeting: on a working day, later than the last.
        assert WorkingDays(config.working_days.non_working_eves).is_working_day(day)
        hours = []
        for committee in chain[1:]:
            told = await rig.wait_for_mail(
                chef, f"{committee.name} behandlar den vid sammanträdet {weekday_date_sv(day)} kl."
            )
            found = re.search(
                r"behandlar den vid sammanträdet [^.]* kl\. (\d\d)\.(\d\d)", body_of(told)
            )
            assert found is not None
            hours.append(found.group(1) + found.group(2))
        assert hours == sorted(hours) and len(set(hours)) == len(hours)
