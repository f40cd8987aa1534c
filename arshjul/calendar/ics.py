"""iCalendar (RFC 5545) export of calendar entries: all-day events with stable UIDs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from icalendar import Alarm, Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard

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


def _transitions(zone: ZoneInfo, year: int) -> list[tuple[dt.datetime, dt.timedelta, dt.timedelta]]:
    # (UTC instant, offset before, offset after) of each change of the zone's offset in a year.
    found = []
    day = dt.datetime(year, 1, 1, tzinfo=dt.UTC)
    before = day.astimezone(zone).utcoffset() or dt.timedelta(0)
    while day.year == year:
        after = (day + dt.timedelta(days=1)).astimezone(zone).utcoffset() or dt.timedelta(0)
        if after != before:
            hour = next(
                day + dt.timedelta(hours=h)
                for h in range(1, 25)
                if (day + dt.timedelta(hours=h)).astimezone(zone).utcoffset() == after
            )
            found.append((hour, before, after))
            before = after
        day += dt.timedelta(days=1)
    return found


def _vtimezone(name: str, years: set[int]) -> Timezone:
    # Every change of offset as its own dated sub-component, no RDATE lists: parsers that read
    # icalendar's generated VTIMEZONE wrongly (vobject put summer meetings an hour off) read this.
    zone = ZoneInfo(name)
    tz = Timezone()
    tz.add("tzid", name)
    first = dt.datetime(min(years), 1, 1, tzinfo=dt.UTC)
    offset = first.astimezone(zone).utcoffset() or dt.timedelta(0)
    changes = [t for y in sorted(years) for t in _transitions(zone, y)]
    if not changes:
        changes = [(first, offset, offset)]
    for at, before, after in changes:
        part = TimezoneDaylight() if after > before else TimezoneStandard()
        part.add("dtstart", (at + before).replace(tzinfo=None))  # local time before the change
        part.add("tzoffsetfrom", before)
        part.add("tzoffsetto", after)
        part.add("tzname", (at + dt.timedelta(seconds=1)).astimezone(zone).tzname() or name)
        tz.add_component(part)
    return tz


def to_ics(
    entries: Iterable[CalendarEntry],
    *,
    org_name: str,
    calendar_name: str,
    stamp: dt.datetime | None = None,
    timezone: str = "Europe/Stockholm",
    alarm_time: dt.time = dt.time(8, 0),
) -> bytes:
    """Returns an iCalendar file, one all-day event per entry (stable UID: re-import updates);
    a deadline's reminders are alarms on its event at `alarm_time`, counted from its start, so
    they move with it."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", calendar_name)
    cal.add("x-wr-caldesc", f"Årshjul för {org_name}")
    cal.add("x-wr-timezone", timezone)
    zone = ZoneInfo(timezone)
    entries = list(entries)
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
        for day in entry.reminders:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", f"Påminnelse: {entry.title}")
            at = dt.datetime.combine(day, alarm_time) - dt.datetime.combine(entry.date, dt.time())
            alarm.add("trigger", at)
            event.add_component(alarm)
        cal.add_component(event)
    timed = {e.date.year for e in entries if e.time is not None}
    if timed:
        cal.subcomponents.insert(
            0, _vtimezone(timezone, {y + d for y in timed for d in (-1, 0, 1)})
        )
    return cal.to_ical()
