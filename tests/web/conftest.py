"""Web fixtures: the app over a migrated SQLite store, a time-skipping Temporal server with a worker
running the real ReportRoundWorkflow and activities, mail into a real SMTP sink, and helpers that
act like the people (read a mail, follow its link, fill in a form)."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import re
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest
from sqlalchemy.orm import Session, sessionmaker
from temporalio.client import Client, WorkflowHandle
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.testing import WorkflowEnvironment

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.loader import load_config
from arshjul.models.rounds import (
    QUERY_STATUS,
    ROUND_WORKFLOW,
    CommitteeSpec,
    Recipient,
    ReviewSpec,
    RoundSpec,
    RoundStatus,
)
from arshjul.notifications.sender import SmtpSender
from arshjul.settings import BUNDLED_CONFIG, Settings
from arshjul.store.db import make_engine, make_session_maker, upgrade
from arshjul.store.repositories import RoundRepository
from arshjul.web.app import create_app
from arshjul.web.core.deps import Limits
from arshjul.worker import build_worker
from tests.conftest import TEST_SERVER, MailSink, monthly_round

BASE = "http://testserver"
STOCKHOLM = ZoneInfo("Europe/Stockholm")
CHEF = "per.sandberg@example.org"  # Barn- och utbildningsförvaltningen in the bundled config
KSAU_MEMBER = "ingrid.falk@example.org"
KSAU_SECRETARY = "sofia.lund@example.org"  # records KSAU's decisions
EKONOMICHEF = "eva.ekstrom@example.org"
HR_CHEF = "helena.rask@example.org"  # in the configuration, but no KSAU member
LIMITS = Limits(
    max_attachment_bytes=64 * 1024,
    max_request_bytes=512 * 1024,
    max_form_bytes=512 * 1024,
    login_links_per_window=3,
    login_requests_per_client=12,
    temporal_timeout_seconds=5.0,
)
# A månadsrapport on budget (no measures needed): the shortest valid submission.
ON_BUDGET = {
    "action": "submit",
    "economic.budget_tkr": "100",
    "economic.utfall_tkr": "60",
    "economic.forecast_tkr": "100",
    "economic.analysis": "Enligt budget.",
}
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def today() -> dt.date:
    """Returns today's date in Stockholm (the time-skipping server starts at the real time)."""
    return dt.datetime.now(STOCKHOLM).date()


def round_spec(
    config: ArshjulConfig, unit_id: str = "bun", period: str = "2026-10", meeting_in_days: int = 14
) -> RoundSpec:
    """A månadsrapport round that opened yesterday, due in ten days, reviewed by KSAU.

    A submission today goes on the KSAU meeting in `meeting_in_days` days; a referral goes to KS a
    week later. With 0 both meet today, so the pages can record decisions (only allowed from the
    meeting day) while the app's wall clock and the time-skipping server agree.
    """
    t = today()
    ks_in_days = meeting_in_days + 7 if meeting_in_days else 0
    ksau, ks = config.committee("ksau"), config.committee("ks")
    members = [Recipient(name=p.name, email=p.email) for p in ksau.members]
    return monthly_round(
        config,
        unit_id,
        period=period,
        period_end=dt.date(2026, 10, 31),
        opens=t - dt.timedelta(days=1),
        due=t + dt.timedelta(days=10),
        reminders_working_days_before_due=[],
        measures_threshold_tkr=0,
        review=ReviewSpec(
            committee=CommitteeSpec(
                id=ksau.id,
                name=ksau.name,
                members=members,
                meetings=[t + dt.timedelta(days=meeting_in_days), t + dt.timedelta(days=35)],
            ),
            min_days_before_meeting=min(7, meeting_in_days),
            refers_to=CommitteeSpec(
                id=ks.id, name=ks.name, meetings=[t + dt.timedelta(days=ks_in_days)]
            ),
        ),
    )


def csrf_of(html: str) -> str:
    """Returns the CSRF token of the first form on a page."""
    found = _CSRF.search(html)
    assert found, "page has no form with a CSRF token"
    return found.group(1)


def body_of(message: Any) -> str:
    """Returns the text part of a mail."""
    part = message.get_body(preferencelist=("plain",))
    return str(part.get_content())


@dataclass
class WebRig:
    """The app, its HTTP client, the store, the Temporal client and the mail sink together."""

    http: httpx.AsyncClient
    app: Any
    client: Client
    sessions: sessionmaker[Session]
    settings: Settings
    config: ArshjulConfig
    sink: MailSink
    task_queue: str
    env: WorkflowEnvironment | None = None  # the time-skipping server, to skip time on purpose

    async def start_round(self, spec: RoundSpec) -> WorkflowHandle[Any, Any]:
        """Starts a real round and waits for its request mail."""
        handle = await self.client.start_workflow(
            ROUND_WORKFLOW, spec, id=spec.workflow_id, task_queue=self.task_queue
        )
        await self.wait_for_state(spec.workflow_id, lambda s: len(s.history) >= 1)
        return handle

    async def open_round(self, meeting_in_days: int = 14) -> tuple[RoundSpec, str]:
        """Starts the standard round and returns it with the submission link from its mail."""
        spec = round_spec(self.config, meeting_in_days=meeting_in_days)
        await self.start_round(spec)
        return spec, await self.link_from_mail(CHEF, "s")

    async def status(self, workflow_id: str) -> RoundStatus:
        """Asks the round for its status."""
        handle = self.client.get_workflow_handle(workflow_id)
        return await handle.query(QUERY_STATUS, result_type=RoundStatus)

    async def wait_for_state(self, workflow_id: str, ok: Any, rounds: int = 400) -> RoundStatus:
        """Polls the round until `ok(status)` and the SQL mirror (written by an activity, a moment
        later) shows the same state, as the agenda and overview pages read the mirror."""
        mirrored = None
        for _ in range(rounds):
            status = await self.status(workflow_id)
            if ok(status):
                with self.sessions() as session:
                    row = RoundRepository(session).get(workflow_id=workflow_id)
                    if row is not None and row.state == status.state:
                        return status
                    mirrored = row.state if row is not None else None
            await asyncio.sleep(0.05)
        raise AssertionError(
            f"round never reached the expected state; last: {status.state}, mirror {mirrored}"
        )

    async def wait_for_mail(self, to: str, containing: str, start: int = 0) -> Any:
        """Waits for a mail to `to` whose text contains `containing`; returns it."""
        for _ in range(400):
            for message in self.sink.messages[start:]:
                if to in str(message["To"]) and containing in body_of(message):
                    return message
            await asyncio.sleep(0.05)
        raise AssertionError(f"no mail to {to} containing {containing!r}")

    async def link_from_mail(self, to: str, kind: str, start: int = 0) -> str:
        """Returns the path of the first /s/ or /login/ link mailed to `to`."""
        base = self.settings.base_url
        message = await self.wait_for_mail(to, f"{base}/{kind}/", start)
        found = re.search(
            rf"{re.escape(base)}(/{kind}/[A-Za-z0-9_\-]+(\?[^\s]*)?)", body_of(message)
        )
        assert found
        return found.group(1)

    def to_maildir(self) -> None:
        """Writes the mails received so far where /dev/mail reads them (as `up`'s sink does)."""
        from arshjul.runtime.maildir import store_mail

        assert self.settings.dev_maildir is not None
        self.settings.dev_maildir.mkdir(parents=True, exist_ok=True)
        for message in self.sink.messages:
            store_mail(self.settings.dev_maildir, message.as_bytes())

    async def login(self, email: str, http: httpx.AsyncClient | None = None) -> httpx.AsyncClient:
        """Logs a person in by magic link, read from the sink, on a client of their own."""
        http = http or httpx.AsyncClient(
            transport=httpx.ASGITransport(app=self.app), base_url=self.settings.base_url
        )
        start = len(self.sink.messages)
        page = await http.get("/login")
        answer = await http.post("/login", data={"csrf": csrf_of(page.text), "email": email})
        assert answer.status_code == 200, answer.text
        link = await self.link_from_mail(email, "login", start)
        confirm = await http.get(link)
        assert confirm.status_code == 200
        done = await http.post(
            link.split("?")[0], data={"csrf": csrf_of(confirm.text), "next": "/"}
        )
        assert done.status_code == 303
        return http


def make_settings(
    tmp_path: Path, sink: MailSink, base_url: str = BASE, database_url: str | None = None
) -> Settings:
    """Settings for a test app: its own SQLite file (or the database given), the sink as SMTP."""
    return Settings(
        DATABASE_URL=database_url or f"sqlite:///{tmp_path / 'web.sqlite'}",
        SECRET_KEY="test-secret-" + "x" * 20,
        BASE_URL=base_url,
        SMTP_HOST="127.0.0.1",
        SMTP_PORT=sink.port,
        MAIL_FROM="Årshjulet <arshjul@example.org>",
        ARSHJUL_CONFIG=BUNDLED_CONFIG,
        TEMPORAL_TASK_QUEUE=f"web-{uuid.uuid4().hex[:8]}",
    )


@contextlib.asynccontextmanager
async def open_rig(
    tmp_path: Path,
    sink: MailSink,
    base_url: str = BASE,
    config: ArshjulConfig | None = None,
    dev_mail: bool = False,
    database_url: str | None = None,
) -> AsyncIterator[WebRig]:
    """A fresh time-skipping server and worker (a round left behind would block time skipping).

    With `dev_mail`, the app shows /dev/mail over `tmp_path/mail` (see `WebRig.to_maildir`).
    """
    settings = make_settings(tmp_path, sink, base_url, database_url)
    if dev_mail:
        settings = settings.model_copy(update={"dev_maildir": tmp_path / "mail"})
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    sessions = make_session_maker(engine)
    config = config or load_config(BUNDLED_CONFIG)
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(TEST_SERVER), data_converter=pydantic_data_converter
    )
    try:
        async with env:
            worker = build_worker(
                env.client, settings, sessions, SmtpSender.from_settings(settings), config
            )
            async with worker:
                app = create_app(
                    settings,
                    temporal_client=env.client,
                    session_maker=sessions,
                    config=config,
                    limits=LIMITS,
                )
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url=base_url) as http:
                    yield WebRig(
                        http=http,
                        app=app,
                        client=env.client,
                        sessions=sessions,
                        settings=settings,
                        config=config,
                        sink=sink,
                        task_queue=settings.temporal_task_queue,
                        env=env,
                    )
    finally:
        engine.dispose()


@pytest.fixture
async def web(tmp_path: Path, smtp_sink: MailSink) -> AsyncIterator[WebRig]:
    """The app with a worker behind it, reached through httpx's ASGI transport."""
    async with open_rig(tmp_path, smtp_sink) as rig:
        yield rig


CHROMIUM = "/usr/bin/chromium"
BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class JourneyBrowser:
    """The session's chromium as one journey sees it: `close()` closes only the journey's own
    contexts (each a fresh profile: no cookie or storage passes between journeys)."""

    def __init__(self, browser: Any) -> None:
        self._browser = browser
        self._contexts: list[Any] = []

    async def new_context(self, **options: Any) -> Any:
        """Opens a fresh browser context (as Playwright's `Browser.new_context`)."""
        context = await self._browser.new_context(**options)
        self._contexts.append(context)
        return context

    async def new_page(self, **options: Any) -> Any:
        """Opens a page in a fresh context of its own (as Playwright's `Browser.new_page`)."""
        return await (await self.new_context(**options)).new_page()

    async def close(self) -> None:
        """Closes the journey's contexts; the browser stays for the next journey."""
        contexts, self._contexts = self._contexts, []
        for context in contexts:
            with contextlib.suppress(Exception):  # already gone with a crashed page
                await context.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._browser, name)


class _Chromium:
    # Launching Playwright's driver and chromium costs a second or two; once per session (per
    # xdist worker) instead of once per journey. All tests share the session's event loop.
    def __init__(self) -> None:
        self._playwright: Any = None
        self._browser: Any = None

    async def browser(self) -> Any:
        if self._browser is None or not self._browser.is_connected():
            from playwright.async_api import async_playwright

            if self._playwright is None:
                self._playwright = await async_playwright().start()
            self._browser = await self._playwright.chromium.launch(
                executable_path=CHROMIUM, args=BROWSER_ARGS
            )
        return self._browser

    async def close(self) -> None:
        if self._browser is not None:
            with contextlib.suppress(Exception):
                await self._browser.close()
        if self._playwright is not None:
            await self._playwright.stop()
        self._browser = self._playwright = None


_CHROMIUM = _Chromium()


@contextlib.asynccontextmanager
async def chromium() -> AsyncIterator[JourneyBrowser]:
    """Debian's chromium for one journey: launched once per session, the journey's contexts
    closed at its end (replaces `async_playwright()` + `chromium.launch(...)`)."""
    journey = JourneyBrowser(await _CHROMIUM.browser())
    try:
        yield journey
    finally:
        await journey.close()


@pytest.fixture(scope="session", autouse=True)
async def _chromium_closed() -> AsyncIterator[None]:
    """Closes the session's chromium, if a journey started it, when the session ends."""
    yield
    await _CHROMIUM.close()


@pytest.fixture
async def browser() -> AsyncIterator[JourneyBrowser]:
    """The session's chromium for this test (see `chromium`)."""
    async with chromium() as journey:
        yield journey


async def fill_economy(page: Any, budget: str, utfall: str, forecast: str, analysis: str) -> None:
    """Types the månadsrapport's economic figures and analysis into the form, as a chef does."""
    await page.get_by_label("Budget (tkr)").fill(budget)
    await page.get_by_label("Utfall hittills (tkr)").fill(utfall)
    await page.get_by_label("Helårsprognos (tkr)").fill(forecast)
    await page.get_by_label("Analys").fill(analysis)


@contextlib.asynccontextmanager
async def served_rig(
    tmp_path: Path, sink: MailSink, config: ArshjulConfig | None = None, dev_mail: bool = True
) -> AsyncIterator[WebRig]:
    """The rig with its app served by uvicorn on a free port, in this event loop (browsers);
    /dev/mail shows the mails written with `WebRig.to_maildir`."""
    import uvicorn

    from tests.conftest import free_port

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    async with open_rig(tmp_path, sink, base, config=config, dev_mail=dev_mail) as rig:
        server = uvicorn.Server(
            uvicorn.Config(
                rig.app, host="127.0.0.1", port=port, log_level="warning", lifespan="off"
            )
        )
        task = asyncio.create_task(server.serve())
        while not server.started:
            await asyncio.sleep(0.02)
        try:
            yield rig
        finally:
            server.should_exit = True
            await task
