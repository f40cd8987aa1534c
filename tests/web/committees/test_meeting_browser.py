"""A committee meeting in a real browser: the Sammanställning compiled by the workflow is on the
agenda (and a resubmission makes a new version), the secretary records three decisions, a member
may not, the ordförande and a justerare sign, the secretary posts the anslag, and the PDF/A
protocol says it all. Screenshots under test-artifacts/meeting/."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import re
from collections.abc import AsyncIterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from arshjul.calendar.config import ArshjulConfig, Submitters
from arshjul.calendar.loader import load_config
from arshjul.models.rounds import RoundSpec, RoundState
from arshjul.protocol.agenda import meeting_path
from arshjul.settings import BUNDLED_CONFIG
from arshjul.store.models import Compilation
from arshjul.store.repositories import MeetingRepository
from arshjul.swedish import date_sv
from tests.conftest import MailSink
from tests.protocol.conftest import pdf_text
from tests.web.conftest import (
    ON_BUDGET,
    WebRig,
    chromium,
    csrf_of,
    round_spec,
    served_rig,
    today,
)
from tests.web.journeys.test_browser import browser_login

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "meeting"
UNITS = ("bun", "sof", "sbf")
SECRETARY, CHAIR, ADJUSTER, MEMBER = (
    "sofia.lund@example.org",
    "gunnar.stahl@example.org",
    "ingrid.falk@example.org",
    "mats.ryd@example.org",
)
REMIT_REASON = "Åtgärdsplanen saknar belopp och tidplan."

pytestmark = pytest.mark.browser


def three_units(config: ArshjulConfig) -> ArshjulConfig:
    """The bundled configuration whose månadsrapport three units submit."""
    reports = [
        r.model_copy(update={"submitters": Submitters(units=list(UNITS))})
        if r.id == "manadsrapport"
        else r
        for r in config.reports
    ]
    return config.model_copy(update={"reports": reports})


@pytest.fixture
async def served(tmp_path: Path, smtp_sink: MailSink) -> AsyncIterator[WebRig]:
    """The rig (three units submit the månadsrapport) served by uvicorn on a free port."""
    async with served_rig(tmp_path, smtp_sink, three_units(load_config(BUNDLED_CONFIG))) as rig:
        # Five people log in from this one machine: more than the rig's limit of login links.
        state = rig.app.state.web
        state.limits = replace(
            state.limits, login_links_per_window=10, login_requests_per_client=40
        )
        yield rig


async def submit(rig: WebRig, spec: RoundSpec, start: int = 0, version: int = 1) -> None:
    """The unit's chef submits a report on budget through the mailed link."""
    chef = spec.recipients[0].email
    link = await rig.link_from_mail(chef, "s", start)
    page = await rig.http.get(link)
    sent = await rig.http.post(link, data={"csrf": csrf_of(page.text), **ON_BUDGET})
    assert sent.status_code == 303, sent.text
    await rig.wait_for_state(
        spec.workflow_id,
        lambda s: s.state == RoundState.ON_AGENDA and s.submission_version == version,
    )


def automatic(rig: WebRig) -> list[int]:
    """The ids of the Sammanställningar the workflow compiled, oldest first."""
    with rig.sessions() as session:
        rows = session.scalars(select(Compilation).order_by(Compilation.id)).all()
        return [r.id for r in rows if r.inputs.get("key")]


async def wait_for(check: object, rounds: int = 200) -> None:
    """Polls until `check()` is true (activities write a moment after the workflow moves)."""
    for _ in range(rounds):
        if check():  # type: ignore[operator]
            return
        await asyncio.sleep(0.05)
    raise AssertionError("never happened")


async def test_a_meeting_from_agenda_to_archived_protocol(served: WebRig) -> None:
    from playwright.async_api import expect

    rig, base = served, served.settings.base_url
    specs = {u: round_spec(rig.config, unit_id=u, meeting_in_days=0) for u in UNITS}
    for spec in specs.values():
        await rig.start_round(spec)
    for spec in specs.values():
        await submit(rig, spec)
    # The last unit's report is in: the workflow compiled the Sammanställning.
    await wait_for(lambda: len(automatic(rig)) == 1)
    first = automatic(rig)[0]
    meeting = today()
    page_path = meeting_path("ksau", meeting)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    async with chromium() as browser:

        async def login(email: str) -> Any:
            return await browser_login(browser, rig, email, page_path)

        sofia = await login(SECRETARY)
        await sofia.goto(base + page_path)
        agenda = sofia.locator("#foredragningslista")
        await expect(
            agenda.get_by_role("link", name=re.compile("Sammanställning"))
        ).to_have_attribute("href", f"{page_path}/sammanstallning/{first}")
        for unit in UNITS:
            await expect(agenda).to_contain_text(rig.config.unit(unit).name)

        # Attendance and justerare, recorded by the secretary.
        await sofia.get_by_label("Plats").fill("Stadshuset, sammanträdesrum Dalälven")
        for name in ("Gunnar Ståhl", "Ingrid Falk", "Mats Ryd"):
            await sofia.get_by_role("checkbox", name=name).check()
        await sofia.locator(f'input[name="adjusters"][value="{ADJUSTER}"]').check()
        await sofia.get_by_label("Övriga närvarande").fill("Eva Ekström, ekonomichef")
        await sofia.get_by_role("button", name="Spara närvaro och justerare").click()
        await expect(sofia.locator("#notice")).to_contain_text("sparade")

        # Three decisions, each confirmed as the protocol will state it.
        decisions = (
            ("bun", "Godkänn", ""),
            ("sof", "Återremittera", REMIT_REASON),
            ("sbf", "Bordlägg", ""),
        )
        for unit, choice, reason in decisions:
            await sofia.goto(base + f"/ksau/arenden/{specs[unit].workflow_id[6:]}")
            await sofia.get_by_label(choice, exact=False).first.check()
            if reason:
                await sofia.get_by_label("Skäl", exact=False).fill(reason)
            await sofia.get_by_role("button", name="Granska beslutet").click()
            await expect(sofia.locator("#decision-text")).to_contain_text(
                "Kommunstyrelsens arbetsutskott beslutar att"
            )
            await sofia.get_by_role("button", name="Bekräfta och protokollför").click()
            await expect(sofia.locator("#notice")).to_be_visible()
        await sofia.screenshot(path=ARTIFACTS / "1-tabled.png", full_page=True)
        await rig.wait_for_state(specs["sof"].workflow_id, lambda s: s.state == "remitted")

        # A member who is not the secretary sees no form and cannot post a decision.
        mats = await login(MEMBER)
        await mats.goto(base + f"/ksau/arenden/{specs['sbf'].workflow_id[6:]}")
        await expect(mats.locator("#recorder-note")).to_be_visible()
        csrf = await mats.locator('input[name="csrf"]').first.get_attribute("value")
        cookies = {c["name"]: c["value"] for c in await mats.context.cookies()}
        async with httpx.AsyncClient(base_url=base, cookies=cookies) as raw:
            posted = await raw.post(
                f"/ksau/arenden/{specs['sbf'].workflow_id[6:]}/beslut",
                data={"csrf": csrf, "outcome": "approve", "confirm": "ja"},
            )
        assert posted.status_code == 403

        # The remitted unit completes: a new version, a new Sammanställning on the agenda.
        await submit(rig, specs["sof"], start=0, version=2)
        await wait_for(lambda: len(automatic(rig)) == 2)
        second = automatic(rig)[1]
        await sofia.goto(base + page_path)
        await expect(
            sofia.locator("#foredragningslista").get_by_role("link", name=re.compile("Samman"))
        ).to_have_attribute("href", f"{page_path}/sammanstallning/{second}")

        # Justering: the ordförande and the justerare sign.
        for email in (CHAIR, ADJUSTER):
            signer = await login(email)
            await signer.goto(base + page_path)
            await signer.get_by_label("Jag har läst protokollet och justerar det").check()
            await signer.get_by_role("button", name="Signera").click()
            await expect(signer.locator("#notice")).to_be_visible()
        await expect(signer.locator("#protokollstatus")).to_contain_text("Justerat")

        # The anslag, by the secretary; the archive copy is made.
        await sofia.goto(base + page_path)
        await sofia.get_by_role("button", name="Registrera anslaget").click()
        await expect(sofia.locator("#protokollstatus")).to_contain_text(
            "Sista dag för överklagande"
        )
        await sofia.screenshot(path=ARTIFACTS / "2-anslaget.png", full_page=True)
        await browser.close()

    async with httpx.AsyncClient(base_url=base, cookies=cookies) as raw:
        pdf = await raw.get(f"{page_path}/protokoll.pdf")
    assert pdf.status_code == 200
    (ARTIFACTS / "protokoll.pdf").write_bytes(pdf.content)
    with rig.sessions() as session:
        row = MeetingRepository(session).get(
            org_id=rig.config.organisation.id, committee_id="ksau", meeting=meeting
        )
        assert row is not None and row.appeal_until is not None
        assert hashlib.sha256(pdf.content).hexdigest() == row.archive_sha256
        appeal_until = row.appeal_until
    words = pdf_text(pdf.content)
    for expected in (
        "Gunnar Ståhl, ordförande",  # attendance
        "Eva Ekström, ekonomichef",
        "beslutar att godkänna rapporten",
        "beslutar att återremittera rapporten",
        REMIT_REASON,
        "beslutar att bordlägga ärendet till nästa sammanträde",
        "Signerat i årshjulet",
        "Sista dag för överklagande",
        date_sv(appeal_until),
    ):
        assert expected in words, expected
    numbers = [int(n) for n in re.findall(r"§ (\d+) Månadsrapport", words)]
    assert numbers == sorted(numbers) and len(numbers) == 3
    assert appeal_until >= meeting + dt.timedelta(weeks=3)
