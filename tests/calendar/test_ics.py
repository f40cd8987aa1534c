"""The iCalendar export parsed back: all-day events, Swedish text, UIDs stable across exports."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from icalendar import Calendar

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.expand import expand_year
from arshjul.calendar.ics import to_ics
from arshjul.calendar.loader import load_config_text
from tests.calendar.conftest import HEDEMORA

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _events(data: bytes) -> dict[str, dict]:
    cal = Calendar.from_ical(data)
    return {
        str(ev["UID"]): {
            "start": ev.decoded("DTSTART"),
            "end": ev.decoded("DTEND") if "DTEND" in ev else None,
            "location": str(ev.get("LOCATION", "")),
            "summary": str(ev["SUMMARY"]),
            "description": str(ev["DESCRIPTION"]),
        }
        for ev in cal.walk("VEVENT")
    }


def test_ics_round_trip(hedemora: ArshjulConfig) -> None:
    entries = expand_year(hedemora, 2026, unit="sof")
    data = to_ics(
        entries, org_name="Hedemora kommun", calendar_name="Årshjul 2026 – Socialförvaltningen"
    )
    cal = Calendar.from_ical(data)
    assert str(cal["X-WR-CALNAME"]) == "Årshjul 2026 – Socialförvaltningen"
    assert str(cal["VERSION"]) == "2.0"
    events = _events(data)
    assert len(events) == len(entries)
    for e in entries:
        ev = events[e.uid]
        assert ev["summary"] == e.title
        assert ev["description"] == e.description
        if e.time is not None:
            # A meeting with a time: a timed event in Swedish local time, at its place.
            assert ev["start"] == dt.datetime.combine(e.date, e.time, tzinfo=STOCKHOLM)
            assert ev["start"].utcoffset() == STOCKHOLM.utcoffset(ev["start"])
            assert ev["location"] == e.place
            continue
        # All-day: DTSTART is a date (not a datetime) and the event lasts exactly that day.
        assert type(ev["start"]) is dt.date
        assert ev["start"] == e.date
        assert ev["end"] == e.date + dt.timedelta(days=1)
        assert ev["summary"] == e.title
        assert ev["description"] == e.description
    ksau = events["meeting/ksau/2026-10/1@hedemora.arshjul"]  # its first October meeting
    assert ksau["start"] == dt.datetime(2026, 10, 6, 8, 30, tzinfo=STOCKHOLM)
    assert ksau["location"] == "Stadshuset, sammanträdesrum Gustav Vasa"
    assert "kl. 8.30" in ksau["description"]
    assert cal.walk("VTIMEZONE"), "a timed event needs its time zone in the file"
    due = events["due/manadsrapport/2026-02/sof@hedemora.arshjul"]
    assert due["summary"] == "Sista dag: Månadsrapport (februari 2026) – Socialförvaltningen"
    assert "10 arbetsdagar efter periodens slut" in due["description"]
    assert "Ansvarig: Maria Holm (Socialförvaltningen)" in due["description"]


def test_reexport_keeps_uids_so_a_reimport_updates(hedemora: ArshjulConfig) -> None:
    first, again = (
        _events(to_ics(expand_year(hedemora, 2026), org_name="H", calendar_name="H", stamp=stamp))
        for stamp in (
            dt.datetime(2026, 1, 5, tzinfo=dt.UTC),
            dt.datetime(2026, 11, 23, tzinfo=dt.UTC),
        )
    )
    assert first == again
    # A changed rule moves the event but keeps its UID: calendars update it instead of duplicating.
    text = HEDEMORA.read_text(encoding="utf-8").replace(
        "due: {working_days_after_period_end: 10}", "due: {working_days_after_period_end: 12}"
    )
    changed = _events(
        to_ics(expand_year(load_config_text(text), 2026), org_name="H", calendar_name="H")
    )
    assert set(changed) == set(first)
    uid = "due/manadsrapport/2026-02/sof@hedemora.arshjul"
    assert (first[uid]["start"], changed[uid]["start"]) == (
        dt.date(2026, 3, 13),
        dt.date(2026, 3, 17),
    )
