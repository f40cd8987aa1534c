"""iCalendar (RFC 5545) export of calendar entries: all-day events with stable UIDs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event

from arshjul.calendar.expand import CalendarEntry

PRODID = "-//arshjul//årshjul//SV"
# DTSTAMP is required; the caller passes when the data last changed, so the export stays a pure
# function of its input (the fixed default serves exports of the configuration alone).
DEFAULT_STAMP = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
_CATEGORY = {
    "opens": "Öppnar",
    "due": "Sista dag",
    "reminder": "Påminnelse",
    "meeting": "Sammanträde",
    "milestone": "Milstolpe",
}


def to_ics(
    entries: Iterable[CalendarEntry],
    *,
    org_name: str,
    calendar_name: str,
    stamp: dt.datetime | None = None,
    timezone: str = "Europe/Stockholm",
) -> bytes:
    """Returns an iCalendar file, one all-day event per entry (stable UID: re-import updates)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", calendar_name)
    cal.add("x-wr-caldesc", f"Årshjul för {org_name}")
    cal.add("x-wr-timezone", timezone)
    zone = ZoneInfo(timezone)
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp or DEFAULT_STAMP)
        if entry.time is not None:
            # A meeting with a time is a timed event in local time; its end is not known.
            event.add("dtstart", dt.datetime.combine(entry.date, entry.time, tzinfo=zone))
        else:
            event.add("dtstart", entry.date)
            event.add("dtend", entry.date + dt.timedelta(days=1))
        if entry.place:
            event.add("location", entry.place)
        event.add("summary", entry.title)
        event.add("description", entry.description)
        event.add("sequence", entry.sequence)
        if entry.modified is not None:
            event.add("last-modified", entry.modified)
        if entry.url:
            event.add("url", entry.url)
        event.add("categories", [_CATEGORY[entry.kind]])
        # Deadlines are markers, not busy time: they must not block anyone's free/busy.
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    cal.add_missing_timezones()
    return cal.to_ical()
