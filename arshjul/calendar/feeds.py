"""What a subscribed calendar shows: the planned årshjul with the rounds' real deadlines laid over
it (moved, cancelled, follow-ups), and days grouped so a shared calendar stays readable.

Pure: the web passes the rounds' deadlines as data (from the store mirror).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping

from pydantic import BaseModel

from arshjul.calendar.chains import reviews_of
from arshjul.calendar.config import UNIT_COMMITTEE, ArshjulConfig
from arshjul.calendar.expand import (
    CalendarEntry,
    entry_text,
    expand_year,
    reminder_sv,
    responsible_sv,
)
from arshjul.calendar.schedule import reminder_days
from arshjul.calendar.workdays import WorkingDays
from arshjul.swedish import date_sv, month_sv


class LiveDeadline(BaseModel):
    """A running or finished round's deadline as the store mirror has it."""

    uid: str
    due: dt.date
    sequence: int = 0
    modified: dt.datetime | None = None
    cancelled: bool = False
    report: str
    report_title: str
    period: str
    unit: str
    unit_name: str


def _moved(config: ArshjulConfig, entry: CalendarEntry, d: LiveDeadline) -> CalendarEntry:
    # The event's text and its reminders follow the date the round has now.
    update: dict[str, object] = {"sequence": d.sequence, "modified": d.modified}
    if d.due != entry.date and entry.report is not None and entry.unit is not None:
        report = config.report(entry.report)
        sentence = f"Sista dag {date_sv(d.due)} (flyttad från {date_sv(entry.date)})."
        responsible = responsible_sv(config, report, entry.unit)
        update |= {
            "date": d.due,
            "planned": entry.date,
            "description": entry_text(report, sentence, responsible),
            "reminders": reminder_days(
                d.due,
                report.reminders_working_days_before_due,
                WorkingDays(config.working_days.non_working_eves),
            ),
        }
    return entry.model_copy(update=update)


def _reminder(config: ArshjulConfig, entry: CalendarEntry, d: LiveDeadline) -> CalendarEntry:
    # "reminder-5/…": five working days before the deadline, wherever the deadline is now.
    n = int(entry.uid.split("/", 1)[0].removeprefix("reminder-"))
    day = WorkingDays(config.working_days.non_working_eves).add(d.due, -n)
    text = entry.description.replace(reminder_sv(n, entry.planned or entry.date), "")
    return entry.model_copy(
        update={
            "date": day,
            "planned": entry.date,
            "sequence": d.sequence,
            "modified": d.modified,
            "description": " ".join(t for t in (text.strip(), reminder_sv(n, d.due)) if t),
        }
    )


def with_rounds(
    config: ArshjulConfig,
    entries: Iterable[CalendarEntry],
    live: Mapping[str, LiveDeadline],
    years: Iterable[int],
) -> list[CalendarEntry]:
    """Moves planned deadlines, their reminders and texts to where their rounds put them, drops
    cancelled ones, and adds deadlines the plan does not know (follow-up rounds)."""
    result: list[CalendarEntry] = []
    by_key: dict[tuple[str | None, ...], LiveDeadline] = {
        (d.report, d.period, d.unit): d for d in live.values()
    }
    seen: set[str] = set()
    wanted = set(years)
    for entry in entries:
        key = (entry.report, entry.period, entry.unit)
        deadline = by_key.get(key)
        if entry.kind == "reminder" and deadline is not None and deadline.sequence > 0:
            if not deadline.cancelled:
                moved = _reminder(config, entry, deadline)
                if moved.date.year in wanted:
                    result.append(moved)
            continue
        deadline = live.get(entry.uid) if entry.kind == "due" else None
        if deadline is None:
            result.append(entry)
            continue
        seen.add(entry.uid)
        if not deadline.cancelled:
            result.append(_moved(config, entry, deadline))
    for d in live.values():
        if d.uid in seen or d.cancelled or d.due.year not in wanted:
            continue
        result.append(
            CalendarEntry(
                date=d.due,
                kind="due",
                title=f"Sista dag: {d.report_title} ({month_sv(d.period)}) – {d.unit_name}",
                report=d.report,
                period=d.period,
                unit=d.unit,
                description=f"{d.unit_name} lämnar {d.report_title} senast {date_sv(d.due)}.",
                uid=d.uid,
                sequence=d.sequence,
                modified=d.modified,
            )
        )
    return sorted(result, key=lambda e: (e.date, e.kind, e.report or "", e.unit or "", e.uid))


def grouped(entries: Iterable[CalendarEntry], org_id: str) -> list[CalendarEntry]:
    """Joins the units' entries of one report, period, kind and day into one event listing the
    units, so a day holds a few events instead of one per unit.

    The joined event's UID names the report, period and kind, never a day: the day most units
    share (the plan's) is that event; a unit on another day (an extension) keeps its own event.
    """
    groups: dict[tuple[dt.date, str, str, str], list[CalendarEntry]] = defaultdict(list)
    result: list[CalendarEntry] = []
    for entry in entries:
        if entry.unit is None or entry.report is None or entry.period is None:
            result.append(entry)
        elif entry.planned is not None:
            result.append(entry)  # moved by its round: its own event, as in the unit's feed
        else:
            groups[(entry.date, entry.kind, entry.report, entry.period)].append(entry)
    main: dict[tuple[str, str, str], tuple[dt.date, str, str, str]] = {}
    for key, members in sorted(groups.items()):
        base = key[1:]
        if base not in main or len(members) > len(groups[main[base]]):
            main[base] = key
    for key, members in sorted(groups.items()):
        kind, report, period = key[1:]
        if len(members) == 1 or main[(kind, report, period)] != key:
            result.extend(members)
            continue
        first = members[0]
        names = sorted(m.title.rsplit(" – ", 1)[-1] for m in members)
        result.append(
            first.model_copy(
                update={
                    "title": f"{first.title.rsplit(' – ', 1)[0]} – {len(members)} enheter",
                    "description": f"Gäller: {', '.join(names)}.",
                    "unit": None,
                    "uid": f"{kind}/{report}/{period}@{org_id}.arshjul",
                    "sequence": max(m.sequence for m in members),
                    "modified": max(
                        (m.modified for m in members if m.modified is not None), default=None
                    ),
                }
            )
        )
    return sorted(result, key=lambda e: (e.date, e.kind, e.report or "", e.uid))


def calendar_entries(
    config: ArshjulConfig,
    years: Iterable[int],
    live: Mapping[str, LiveDeadline],
    *,
    unit: str | None = None,
    ref: str | None = None,
    link: str | None = None,
) -> list[CalendarEntry]:
    """Returns what a calendar shows, the one source of `calendar ics` and the web's feeds: a
    unit's (`unit`: with its reminders and `link` to act on them) or the shared årshjul (all, or
    what role or committee `ref` follows), with the rounds' live deadlines laid over the plan."""
    years = list(years)
    planned = [e for y in years for e in expand_year(config, y, unit)]
    if unit is not None:
        entries = with_rounds(config, planned, live, years)
        kinds = ("opens", "due", "reminder")
        return [e.model_copy(update={"url": link}) if e.kind in kinds else e for e in entries]
    shared = [e for e in planned if e.kind != "reminder"]
    entries = with_rounds(config, shared, live, years)
    if ref is not None:
        entries = for_role(config, entries, ref)
    return grouped(entries, config.organisation.id)


class Published(BaseModel):
    """What a subscriber last got for one UID: its start, summary and SEQUENCE, and since when."""

    uid: str
    start: str  # the DTSTART as ISO text (a date, or a local date and time)
    summary: str
    sequence: int
    changed_at: dt.datetime


def entry_start(entry: CalendarEntry) -> str:
    """Returns an entry's DTSTART as ISO text: its date, or its local date and time."""
    if entry.time is None:
        return entry.date.isoformat()
    return dt.datetime.combine(entry.date, entry.time).isoformat(timespec="minutes")


def sequenced(
    entries: Iterable[CalendarEntry], published: Mapping[str, Published], now: dt.datetime
) -> tuple[list[CalendarEntry], list[Published]]:
    """Raises the SEQUENCE of every event whose start or summary moved since last published (a
    changed configuration as much as an extension), so calendars replace it; returns the entries
    and the records to store for the next time."""
    result: list[CalendarEntry] = []
    changed: list[Published] = []
    for entry in entries:
        start, last = entry_start(entry), published.get(entry.uid)
        sequence, since = entry.sequence, entry.modified or now
        if last is not None:
            moved = (last.start, last.summary) != (start, entry.title)
            sequence = max(entry.sequence, last.sequence + int(moved))
            if sequence == last.sequence:
                since = last.changed_at
            elif sequence != entry.sequence or entry.modified is None:
                since = now  # moved by the configuration: now is when subscribers learn it
        record = Published(
            uid=entry.uid, start=start, summary=entry.title, sequence=sequence, changed_at=since
        )
        if record != last:
            changed.append(record)
        modified = since if sequence > 0 else entry.modified
        result.append(entry.model_copy(update={"sequence": sequence, "modified": modified}))
    return result, changed


def for_role(
    config: ArshjulConfig, entries: Iterable[CalendarEntry], ref: str
) -> list[CalendarEntry]:
    """Keeps what a role or committee follows: the meetings of a committee and the reports it
    reviews; for a role, the reports it submits or is told about, or all when it is the owner
    (contact role); milestones naming either."""
    committees = {c.id for c in config.committees}
    if ref in committees:
        unit_committees = {u.committee for u in config.units if u.committee}
        reports = {
            r.id
            for r in config.reports
            for review, _, _ in reviews_of(r, "")
            for step in review.steps()
            if step.committee == ref
            or (step.committee == UNIT_COMMITTEE and ref in unit_committees)
        }
        return [
            e
            for e in entries
            if (e.kind == "meeting" and e.committee == ref)
            or (e.report in reports and e.kind == "due")
            or (e.kind == "milestone" and e.committee == ref)
        ]
    owner = ref == config.contact_role_id()
    reports = {
        r.id
        for r in config.reports
        if owner
        or ref in r.submitters.roles
        or (r.escalation is not None and ref in r.escalation.to_roles)
    }
    return [
        e
        for e in entries
        if (e.report in reports and e.kind in ("due", "opens"))
        or e.kind == "meeting"
        or (e.kind == "milestone" and (owner or ref in e.roles))
    ]
