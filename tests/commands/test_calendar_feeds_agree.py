"""`arshjul calendar ics` and the web's feeds are one calendar: after an extension and after a
changed configuration they show the same events (read with two iCalendar parsers, icalendar and
vobject), keep every UID, raise the SEQUENCE of what moved, move its reminders and say the new
date. Expected values are worked out by hand from the Swedish calendar below, not by the code."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import vobject
from icalendar import Calendar
from typer.testing import CliRunner

from arshjul.calendar.loader import load_config
from arshjul.cli import app
from arshjul.settings import Settings, get_settings
from arshjul.store.db import make_engine, make_session_maker, upgrade
from arshjul.store.models import Round
from arshjul.web.app import create_app

HEDEMORA = Path(__file__).parents[2] / "arshjul" / "calendar" / "examples" / "hedemora.yaml"
ORG = "hedemora.arshjul"
# Månadsrapport September 2026, due 10 working days after Wednesday 30 September: Wednesday 14
# October; Socialförvaltningen's is extended to Friday 23 October.
PLANNED, EXTENDED = dt.date(2026, 10, 14), dt.date(2026, 10, 23)
SOF_SEPTEMBER = f"due/manadsrapport/2026-09/sof@{ORG}"
SEPTEMBER = f"due/manadsrapport/2026-09@{ORG}"
OCTOBER = f"due/manadsrapport/2026-10@{ORG}"
KSAU_OCTOBER_2 = f"meeting/ksau/2026-10/2@{ORG}"  # KSAU's second October meeting
H8 = dt.timedelta(hours=8)  # reminders go out at the organisation's send time, 08:00

Event = dict[str, Any]


def _icalendar(data: bytes) -> dict[str, Event]:
    found = {}
    for e in Calendar.from_ical(data).walk("VEVENT"):
        found[str(e["UID"])] = {
            "start": e.decoded("DTSTART"),
            "summary": str(e["SUMMARY"]),
            "description": str(e["DESCRIPTION"]),
            "sequence": int(e.decoded("SEQUENCE")),
            "alarms": sorted(a.decoded("TRIGGER") for a in e.walk("VALARM")),
        }
    return found


def _vobject(data: bytes) -> dict[str, Event]:
    found = {}
    for e in vobject.readOne(data.decode("utf-8")).vevent_list:
        start = e.dtstart.value
        found[e.uid.value] = {
            "start": start,
            "summary": e.summary.value,
            "description": e.description.value,
            "sequence": int(e.sequence.value),
            "alarms": sorted(a.trigger.value for a in getattr(e, "valarm_list", [])),
        }
    return found


def _events(data: bytes) -> dict[str, Event]:
    """The events as both parsers read them; they must read the same."""
    one, other = _icalendar(data), _vobject(data)
    assert one.keys() == other.keys()
    for uid, event in one.items():
        theirs = other[uid]
        if isinstance(event["start"], dt.datetime):  # compare instants: zone objects differ
            assert event["start"] == theirs["start"], uid
            event = event | {"start": event["start"].isoformat()}
            theirs = theirs | {"start": event["start"]}
        assert event == theirs, uid
    return one


def _in_2026(events: dict[str, Event]) -> dict[str, Event]:
    def day(e: Event) -> dt.date:
        start = e["start"]
        return start if not isinstance(start, dt.datetime) else start.date()

    return {uid: e for uid, e in events.items() if day(e).year == 2026}


class Both:
    """The web (over ASGI) and the command line on one store and one configuration file."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        self.tmp, self.monkeypatch = tmp_path, monkeypatch
        self.url = f"sqlite:///{tmp_path / 'store.sqlite'}"
        upgrade(self.url)
        self.sessions = make_session_maker(make_engine(self.url))
        self.config = tmp_path / "arshjul.yaml"
        self.config.write_text(HEDEMORA.read_text(encoding="utf-8"), encoding="utf-8")
        monkeypatch.setenv("DATABASE_URL", self.url)
        get_settings.cache_clear()
        # The web's feeds cover this year and next: this year is 2026 for the test.
        self.noon = dt.datetime(2026, 12, 7, 12, 0, tzinfo=dt.UTC)

    async def web(self, path: str) -> dict[str, Event]:
        settings = Settings(
            DATABASE_URL=self.url,
            SECRET_KEY="test-secret-" + "x" * 20,
            ARSHJUL_CONFIG=str(self.config),
        )
        web = create_app(
            settings,
            session_maker=self.sessions,
            config=load_config(self.config),
            clock=lambda: self.noon,
        )
        transport = httpx.ASGITransport(app=web)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
            response = await http.get(path)
        assert response.status_code == 200
        return _in_2026(_events(response.content))

    def cli(self, *unit: str) -> dict[str, Event]:
        out = self.tmp / "out.ics"
        args = ["calendar", "ics", "--year", "2026", "--config", str(self.config), "-o", str(out)]
        result = CliRunner().invoke(app, [*args, *unit])
        assert result.exit_code == 0, result.output
        return _events(out.read_bytes())

    async def agree(self) -> tuple[dict[str, Event], dict[str, Event]]:
        """Returns (all, sof) after checking the command line writes exactly the web's feeds."""
        shared, unit = await self.web("/calendar/all.ics"), await self.web("/calendar/sof.ics")
        assert self.cli() == shared
        assert self.cli("--unit", "sof") == unit
        # And again, in the other order: reading a calendar moves nothing.
        assert await self.web("/calendar/all.ics") == shared == self.cli()
        return shared, unit

    def extend(self, workflow: str, due: dt.date) -> None:
        """The round's mirror after the ekonomichef extended the deadline once."""
        at = dt.datetime(2026, 10, 12, 9, 0, tzinfo=dt.UTC)
        with self.sessions.begin() as session:
            session.add(
                Round(
                    workflow_id=workflow,
                    org_id="hedemora",
                    report_id="manadsrapport",
                    report_title="Månadsrapport",
                    period="2026-09",
                    unit_id="sof",
                    unit_name="Socialförvaltningen",
                    state="open",
                    opens=dt.date(2026, 10, 1),
                    due=due,
                    last_event="extended",
                    last_seq=3,
                    spec={},
                    updated_at=at,
                    due_sequence=1,
                    due_changed_at=at,
                )
            )


@pytest.fixture
def both(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Both]:
    yield Both(tmp_path, monkeypatch)
    get_settings.cache_clear()


async def test_cli_and_feed_agree_after_an_extension_and_a_configuration_change(
    both: Both,
) -> None:
    shared, unit = await both.agree()
    assert shared[SEPTEMBER]["start"] == PLANNED
    assert shared[SEPTEMBER]["sequence"] == 0
    assert SOF_SEPTEMBER not in shared  # one event for the ten units
    assert unit[SOF_SEPTEMBER]["start"] == PLANNED
    before_uids = set(shared)

    both.extend("round/hedemora/manadsrapport/2026-09/sof", EXTENDED)
    shared, unit = await both.agree()
    for events in (shared, unit):
        sof = events[SOF_SEPTEMBER]
        assert (sof["start"], sof["sequence"]) == (EXTENDED, 1)
        assert "23 oktober 2026" in sof["description"]
        assert "14 oktober 2026" in sof["description"]  # what it was moved from
        assert "10 arbetsdagar efter" not in sof["description"]  # no longer the rule's date
        # 3 and 1 working days before Friday 23 October: Tuesday 20 and Thursday 22, at 08:00.
        assert sof["alarms"] == [-dt.timedelta(days=3) + H8, -dt.timedelta(days=1) + H8]
    # The other nine units keep the report period's event, which changed: a higher SEQUENCE.
    rest = shared[SEPTEMBER]
    assert (rest["start"], rest["sequence"]) == (PLANNED, 1)
    assert rest["summary"].endswith("– 9 enheter")
    assert "Socialförvaltningen" not in rest["description"]
    # The unit's own reminder events moved too.
    reminders = {u: e["start"] for u, e in unit.items() if u.startswith("reminder-")}
    assert reminders[f"reminder-3/manadsrapport/2026-09/sof@{ORG}"] == dt.date(2026, 10, 20)
    assert reminders[f"reminder-1/manadsrapport/2026-09/sof@{ORG}"] == dt.date(2026, 10, 22)
    assert set(shared) == before_uids | {SOF_SEPTEMBER}
    assert shared[OCTOBER]["start"] == dt.date(2026, 11, 13)
    assert shared[KSAU_OCTOBER_2]["start"].date() == dt.date(2026, 10, 20)
    old_unit = set(unit)

    # The configuration changes: månadsrapporter due 12 working days after the period, and
    # KSAU's meeting of Tuesday 20 October moves to Wednesday 21 October.
    text = both.config.read_text(encoding="utf-8")
    text = text.replace(
        "due: {working_days_after_period_end: 10}", "due: {working_days_after_period_end: 12}", 1
    )
    text = text.replace("2026-10-06, 2026-10-20,", "2026-10-06, 2026-10-21,", 1)
    both.config.write_text(text, encoding="utf-8")
    shared, unit = await both.agree()
    assert set(shared) == before_uids | {SOF_SEPTEMBER}  # every event is still the same event
    assert set(unit) == old_unit
    meeting = shared[KSAU_OCTOBER_2]
    assert (meeting["start"].date(), meeting["sequence"]) == (dt.date(2026, 10, 21), 1)
    # October: 12 working days after Saturday 31 October is Tuesday 17 November (was Friday 13).
    october = shared[OCTOBER]
    assert (october["start"], october["sequence"]) == (dt.date(2026, 11, 17), 1)
    # Its reminders: Thursday 12 and Monday 16 November at 08:00.
    assert october["alarms"] == [-dt.timedelta(days=5) + H8, -dt.timedelta(days=1) + H8]
    mine = unit[f"due/manadsrapport/2026-10/sof@{ORG}"]
    assert (mine["start"], mine["sequence"]) == (dt.date(2026, 11, 17), 1)
    assert "12 arbetsdagar efter" in mine["description"]
    # September's extended deadline stays where the round put it.
    assert (shared[SOF_SEPTEMBER]["start"], shared[SOF_SEPTEMBER]["sequence"]) == (EXTENDED, 1)
    # An event that did not move keeps SEQUENCE 0.
    assert shared[f"meeting/ksau/2026-10/1@{ORG}"]["sequence"] == 0
