"""The web's own log lines about people name them by pseudonym: a login link sent, refused by the
limit or asked for an unknown address, and a personal calendar address replaced."""

from __future__ import annotations

import logging

import pytest

from arshjul.privacy import pseudonym
from tests.web.conftest import CHEF, WebRig, csrf_of


def _addresses(web: WebRig) -> set[str]:
    config = web.config
    found = {str(u.chef.email) for u in config.units}
    found |= {str(p.email) for c in config.committees for p in c.members}
    found |= {str(p.email) for r in config.roles for p in r.people}
    return {a.lower() for a in found}


async def test_login_and_feed_lines_carry_no_address(
    web: WebRig, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="arshjul")
    chef = await web.login(CHEF)  # a link sent and used
    page = await web.http.get("/login")
    for _ in range(web.app.state.web.limits.login_links_per_window + 1):  # up to the limit
        await web.http.post("/login", data={"csrf": csrf_of(page.text), "email": CHEF})
    await web.http.post("/login", data={"csrf": csrf_of(page.text), "email": "okand@example.org"})
    calendar = await chef.get("/kalender")
    replaced = await chef.post("/kalender/ny-adress", data={"csrf": csrf_of(calendar.text)})
    assert replaced.status_code == 303
    text = caplog.text.lower()
    assert "limit reached" in text and "personal feed address replaced" in text
    assert not {a for a in _addresses(web) if a in text}
    assert pseudonym(CHEF, web.settings.secret_key) in caplog.text
