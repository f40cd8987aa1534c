"""/dev/mail: the inbox lists received mails and shows each with its links clickable."""

from __future__ import annotations

import re
from email.message import EmailMessage
from pathlib import Path

import httpx
from fastapi import FastAPI

from arshjul.runtime.maildir import mail_names, store_mail
from arshjul.web.devmail import maildir, router

LINK = "http://127.0.0.1:8000/r/abc.DEF-123?x=1&y=2"


def _app(folder: Path) -> FastAPI:
    app = FastAPI()
    app.include_router(router)
    app.dependency_overrides[maildir] = lambda: folder
    return app


def _store(folder: Path, subject: str) -> str:
    msg = EmailMessage()
    msg["From"] = "arshjul@example.org"
    msg["To"] = "anna@hedemora.example"
    msg["Subject"] = subject
    msg["Date"] = "Mon, 30 Nov 2026 04:18:18 +0000"
    msg.set_content(f"Hej!\nLämna rapporten: {LINK}\n<script>alert(1)</script>")
    msg.add_alternative(f'<p>Lämna <a href="{LINK}">rapporten</a></p>', subtype="html")
    return store_mail(folder, msg.as_bytes()).name


async def test_inbox_lists_mails_and_a_mail_shows_a_clickable_link(tmp_path: Path) -> None:
    first = _store(tmp_path, "Begäran: Demonstration – uppsiktsrapport")
    _store(tmp_path, "Påminnelse")
    transport = httpx.ASGITransport(app=_app(tmp_path))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        page = (await client.get("/dev/mail")).text
        assert "Inkorg (2)" in page
        assert page.index("Påminnelse") < page.index("Begäran")  # newest first
        assert f'href="/dev/mail/{first}"' in page
        # Received at local Swedish time, as the app's pages say it, not in UTC ISO.
        assert "30 november 2026 kl. 05.18" in page and "2026-11-30" not in page
        mail = (await client.get(f"/dev/mail/{first}")).text
        hrefs = re.findall(r'<a href="(http[^"]+)"', mail)
        assert [h.replace("&amp;", "&") for h in hrefs] == [LINK]
        assert "<script>" not in mail
        assert "<td>30 november 2026 kl. 05.18</td>" in mail
        assert "&lt;script&gt;" in mail
        html = await client.get(f"/dev/mail/{first}/html")
        assert "rapporten</a>" in html.text
        assert "sandbox" in html.headers["content-security-policy"]
        listed = (await client.get("/dev/mail.json")).json()
        assert [m["name"] for m in listed] == list(reversed(mail_names(tmp_path)))


async def test_unknown_mail_is_404_and_the_inbox_is_off_without_a_maildir(tmp_path: Path) -> None:
    transport = httpx.ASGITransport(app=_app(tmp_path))
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        assert (await client.get("/dev/mail/..%2F..%2Fetc%2Fpasswd")).status_code == 404
        assert (await client.get("/dev/mail/0000000000000000000-deadbeef.eml")).status_code == 404
    off = FastAPI()
    off.include_router(router)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=off), base_url="http://t") as c:
        assert (await c.get("/dev/mail")).status_code == 404
