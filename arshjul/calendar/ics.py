"""iCalendar (RFC 5545) export of calendar entries: all-day events with stable UIDs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

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
) -> bytes:
    """Returns an iCalendar file, one all-day event per entry (stable UID: re-import updates)."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", calendar_name)
    cal.add("x-wr-caldesc", f"Årshjul för {org_name}")
    cal.add("x-wr-timezone", "Europe/Stockholm")
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp or DEFAULT_STAMP)
        event.add("dtstart", entry.date)
        event.add("dtend", entry.date + dt.timedelta(days=1))
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
    return cal.to_ical()
