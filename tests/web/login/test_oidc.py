"""Sign-in through a real OpenID provider (oidc-provider on Node.js): authorization code with
PKCE, the ID token checked, roles from its "roles" claim mapped through the YAML; a person the
IdP knows but arshjul does not is refused; logout ends both sessions."""

from __future__ import annotations

import hmac
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.conftest import MailSink
from tests.web.conftest import chromium
from tests.web.idp import IdpWeb, idp_web
from tests.web.journeys.test_browser import ARTIFACTS


@pytest.fixture
async def idp(tmp_path: Path, smtp_sink: MailSink) -> AsyncIterator[IdpWeb]:
    """The OpenID provider and the app it signs people in to."""
    async with idp_web(tmp_path, smtp_sink) as running:
        yield running


async def sign_in_without_browser(http: httpx.AsyncClient, base: str, login: str) -> str:
    """Walks the flow by hand up to the IdP's redirect back; returns the callback address."""
    start = await http.get(f"{base}/oidc/login?next=/ksau")
    assert start.status_code == 302
    query = parse_qs(urlsplit(start.headers["location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["code_challenge"]
    assert query["nonce"] and query["state"]
    page = await http.get(start.headers["location"], follow_redirects=True)
    form_action = page.text.split('action="')[1].split('"')[0]
    answer = await http.post(
        str(page.url.join(form_action)),
        data={"prompt": "login", "login": login, "password": "vad som helst"},
        follow_redirects=False,
    )
    while not answer.headers["location"].startswith(base):
        answer = await http.get(str(answer.url.join(answer.headers["location"])))
    return str(answer.headers["location"])


async def test_the_callback_cannot_be_forged_or_replayed(idp: IdpWeb) -> None:
    async with httpx.AsyncClient(timeout=10) as http:
        callback = await sign_in_without_browser(http, idp.base, "ingrid")
        refused = await http.get(callback.replace("state=", "state=x"))
        assert refused.status_code == 400
        assert "Inloggningen kunde inte slutföras" in refused.text
        assert "arshjul_session" not in http.cookies

    async with httpx.AsyncClient(timeout=10) as http:
        callback = await sign_in_without_browser(http, idp.base, "ingrid")
        done = await http.get(callback)
        assert done.status_code == 303 and done.headers["location"] == "/ksau"
        assert (await http.get(f"{idp.base}/ksau")).status_code == 200
        http.cookies.delete("arshjul_session")
        replayed = await http.get(callback)  # the same code and state a second time
        assert replayed.status_code == 400
        assert "arshjul_session" not in http.cookies

    async with httpx.AsyncClient(timeout=10) as http:  # a grant of a unit: its chef's pages
        await http.get(await sign_in_without_browser(http, idp.base, "maria"))
        own = await http.get(f"{idp.base}/enheter/sof")
        assert own.status_code == 200 and "Socialförvaltningen" in own.text
        assert (await http.get(f"{idp.base}/enheter/bun")).status_code == 403


@pytest.mark.browser
async def test_people_sign_in_through_the_municipality(idp: IdpWeb) -> None:
    from playwright.async_api import expect

    base = idp.base
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    async with chromium() as browser:

        async def sign_in(login: str, path: str):  # type: ignore[no-untyped-def]
            page = await (await browser.new_context(locale="sv-SE")).new_page()
            await page.goto(base + path)  # sent to the login page
            await page.get_by_role("link", name="Logga in med kommunens konto").click()
            await page.locator("input[name=login]").fill(login)  # the IdP's own page
            await page.locator("input[name=password]").fill("lösenord")
            await page.get_by_role("button", name="Sign-in").click()
            return page

        # A KSAU member: the role comes from the token's "roles" claim.
        ingrid = await sign_in("ingrid", "/ksau")
        await expect(
            ingrid.get_by_role(
                "heading", name="Kommunstyrelsens arbetsutskott (KSAU) – föredragningslista"
            )
        ).to_be_visible()
        await expect(ingrid.locator("header")).to_contain_text("Ingrid Falk")
        await ingrid.screenshot(path=ARTIFACTS / "oidc-1-ksau.png", full_page=True)
        assert (await ingrid.goto(base + "/ekonomi/import")).status == 403  # type: ignore[union-attr]
        old_cookie = next(
            c["value"] for c in await ingrid.context.cookies() if c["name"] == "arshjul_session"
        )

        # Logout ends the arshjul session, then the IdP's (it asks for confirmation).
        await ingrid.goto(base + "/ksau")
        await ingrid.get_by_role("button", name="Logga ut", exact=True).click()
        await ingrid.get_by_role("button", name="Yes, sign me out").click()
        await expect(ingrid.get_by_role("heading", name="Logga in")).to_be_visible()
        async with httpx.AsyncClient(cookies={"arshjul_session": old_cookie}) as http:
            stale = await http.get(base + "/ksau", follow_redirects=False)
        assert stale.status_code == 303  # the copied cookie no longer opens anything
        await ingrid.get_by_role("link", name="Logga in med kommunens konto").click()
        await expect(ingrid.locator("input[name=login]")).to_be_visible()  # no IdP session left

        # The ekonomichef: her app role opens the ledger import.
        eva = await sign_in("eva", "/ekonomi/import")
        await expect(
            eva.get_by_role("heading", name="Ekonomidata från ekonomisystemet")
        ).to_be_visible()
        await expect(eva.get_by_role("link", name="Sammanställning")).to_be_visible()

        # Known to the IdP, no mapped role: a clear Swedish page and no session.
        olle = await sign_in("olle", "/")
        await expect(
            olle.get_by_role("heading", name="Du har ingen roll i årshjulet")
        ).to_be_visible()
        await expect(olle.locator("#problem")).to_contain_text("Olle Berg")
        await olle.screenshot(path=ARTIFACTS / "oidc-2-refused.png", full_page=True)
        names = [c["name"] for c in await olle.context.cookies()]
        assert "arshjul_session" not in names
        await browser.close()


async def test_login_links_can_be_switched_off(tmp_path: Path, smtp_sink: MailSink) -> None:
    from arshjul.calendar.loader import load_config
    from arshjul.settings import BUNDLED_CONFIG
    from arshjul.store.db import upgrade
    from arshjul.web.app import create_app
    from tests.web.conftest import LIMITS, make_settings

    config = load_config(BUNDLED_CONFIG)
    assert config.sign_in is not None
    only_idp = config.model_copy(
        update={"sign_in": config.sign_in.model_copy(update={"magic_links": False})}
    )
    settings = make_settings(tmp_path, smtp_sink).model_copy(
        update={"oidc_issuer": "http://127.0.0.1:9", "oidc_client_id": "arshjul"}
    )
    upgrade(settings.database_url)
    app = create_app(settings, config=only_idp, limits=LIMITS)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url=settings.base_url) as http:
        page = await http.get("/login")
        assert "Logga in med kommunens konto" in page.text
        assert "Skicka inloggningslänk" not in page.text
        seed = http.cookies["arshjul_csrf"]  # the page has no form: sign the seed as a form would
        csrf = hmac.new(settings.secret_key.encode(), f"csrf:{seed}".encode(), "sha256")
        asked = await http.post(
            "/login", data={"csrf": csrf.hexdigest(), "email": "eva.ekstrom@example.org"}
        )
        assert asked.status_code == 403
        assert smtp_sink.messages == []
        # The same request is fine where links are on: the 403 was the switch, not the token.
        with_links = create_app(settings, config=config, limits=LIMITS)
        other = httpx.AsyncClient(
            transport=httpx.ASGITransport(app=with_links),
            base_url=settings.base_url,
            cookies=http.cookies,
        )
        async with other:
            form = {"csrf": csrf.hexdigest(), "email": "eva.ekstrom@example.org"}
            assert (await other.post("/login", data=form)).status_code == 200
        assert (await http.get("/login/" + "A" * 43)).status_code == 403
        # The IdP does not answer: a clear page, not an error trace.
        down = await http.get("/oidc/login")
        assert down.status_code == 503
        assert "Kommunens inloggning svarar inte" in down.text
