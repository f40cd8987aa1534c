"""Every error page leads on: a login link that returns to where the person was going, and the
contact the mails name (from the configuration, whichever municipality's)."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.loader import load_config
from arshjul.settings import BUNDLED_CONFIG
from arshjul.store.db import make_engine, make_session_maker, upgrade
from arshjul.store.repositories import sync_config
from arshjul.web.app import create_app
from tests.conftest import MailSink
from tests.web.conftest import LIMITS, body_of, csrf_of, make_settings

EXAMPLES = Path(BUNDLED_CONFIG).parent
BASE = "http://testserver"
_CONTACT = re.compile(r"Frågor\? Kontakta ([^,]+), [^:]+: (\S+@\S+)\.")


@pytest.fixture(params=["hedemora.yaml", "tertial.yaml"])
def config(request: pytest.FixtureRequest) -> ArshjulConfig:
    """Two municipalities: nothing on the pages may be one of them written into the code."""
    return load_config(EXAMPLES / request.param)


@pytest.fixture
async def http(
    tmp_path: Path, smtp_sink: MailSink, config: ArshjulConfig
) -> AsyncIterator[httpx.AsyncClient]:
    """The app over a synced store (as its start-up syncs it), without Temporal."""
    settings = make_settings(tmp_path, smtp_sink, BASE)
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    sessions = make_session_maker(engine)
    with sessions.begin() as session:
        sync_config(session, config)
    app = create_app(settings, session_maker=sessions, config=config, limits=LIMITS)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url=BASE) as c:
        yield c
    engine.dispose()


def _member(config: ArshjulConfig) -> str:
    return next(c for c in config.committees if c.members).members[0].email


async def _mailed_contact(http: httpx.AsyncClient, sink: MailSink, email: str) -> tuple[str, str]:
    # The contact as a mail names it: ask for a login link and read the mail's last lines.
    page = await http.get("/login")
    sent = await http.post("/login", data={"csrf": csrf_of(page.text), "email": email})
    assert sent.status_code == 200
    found = _CONTACT.search(body_of(sink.messages[-1]))
    assert found, "the login mail names no contact"
    return found.group(1), found.group(2)


def _login_link(html: str) -> str | None:
    found = re.search(r'<a id="error-login" href="([^"]+)"', html)
    return found.group(1) if found else None


async def test_every_error_page_links_to_the_login_and_names_the_contact(
    http: httpx.AsyncClient, smtp_sink: MailSink, config: ArshjulConfig
) -> None:
    member = _member(config)
    name, email = await _mailed_contact(http, smtp_sink, member)
    raw = re.search(r"/login/([\w-]+)", body_of(smtp_sink.messages[-1]))
    assert raw
    used = await http.get(f"/login/{raw.group(1)}?next=/kalender")
    await http.post(f"/login/{raw.group(1)}", data={"csrf": csrf_of(used.text)})
    http.cookies.delete("arshjul_session")  # logged out again: the used link is then refused
    form_page = {"referer": f"{BASE}/login?next=/kalender"}
    answers = {
        400: await http.post(
            "/login",
            content=b"broken",  # a multipart body without its boundary
            headers={"content-type": "multipart/form-data", **form_page},
        ),
        403: await http.post("/login", data={"email": member}, headers=form_page),  # no CSRF
        404: await http.get("/calendar/finns-inte.ics?ar=2026"),
        405: await http.put("/kalender", headers=form_page),
        410: await http.get(f"/login/{raw.group(1)}?next=/kalender"),
        422: await http.get("/calendar/roll/" + "x" * 80 + ".ics"),
    }
    expected_next = {
        400: "/kalender",  # the login form's own target
        403: "/kalender",
        404: "/calendar/finns-inte.ics?ar=2026",
        405: "/kalender",
        410: "/kalender",
        422: "/calendar/roll/" + "x" * 80 + ".ics",
    }
    for status, answer in answers.items():
        assert answer.status_code == status, (status, answer.text[:300])
        link = _login_link(answer.text)
        assert link is not None, f"{status}: no login link"
        assert httpx.URL(link).params["next"] == expected_next[status], (status, link)
        assert f"Kontakta {name}" in answer.text, status
        assert f'href="mailto:{email}"' in answer.text, status
    assert "Länken har redan använts" in answers[410].text


async def test_a_crafted_next_never_reaches_an_error_page(http: httpx.AsyncClient) -> None:
    crafted = "//evil.example/login"
    answer = await http.get(f"/login/{'x' * 43}?next={crafted}")
    assert answer.status_code == 403
    assert "Länken fungerar inte" in answer.text
    assert httpx.URL(_login_link(answer.text) or "").params["next"] == "/"
    assert "evil.example" not in answer.text
