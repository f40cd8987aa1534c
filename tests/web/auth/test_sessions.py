"""Sessions in the store: logout and "logga ut överallt" kill copied cookies, idle and absolute
expiry; the login-link limit that spares the real person; `next` kept to a path of this site;
the dev inbox behind a login when `up` listens beyond loopback."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select, update

from arshjul.runtime.endpoints import DataDir, UpOptions, child_overrides, resolve_endpoints
from arshjul.store.models import LinkToken, WebSession
from arshjul.web.app import create_app
from tests.conftest import MailSink
from tests.web.conftest import (
    BASE,
    KSAU_MEMBER,
    LIMITS,
    WebRig,
    body_of,
    csrf_of,
    make_settings,
)

ATTACKER = ("203.0.113.66", 40000)
ELSEWHERE = ("198.51.100.7", 40000)


def client_for(app: object, address: tuple[str, int] = ("127.0.0.1", 123)) -> httpx.AsyncClient:
    """A browser on its own, at a network address of its own."""
    transport = httpx.ASGITransport(app=app, client=address)  # type: ignore[arg-type]
    return httpx.AsyncClient(transport=transport, base_url=BASE)


async def ask_for_link(http: httpx.AsyncClient, email: str, next: str = "/") -> httpx.Response:
    """Asks for a login link the way the login page does."""
    page = await http.get("/login")
    form = {"csrf": csrf_of(page.text), "email": email, "next": next}
    return await http.post("/login", data=form)


def mails_to(web: WebRig, email: str) -> list[str]:
    """Returns the texts of the mails sent to `email`."""
    return [body_of(m) for m in web.sink.messages if email in str(m["To"])]


async def test_logout_kills_a_copied_cookie_and_everywhere_kills_all(web: WebRig) -> None:
    desk = await web.login(KSAU_MEMBER)
    phone = await web.login(KSAU_MEMBER, client_for(web.app))
    copied = desk.cookies["arshjul_session"]
    thief = client_for(web.app, ATTACKER)
    thief.cookies.set("arshjul_session", copied)
    assert (await thief.get("/ksau")).status_code == 200
    page = await desk.get("/ksau")
    assert "Logga ut överallt" in page.text
    out = await desk.post("/logout", data={"csrf": csrf_of(page.text)})
    assert out.status_code == 303
    assert (await thief.get("/ksau")).status_code == 303  # to the login page
    assert (await thief.get("/api/rounds")).status_code == 401
    assert (await phone.get("/ksau")).status_code == 200  # another session lives on

    again = await web.login(KSAU_MEMBER, desk)
    page = await again.get("/ksau")
    everywhere = await again.post("/logout/everywhere", data={"csrf": csrf_of(page.text)})
    assert everywhere.status_code == 303
    assert (await phone.get("/ksau")).status_code == 303
    assert (await again.get("/ksau")).status_code == 303
    with web.sessions() as session:
        live = session.scalar(
            select(func.count()).select_from(WebSession).where(WebSession.revoked_at.is_(None))
        )
    assert live == 0
    for http in (desk, phone, thief):
        await http.aclose()


@pytest.mark.parametrize(
    ("column", "age"),
    [
        ("last_seen_at", LIMITS.session_idle_seconds),
        ("created_at", LIMITS.session_absolute_seconds),
    ],
)
async def test_sessions_end_when_idle_or_old(web: WebRig, column: str, age: float) -> None:
    http = await web.login(KSAU_MEMBER)
    assert (await http.get("/ksau")).status_code == 200
    past = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=age + 60)
    with web.sessions.begin() as session:
        session.execute(update(WebSession).values({column: past}))
    assert (await http.get("/ksau")).status_code == 303
    await http.aclose()


async def test_login_links_are_limited_without_locking_the_person_out(web: WebRig) -> None:
    attacker = client_for(web.app, ATTACKER)
    allowed = LIMITS.login_requests_per_client
    answers = [await ask_for_link(attacker, KSAU_MEMBER) for _ in range(allowed)]
    sent = LIMITS.login_links_per_window
    assert [a.status_code for a in answers] == [200] * sent + [429] * (allowed - sent)
    assert len(mails_to(web, KSAU_MEMBER)) == sent  # no more mail
    with web.sessions() as session:
        tokens_before = session.scalar(select(func.count()).select_from(LinkToken))
    refused = await ask_for_link(attacker, KSAU_MEMBER)
    assert refused.status_code == 429
    assert "För många försök" in refused.text
    with web.sessions() as session:
        assert session.scalar(select(func.count()).select_from(LinkToken)) == tokens_before

    # The real person, at their own desk: told the limit and when, and a link from the inbox
    # works.
    person = client_for(web.app, ELSEWHERE)
    mine = await ask_for_link(person, KSAU_MEMBER)
    assert mine.status_code == 429
    assert "Du kan begära en ny länk kl." in mine.text
    assert "en länk gäller i 30 minuter" in mine.text
    link = re.search(rf"{re.escape(BASE)}(/login/[\w-]+)", mails_to(web, KSAU_MEMBER)[-1])
    assert link
    confirm = await person.get(link.group(1))
    done = await person.post(link.group(1), data={"csrf": csrf_of(confirm.text)})
    assert done.status_code == 303
    assert (await person.get("/ksau")).status_code == 200

    # Another web process counts the same limits (they live in the store).
    other = create_app(web.settings, session_maker=web.sessions, config=web.config, limits=LIMITS)
    elsewhere = client_for(other, ATTACKER)
    assert (await ask_for_link(elsewhere, "okand@example.org")).status_code == 429
    for http in (attacker, person, elsewhere):
        await http.aclose()


async def test_next_stays_a_path_of_this_site(web: WebRig) -> None:
    crafted = "/\n\nVIKTIGT: Ditt konto spärras. Logga in här: https://evil.example/login\n\n"
    targets = (crafted, "/%0A%0AVIKTIGT", "//evil.example", "https://evil.example", "/ok")
    for n, target in enumerate(targets):
        answer = await ask_for_link(web.http, KSAU_MEMBER, next=target)
        assert answer.status_code == (200 if n < LIMITS.login_links_per_window else 429)
        assert "VIKTIGT" not in answer.text and "evil.example" not in answer.text
    mails = mails_to(web, KSAU_MEMBER)
    assert not any("VIKTIGT" in m or "evil.example" in m for m in mails)
    links = [re.search(rf"{re.escape(BASE)}/login/[\w-]+\?next=(\S*)", m) for m in mails]
    assert [found.group(1) if found else None for found in links] == ["/", "/", "/"]
    # (the fourth and fifth request sent no mail, and said so: three links per address and
    # quarter hour)


@pytest.fixture
async def dev_inbox(tmp_path: Path, smtp_sink: MailSink) -> AsyncIterator[object]:
    """An app showing /dev/mail the way `up` runs it when it listens on every address."""
    from arshjul.store.db import make_engine, make_session_maker, upgrade

    settings = make_settings(tmp_path, smtp_sink).model_copy(
        update={"dev_maildir": tmp_path / "mail", "dev_mail_login": True}
    )
    (tmp_path / "mail").mkdir()
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        yield create_app(settings, session_maker=make_session_maker(engine), limits=LIMITS)
    finally:
        engine.dispose()


async def test_dev_inbox_needs_a_login_beyond_loopback(dev_inbox: object) -> None:
    from tests.conftest import session_cookie

    here, away = client_for(dev_inbox), client_for(dev_inbox, ELSEWHERE)
    assert (await here.get("/dev/mail")).status_code == 200  # on the machine itself
    refused = await away.get("/dev/mail")
    assert (refused.status_code, refused.headers["location"]) == (303, "/login?next=/dev/mail")
    sessions = dev_inbox.state.web.session_maker  # type: ignore[attr-defined]
    away.cookies.set("arshjul_session", session_cookie(sessions, KSAU_MEMBER))
    assert (await away.get("/dev/mail")).status_code == 200
    await here.aclose()
    await away.aclose()


@pytest.mark.parametrize(("host", "login"), [("127.0.0.1", False), ("0.0.0.0", True)])
def test_up_puts_the_dev_inbox_behind_a_login_beyond_loopback(
    tmp_path: Path, host: str, login: bool
) -> None:
    options = UpOptions(data_dir=tmp_path, host=host)
    endpoints = resolve_endpoints(options, {})
    env = child_overrides(options, endpoints, DataDir(tmp_path), tmp_path / "c.yaml", "k" * 20, {})
    assert ("ARSHJUL_DEV_MAIL_LOGIN" in env) is login
