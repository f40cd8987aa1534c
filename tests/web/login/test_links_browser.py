"""In Debian's chromium: the login limit says it is reached and when to ask again, the same for an
unknown address; a used and an expired link say which, and lead to the login and the contact."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import update

from arshjul.models.rounds import round_workflow_id
from arshjul.notifications import tokens
from arshjul.store.models import LinkToken, RateLimitHit
from tests.conftest import MailSink
from tests.web.a11y import Audit, page_routes
from tests.web.conftest import (
    BROWSER_ARGS,
    CHROMIUM,
    KSAU_MEMBER,
    LIMITS,
    WebRig,
    served_rig,
)

pytestmark = pytest.mark.browser
UNKNOWN = "ingen.alls@example.org"


@pytest.fixture
async def served(tmp_path: Path, smtp_sink: MailSink) -> AsyncIterator[WebRig]:
    """The bundled configuration served by uvicorn."""
    async with served_rig(tmp_path, smtp_sink) as rig:
        yield rig


@pytest.fixture
async def chromium() -> AsyncIterator[Any]:
    """Debian's chromium, headless."""
    from playwright.async_api import async_playwright

    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        yield browser
        await browser.close()


async def _ask(page: Any, rig: WebRig, email: str) -> None:
    await page.goto(rig.settings.base_url + "/login?next=/ksau")
    await page.get_by_label("E-postadress").fill(email)
    await page.get_by_role("button", name="Skicka inloggningslänk").click()
    await page.wait_for_load_state()


def _contact(rig: WebRig) -> str:
    role = rig.config.role(rig.config.contact_role_id() or "")
    return role.people[0].name


def _first_hit_at(rig: WebRig, email: str) -> dt.datetime:
    with rig.sessions() as session:
        hits = session.query(RateLimitHit).filter(RateLimitHit.key == f"login-mail:{email}")
        return min(h.at for h in hits)


def _clock(at: dt.datetime, rig: WebRig) -> str:
    # The minute the limit frees, rounded up, in the organisation's time.
    local = at.astimezone(ZoneInfo(rig.config.organisation.timezone))
    if local.second or local.microsecond:
        local = local.replace(second=0, microsecond=0) + dt.timedelta(minutes=1)
    return f"{local:%H.%M}"


async def test_the_login_limit_says_when_to_ask_again(served: WebRig, chromium: Any) -> None:
    from playwright.async_api import expect

    rig = served
    audit = Audit(page_routes(rig.app))
    page = await (await chromium.new_context(locale="sv-SE")).new_page()
    for _ in range(LIMITS.login_links_per_window):
        await _ask(page, rig, KSAU_MEMBER)
        await expect(page.get_by_role("heading", name="Kolla din e-post")).to_be_visible()
    sent = len(rig.sink.messages)
    await _ask(page, rig, KSAU_MEMBER)
    await expect(page.get_by_role("heading", name="För många försök")).to_be_visible()
    window = dt.timedelta(seconds=LIMITS.login_window_seconds)
    when = _clock(_first_hit_at(rig, KSAU_MEMBER) + window, rig)
    limit = page.locator("#login-limit")
    await expect(limit).to_contain_text(f"Du kan begära en ny länk kl. {when}.")
    await expect(limit).to_contain_text("en länk gäller i 30 minuter")
    await expect(page.get_by_text(f"Kontakta {_contact(rig)}")).to_be_visible()
    await audit.check(page, "inloggningsgräns")
    assert len(rig.sink.messages) == sent  # nothing more was mailed
    known = (await limit.inner_text()).replace(when, "HH.MM")

    # An address nobody knows, from another desk: the same words at the same limit.
    other = await (await chromium.new_context(locale="sv-SE")).new_page()
    for _ in range(LIMITS.login_links_per_window):
        await _ask(other, rig, UNKNOWN)
        await expect(other.get_by_role("heading", name="Kolla din e-post")).to_be_visible()
    await _ask(other, rig, UNKNOWN)
    await expect(other.get_by_role("heading", name="För många försök")).to_be_visible()
    unknown_when = _clock(_first_hit_at(rig, UNKNOWN) + window, rig)
    unknown = (await other.locator("#login-limit").inner_text()).replace(unknown_when, "HH.MM")
    assert unknown == known
    assert not any(UNKNOWN in str(m["To"]) for m in rig.sink.messages)

    # The way on: back to the login, keeping where the person was going.
    await page.get_by_role("link", name="Till inloggningen").click()
    await expect(page.get_by_role("heading", name="Logga in")).to_be_visible()
    assert page.url.endswith("/login?next=/ksau") or page.url.endswith("/login?next=%2Fksau")
    assert audit.problems == []


async def test_a_used_and_an_expired_link_say_which(served: WebRig, chromium: Any) -> None:
    from playwright.async_api import expect

    rig, base = served, served.settings.base_url
    audit = Audit(page_routes(rig.app))
    page = await (await chromium.new_context(locale="sv-SE")).new_page()
    await _ask(page, rig, KSAU_MEMBER)
    link = base + await rig.link_from_mail(KSAU_MEMBER, "login")
    await page.goto(link)
    await page.get_by_role("button", name="Logga in").click()
    await expect(page).to_have_url(base + "/ksau")

    # The same person, logged in, opens the link again: they simply go on.
    await page.goto(link)
    await expect(page).to_have_url(base + "/ksau")

    # In another browser the used link says it was used, and leads to the login.
    stranger = await (await chromium.new_context(locale="sv-SE")).new_page()
    await stranger.goto(link)
    await expect(stranger.get_by_role("heading", name="Länken har redan använts")).to_be_visible()
    await expect(stranger.get_by_text(f"Kontakta {_contact(rig)}")).to_be_visible()
    await expect(stranger.get_by_role("button")).to_have_count(0)
    await audit.check(stranger, "använd inloggningslänk")

    # A login link past its 30 minutes says it has expired.
    start = len(rig.sink.messages)
    await _ask(stranger, rig, KSAU_MEMBER)
    fresh = base + await rig.link_from_mail(KSAU_MEMBER, "login", start)
    with rig.sessions.begin() as session:
        session.execute(
            update(LinkToken)
            .where(LinkToken.used_at.is_(None), LinkToken.purpose == tokens.PURPOSE_LOGIN)
            .values(expires_at=dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1))
        )
    await stranger.goto(fresh)
    await expect(stranger.get_by_role("heading", name="Länken har gått ut")).to_be_visible()
    await expect(stranger.locator("main")).to_contain_text("gällde i 30 minuter")
    await stranger.get_by_role("link", name="Logga in").click()
    await expect(stranger.get_by_role("heading", name="Logga in")).to_be_visible()
    assert "next=%2Fksau" in stranger.url or "next=/ksau" in stranger.url

    # A report link from a request mail past its time says so, and leads to Mina rapporter.
    unit = rig.config.units[0].id
    with rig.sessions.begin() as session:
        raw = tokens.issue_for_round(
            session,
            workflow_id=round_workflow_id(
                rig.config.organisation.id, "manadsrapport", "2026-02", unit
            ),
            unit_id=unit,
            ttl=dt.timedelta(days=-1),
            secret_key=rig.settings.secret_key,
        )
    await stranger.goto(tokens.round_url(base, raw))
    await expect(stranger.get_by_role("heading", name="Länken har gått ut")).to_be_visible()
    await expect(stranger.locator("main")).to_contain_text("Mina rapporter")
    await audit.check(stranger, "utgången rapportlänk")
    href = await stranger.get_by_role("link", name="Logga in").get_attribute("href")
    assert href == "/login?next=/mina-rapporter"
    assert audit.problems == []
