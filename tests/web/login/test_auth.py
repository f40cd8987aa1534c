"""Login by magic link and the session cookie, without Temporal (login never needs it)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from arshjul.calendar.loader import load_config
from arshjul.settings import BUNDLED_CONFIG
from arshjul.store.db import make_engine, make_session_maker, upgrade
from arshjul.web.app import create_app
from arshjul.web.auth.user import user_for_email
from arshjul.web.core.inputs import safe_next
from tests.conftest import MailSink
from tests.web.conftest import KSAU_MEMBER, LIMITS, body_of, csrf_of, make_settings

CONFIG = load_config(BUNDLED_CONFIG)


async def _app(tmp_path: Path, sink: MailSink, base_url: str, **settings: object) -> object:
    config = make_settings(tmp_path, sink, base_url).model_copy(update=settings)
    upgrade(config.database_url)
    sessions = make_session_maker(make_engine(config.database_url))
    return create_app(config, session_maker=sessions, config=CONFIG, limits=LIMITS)


@pytest.fixture
async def https_client(tmp_path: Path, smtp_sink: MailSink) -> AsyncIterator[httpx.AsyncClient]:
    """The app behind an https BASE_URL (cookies must then be Secure)."""
    app = await _app(tmp_path, smtp_sink, "https://arshjul.example.org")
    transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
    async with httpx.AsyncClient(transport=transport, base_url="https://arshjul.example.org") as c:
        yield c


def test_roles_come_from_the_configuration() -> None:
    secretary = user_for_email(CONFIG, "Sofia.Lund@example.org")
    assert secretary is not None
    assert secretary.roles == {"ksau", "ksau-sekreterare"}
    stahl = user_for_email(CONFIG, "gunnar.stahl@example.org")
    assert stahl is not None
    assert stahl.roles == {"ksau", "kommunalrad"}
    chef = user_for_email(CONFIG, "per.sandberg@example.org")  # a förvaltningschef logs in too
    assert chef is not None and (chef.roles, chef.units) == (frozenset(), {"bun"})
    assert user_for_email(CONFIG, "okand@example.org") is None


def test_redirects_stay_on_the_site() -> None:
    assert safe_next("/ksau") == "/ksau"
    assert safe_next("//evil.example") == "/"
    assert safe_next("https://evil.example") == "/"
    assert safe_next("/\\evil.example") == "/"


async def test_magic_link_session_cookie(
    https_client: httpx.AsyncClient, smtp_sink: MailSink
) -> None:
    http = https_client
    page = await http.get("/login?next=/ksau")
    assert "Secure" in page.headers["set-cookie"]
    sent = await http.post(
        "/login", data={"csrf": csrf_of(page.text), "email": KSAU_MEMBER, "next": "/ksau"}
    )
    assert sent.status_code == 200
    assert len(smtp_sink.messages) == 1
    text = body_of(smtp_sink.messages[0])
    path = text.split("https://arshjul.example.org", 1)[1].split()[0]
    confirm = await http.get(path)
    assert "Ingrid Falk" in confirm.text
    done = await http.post(
        path.split("?")[0], data={"csrf": csrf_of(confirm.text), "next": "/ksau"}
    )
    assert done.status_code == 303
    assert done.headers["location"] == "/ksau"
    cookie = next(c for c in done.headers.get_list("set-cookie") if "arshjul_session" in c)
    assert "HttpOnly" in cookie
    assert "Secure" in cookie
    assert "samesite=lax" in cookie.lower()
    assert (await http.get("/ksau")).status_code == 200

    # Opened again by the person it logged in, the used link simply goes on.
    again = await http.post(path.split("?")[0], data={"csrf": csrf_of(confirm.text)})
    assert (again.status_code, again.headers["location"]) == (303, "/")
    assert (await http.get(path)).headers["location"] == "/ksau"

    # Logged out, the link works once, and once used it shows no button; a forged cookie is no
    # login.
    out = await http.post("/logout", data={"csrf": csrf_of(confirm.text)})
    assert out.status_code == 303
    again = await http.post(path.split("?")[0], data={"csrf": csrf_of(confirm.text)})
    assert again.status_code == 410
    reopened = await http.get(path)
    assert reopened.status_code == 410
    assert "Länken har redan använts" in reopened.text
    assert "<button" not in reopened.text.split("<main", 1)[1].split("</main>")[0]
    http.cookies.set("arshjul_session", "eyJlIjoiaW5ncmlkLmZhbGtAZXhhbXBsZS5vcmcifQ.forged")
    assert (await http.get("/ksau")).status_code == 303


async def test_dev_inbox_only_when_configured(tmp_path: Path, smtp_sink: MailSink) -> None:
    plain = await _app(tmp_path / "a", smtp_sink, "http://t")
    dev = await _app(tmp_path / "b", smtp_sink, "http://t", dev_maildir=tmp_path / "mail")
    (tmp_path / "mail").mkdir()
    for app, code in ((plain, 404), (dev, 200)):
        transport = httpx.ASGITransport(app=app)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            assert (await http.get("/dev/mail")).status_code == code
