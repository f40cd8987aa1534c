"""The shell's limits on bodies: a body over the limit is a 413 whether its size was declared or
it came streamed (chunked), and a streamed body within the limit reaches the page whole."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from arshjul.store.db import make_engine, make_session_maker, upgrade
from arshjul.web.app import create_app
from tests.conftest import MailSink
from tests.web.conftest import BASE, make_settings

FORM = {"content-type": "application/x-www-form-urlencoded"}
MIB = 1024 * 1024


async def _streamed(head: bytes, size: int) -> AsyncIterator[bytes]:
    yield head
    for _ in range(size // 65536):
        yield b"a" * 65536


@pytest.fixture
async def http(tmp_path: Path, smtp_sink: MailSink) -> AsyncIterator[httpx.AsyncClient]:
    """The app with the default limits (4 MiB for a form without files), over ASGI."""
    settings = make_settings(tmp_path, smtp_sink)
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    app = create_app(settings, session_maker=make_session_maker(engine))
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=BASE) as client:
        yield client
    engine.dispose()


async def test_a_streamed_form_over_the_limit_is_413(http: httpx.AsyncClient) -> None:
    streamed = await http.post(
        "/login", content=_streamed(b"email=a%40example.org&x=", 5 * MIB), headers=FORM
    )
    declared = await http.post(
        "/login", content=b"email=a%40example.org&x=" + b"a" * (5 * MIB), headers=FORM
    )
    assert (streamed.status_code, declared.status_code) == (413, 413)
    assert "för stort" in streamed.text  # the Swedish page, nothing stored


async def test_a_streamed_form_within_the_limit_reaches_the_page(
    http: httpx.AsyncClient,
) -> None:
    page = await http.get("/login")
    csrf = page.text.split('name="csrf" value="')[1].split('"')[0]
    body = f"csrf={csrf}&email=nobody%40example.org".encode()

    async def one_by_one() -> AsyncIterator[bytes]:
        for i in range(len(body)):
            yield body[i : i + 1]

    answer = await http.post("/login", content=one_by_one(), headers=FORM)
    # The form was read whole: the login page answers for the address (known or not, it says
    # the same), not a 400 for a form it could not read.
    assert answer.status_code == 200, answer.text[:400]
