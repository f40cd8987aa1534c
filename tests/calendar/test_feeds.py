"""Feeds: rounds' real deadlines laid over the plan, and a shared calendar's days kept readable."""

from __future__ import annotations

import base64
import datetime as dt
import re
from collections import Counter
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from icalendar import Calendar

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.expand import expand_year
from arshjul.calendar.feeds import LiveDeadline, for_role, grouped, with_rounds
from arshjul.calendar.ics import to_ics
from arshjul.models.rounds import deadline_uid
from arshjul.settings import BUNDLED_CONFIG, Settings
from arshjul.store.db import make_engine, make_session_maker, upgrade
from arshjul.web.app import create_app
from tests.conftest import session_cookie
from tests.web.conftest import csrf_of

MOVED_AT = dt.datetime(2026, 3, 10, 9, 30, tzinfo=dt.UTC)


def _live(unit: str, due: dt.date, sequence: int, **extra: object) -> LiveDeadline:
    values: dict[str, object] = {
        "uid": deadline_uid("hedemora", "manadsrapport", "2026-02", unit),
        "due": due,
        "sequence": sequence,
        "modified": MOVED_AT if sequence else None,
        "report": "manadsrapport",
        "report_title": "Månadsrapport",
        "period": "2026-02",
        "unit": unit,
        "unit_name": unit,
    }
    values.update(extra)
    return LiveDeadline.model_validate(values)


def test_a_moved_deadline_keeps_its_uid_with_a_higher_sequence(hedemora: ArshjulConfig) -> None:
    planned = expand_year(hedemora, 2026, unit="sof")
    moved = _live("sof", dt.date(2026, 3, 27), 2)
    entries = with_rounds(hedemora, planned, {moved.uid: moved}, [2026])
    events = {
        str(e["UID"]): e
        for e in Calendar.from_ical(to_ics(entries, org_name="H", calendar_name="H")).walk("VEVENT")
    }
    event = events[moved.uid]
    assert event.decoded("DTSTART") == dt.date(2026, 3, 27)
    assert event.decoded("SEQUENCE") == 2
    assert event.decoded("LAST-MODIFIED") == MOVED_AT
    # The reminders move with it: 3 and 1 working days before Friday 27 March.
    moved_reminders = sorted(
        e.date
        for e in entries
        if e.kind == "reminder" and e.period == "2026-02" and e.report == "manadsrapport"
    )
    assert moved_reminders == [dt.date(2026, 3, 24), dt.date(2026, 3, 26)]
    alarms = [a.decoded("TRIGGER") for a in event.walk("VALARM")]
    # 08:00 on Tuesday 24 and Thursday 26 March, counted from the start of Friday 27 March.
    assert alarms == [-dt.timedelta(days=3) + dt.timedelta(hours=8), -dt.timedelta(hours=16)]
    assert "27 mars 2026" in str(event["DESCRIPTION"])
    assert any(e.kind == "reminder" and e.period == "2026-03" for e in entries)


def test_cancelled_rounds_leave_and_follow_ups_join(hedemora: ArshjulConfig) -> None:
    planned = expand_year(hedemora, 2026, unit="sof")
    cancelled = _live("sof", dt.date(2026, 3, 13), 1, cancelled=True)
    followup = _live(
        "sof",
        dt.date(2026, 4, 20),
        0,
        uid=deadline_uid("hedemora", "atgardsplan", "2026-02", "sof"),
        report="atgardsplan",
        report_title="Åtgärdsplan",
        unit_name="Socialförvaltningen",
    )
    entries = with_rounds(
        hedemora, planned, {cancelled.uid: cancelled, followup.uid: followup}, [2026]
    )
    uids = {e.uid for e in entries}
    assert cancelled.uid not in uids
    [added] = [e for e in entries if e.uid == followup.uid]
    assert added.title == "Sista dag: Åtgärdsplan (februari 2026) – Socialförvaltningen"


def test_a_shared_day_holds_few_events(hedemora: ArshjulConfig) -> None:
    entries = [e for e in expand_year(hedemora, 2026) if e.kind != "reminder"]
    before = Counter(e.date for e in entries).most_common(1)[0][1]
    after_entries = grouped(entries, "hedemora")
    after = Counter(e.date for e in after_entries).most_common(1)[0][1]
    assert before >= 10 and after <= 4
    uid = "due/manadsrapport/2026-02@hedemora.arshjul"
    [due] = [e for e in after_entries if e.uid == uid]
    assert due.title == "Sista dag: Månadsrapport (februari 2026) – 10 enheter"
    assert "Socialförvaltningen" in due.description and "Hedemora Energi AB" in due.description
    assert len({e.uid for e in after_entries}) == len(after_entries)


def test_a_role_and_a_committee_see_what_they_follow(hedemora: ArshjulConfig) -> None:
    entries = expand_year(hedemora, 2026)
    ksau = for_role(hedemora, entries, "ksau")
    assert {"meeting", "due"} <= {e.kind for e in ksau} <= {"meeting", "due", "milestone"}
    assert all(e.committee == "ksau" for e in ksau if e.kind == "meeting")
    hr = for_role(hedemora, entries, "hr-chef")
    owner = for_role(hedemora, entries, "ekonomichef")
    assert len(hr) < len(owner)
    assert {e.report for e in owner if e.report} >= {"manadsrapport", "delarsrapport"}


# --- a person's own feed over HTTP: a random address the person can replace -----------------


@pytest.fixture
async def feed_app(tmp_path: Path, hedemora: ArshjulConfig) -> AsyncIterator[Any]:
    """The web app over a migrated store, without Temporal (the feeds need none)."""
    settings = Settings(
        DATABASE_URL=f"sqlite:///{tmp_path / 'feeds.sqlite'}",
        SECRET_KEY="test-secret-" + "x" * 20,
        BASE_URL="http://testserver",
        ARSHJUL_CONFIG=BUNDLED_CONFIG,
    )
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    try:
        yield create_app(settings, session_maker=make_session_maker(engine), config=hedemora)
    finally:
        engine.dispose()


def _browser(app: Any, email: str | None = None) -> httpx.AsyncClient:
    http = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")
    if email:
        http.cookies.set("arshjul_session", session_cookie(app.state.web.session_maker, email))
    return http


def _my_feed(page: str) -> str:
    found = re.search(
        r'value="http://testserver(/calendar/person/[^"]+)" aria-labelledby="feed-mine-label"', page
    )
    assert found, "the page shows no personal feed"
    return found.group(1)


def _events(ics: bytes) -> list[tuple[str, str]]:
    return sorted(
        (str(e["UID"]), str(e["SUMMARY"])) for e in Calendar.from_ical(ics).walk("VEVENT")
    )


async def test_a_replaced_feed_address_stops_and_the_new_one_serves_the_calendar(
    feed_app: Any,
) -> None:
    ksau_member = "ingrid.falk@example.org"
    async with _browser(feed_app, ksau_member) as person, _browser(feed_app) as calendar:
        page = (await person.get("/kalender")).text
        old = _my_feed(page)
        token = old.removeprefix("/calendar/person/").removesuffix(".ics")
        assert ksau_member not in base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)).decode(
            "latin-1"
        )
        assert _my_feed((await person.get("/kalender")).text) == old  # the same on every visit
        served = await calendar.get(old)
        assert served.status_code == 200
        before = _events(served.content)
        assert before

        replaced = await person.post("/kalender/ny-adress", data={"csrf": csrf_of(page)})
        assert replaced.status_code == 303
        page = (await person.get(replaced.headers["location"])).text
        assert "Du har fått en ny adress" in page
        new = _my_feed(page)
        assert new != old

        gone = await calendar.get(old)
        assert gone.status_code == 410
        assert "/kalender" in gone.text and "din nya adress" in gone.text
        again = await calendar.get(new)
        assert again.status_code == 200
        assert _events(again.content) == before
        assert (await calendar.get("/calendar/person/" + "A" * 43 + ".ics")).status_code == 404


async def test_the_old_signed_addresses_say_where_the_new_one_is(feed_app: Any) -> None:
    from itsdangerous import URLSafeSerializer

    key = feed_app.state.web.settings.secret_key
    legacy = URLSafeSerializer(key, salt="calendar-person").dumps("ingrid.falk@example.org")
    async with _browser(feed_app) as calendar:
        answer = await calendar.get(f"/calendar/person/{legacy}.ics")
        forged = await calendar.get("/calendar/person/Imxhcm1AZXhhbXBsZS5vcmci.forged.ics")
    assert answer.status_code == 410
    assert "Kalenderns adress har bytts" in answer.text
    assert "Logga in" in answer.text and "/kalender" in answer.text
    assert forged.status_code == 404


async def test_replacing_needs_a_login_and_the_form_token(feed_app: Any) -> None:
    async with _browser(feed_app) as anonymous, _browser(feed_app, "eva.ekstrom@example.org") as p:
        page = (await p.get("/kalender")).text
        mine = _my_feed(page)
        assert (
            await anonymous.post("/kalender/ny-adress", data={"csrf": csrf_of(page)})
        ).status_code in (401, 403)
        assert (await p.post("/kalender/ny-adress", data={"csrf": "forged"})).status_code == 403
        assert _my_feed((await p.get("/kalender")).text) == mine
