"""The Sammanställning page through HTTP: the ekonomichef compiles and downloads; others may not."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import AsyncIterator

import docx
import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.demo import DEMO_REPORT_ID, demo_round
from arshjul.forms.content import Activity, ReportContent, Texts
from arshjul.models.rounds import RoundState
from arshjul.settings import Settings
from arshjul.store.repositories import CompilationRepository
from arshjul.web.app import create_app
from tests.compile import scenario as sc
from tests.compile.seed import Seeder
from tests.conftest import session_cookie

SECRET = "test-secret-for-compile"
EKONOMICHEF = "eva.ekstrom@example.org"
KSAU_MEMBER = "ingrid.falk@example.org"


def _login(client: httpx.AsyncClient, email: str) -> None:
    sessions = client._transport.app.state.web.session_maker  # type: ignore[attr-defined]
    client.cookies.set("arshjul_session", session_cookie(sessions, email))


async def _csrf(client: httpx.AsyncClient) -> str:
    page = await client.get("/sammanstallning")
    assert page.status_code == 200, page.text
    match = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert match
    return match[1]


@pytest.fixture
async def client(
    seeded_store: sessionmaker[Session], example_config: ArshjulConfig
) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings.model_validate({"SECRET_KEY": SECRET, "BASE_URL": "http://testserver"})
    app = create_app(settings, session_maker=seeded_store, config=example_config)
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
        yield c


async def test_ekonomichef_compiles_and_downloads_a_word_document(
    client: httpx.AsyncClient, seeded_store: sessionmaker[Session]
) -> None:
    _login(client, EKONOMICHEF)
    token = await _csrf(client)
    form = {"csrf": token, "report": "delarsrapport", "period": sc.PERIOD, "format": "docx"}
    posted = await client.post("/sammanstallning", data=form)
    assert posted.status_code == 303
    got = await client.get(posted.headers["location"])  # the document itself: a download
    listing = await client.get(f"/sammanstallning?report=delarsrapport&period={sc.PERIOD}")
    assert "utkast" in listing.text
    assert 'href="/sammanstallning">Sammanställning</a>' in listing.text  # in the menu
    link = re.search(r'href="(/sammanstallning/\d+)">Ladda ned', listing.text)
    assert link and link[1] == posted.headers["location"]
    assert '<td data-label="Av">Eva Ekström</td>' in listing.text  # a name, not an address
    assert got.status_code == 200
    assert "attachment" in got.headers["content-disposition"]
    word = docx.Document(io.BytesIO(got.content))
    total = next(t for t in word.tables if t.rows[-1].cells[0].text == "Totalt")
    assert total.rows[-1].cells[1].text == "1 008 000 tkr"
    with seeded_store() as session:
        stored = CompilationRepository(session).list(report_id="delarsrapport", period=sc.PERIOD)
        assert [c.created_by for c in stored] == [EKONOMICHEF]


async def test_bad_period_gets_a_swedish_message_and_stores_nothing(
    client: httpx.AsyncClient, seeded_store: sessionmaker[Session]
) -> None:
    _login(client, EKONOMICHEF)
    token = await _csrf(client)
    form = {"csrf": token, "report": "delarsrapport", "period": "2026-07", "format": "html"}
    posted = await client.post("/sammanstallning", data=form)
    assert posted.status_code == 400
    assert "Inget har sparats" in posted.text
    with seeded_store() as session:
        stored = CompilationRepository(session).list(report_id="delarsrapport", period="2026-07")
        assert stored == []


async def test_only_the_ekonomichef_may_compile(client: httpx.AsyncClient) -> None:
    anonymous = await client.get("/sammanstallning")
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    _login(client, KSAU_MEMBER)
    assert (await client.get("/sammanstallning")).status_code == 403
    assert (await client.get("/sammanstallning/1")).status_code == 403


async def test_form_without_csrf_token_is_refused(
    client: httpx.AsyncClient, seeded_store: sessionmaker[Session]
) -> None:
    _login(client, EKONOMICHEF)
    await _csrf(client)
    form = {"report": "delarsrapport", "period": sc.PERIOD, "format": "html"}
    assert (await client.post("/sammanstallning", data=form)).status_code == 403
    with seeded_store() as session:
        stored = CompilationRepository(session).list(report_id="delarsrapport", period=sc.PERIOD)
        assert stored == []


async def test_the_period_list_follows_the_chosen_report(client: httpx.AsyncClient) -> None:
    _login(client, EKONOMICHEF)
    first = await client.get("/sammanstallning")
    assert 'name="period"' not in first.text  # no period is offered before a report is chosen
    delar = await client.get("/sammanstallning?report=delarsrapport")
    periods = re.findall(r'<option value="(\d{4}-\d{2})"', delar.text)
    assert periods and {p[5:] for p in periods} == {"08"}
    monthly = await client.get("/sammanstallning?report=manadsrapport")
    months = {p[5:] for p in re.findall(r'<option value="(\d{4}-\d{2})"', monthly.text)}
    assert months == {"02", "03", "04", "05", "09", "10"}


async def test_an_empty_compilation_says_so(client: httpx.AsyncClient) -> None:
    _login(client, EKONOMICHEF)
    token = await _csrf(client)
    form = {"csrf": token, "report": "aktivitetsplaner", "period": "2026-10", "format": "html"}
    posted = await client.post("/sammanstallning", data=form)
    assert posted.status_code == 303
    document = await client.get(posted.headers["location"])  # opens on its first page
    assert "Inga underlag är inlämnade för nya aktivitetsplaner" in document.text
    listing = await client.get("/sammanstallning?report=aktivitetsplaner&period=2026-10")
    assert "inga underlag" in listing.text


async def test_the_demo_round_of_up_compiles_like_a_configured_report(
    client: httpx.AsyncClient, seeded_store: sessionmaker[Session], example_config: ArshjulConfig
) -> None:
    # `up` opened its demonstration, and the newcomer submitted it.
    spec = demo_round(example_config, dt.date(2026, 11, 30))
    content = ReportContent(
        activities=[Activity(title="Ny rekryteringsprocess", status="Pågående enligt plan")],
        texts=Texts(forvaltningsberattelse="Året har gått enligt plan."),
    )
    with seeded_store.begin() as session:
        seeder = Seeder(session, example_config)
        seeder.event(spec, 0, "request", RoundState.OPEN)
        sid = seeder.submit(spec, content)
        seeder.event(spec, 1, "submitted", RoundState.ON_AGENDA, sid)
    _login(client, EKONOMICHEF)
    chosen = await client.get(f"/sammanstallning?report={DEMO_REPORT_ID}")
    assert re.findall(r'<option value="(\d{4}-\d{2})"', chosen.text) == [spec.period]
    assert "Demonstration – uppsiktsrapport" in chosen.text
    token = await _csrf(client)
    form = {"csrf": token, "report": DEMO_REPORT_ID, "period": spec.period, "format": "html"}
    posted = await client.post("/sammanstallning", data=form)
    assert posted.status_code == 303, posted.text
    listing = await client.get(f"/sammanstallning?report={DEMO_REPORT_ID}&period={spec.period}")
    link = re.search(r'href="(/sammanstallning/\d+)">Öppna', listing.text)
    assert link and ">1 enhet, utkast</td>" in listing.text  # one unit: singular
    document = await client.get(posted.headers["location"])
    assert "Ny rekryteringsprocess" in document.text
    assert "Året har gått enligt plan." in document.text


async def test_compiling_opens_the_document_with_a_way_back(client: httpx.AsyncClient) -> None:
    _login(client, EKONOMICHEF)
    token = await _csrf(client)
    form = {"csrf": token, "report": "delarsrapport", "period": sc.PERIOD, "format": "html"}
    posted = await client.post("/sammanstallning", data=form)
    assert posted.status_code == 303
    assert re.fullmatch(r"/sammanstallning/\d+", posted.headers["location"])
    document = (await client.get(posted.headers["location"])).text
    assert "Status för underlagen" in document  # the compiled report, not the list
    back = f'href="/sammanstallning?report=delarsrapport&amp;period={sc.PERIOD}"'
    nav = document.split("<header")[1].split("</header>")[0]
    assert "<nav" in nav and back in nav and "Tillbaka till Sammanställning" in nav
    assert document.index("</header>") < document.index('<main id="main">')
    assert document.index("Status för underlagen") < document.index("</main>")
