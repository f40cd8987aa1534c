"""Expanding the årshjul into dated entries for a calendar year, and into round specifications."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Annotated, Literal

from pydantic import BaseModel, Field, PlainSerializer, WithJsonSchema

from arshjul.calendar.config import ArshjulConfig, Committee, Milestone, Report
from arshjul.calendar.dates import (
    Dates,
    period_dates,
    period_ends,
    period_label,
    period_sv,
    submitters,
)
from arshjul.calendar.rules import days_sv, describe
from arshjul.calendar.schedule import reminder_days
from arshjul.calendar.specs import round_specs
from arshjul.models.rounds import Recipient, deadline_uid
from arshjul.swedish import date_sv, time_place_sv

EntryKind = Literal["opens", "due", "reminder", "meeting", "milestone"]
# A local time of day ("08:30"), not an RFC 3339 time: it has no offset of its own.
LocalTime = Annotated[
    dt.time,
    PlainSerializer(lambda t: t.strftime("%H:%M"), return_type=str, when_used="json"),
    WithJsonSchema({"type": "string", "pattern": "^[0-2][0-9]:[0-5][0-9]$"}),
]


class CalendarEntry(BaseModel):
    """One dated item of the årshjul, as shown in tables, JSON and ICS."""

    date: dt.date
    kind: EntryKind
    title: str
    report: str | None = None
    period: str | None = None  # YYYY-MM of the period's last month
    unit: str | None = None  # unit id or role id
    description: str = ""
    uid: str
    # Meetings: the time (local) and place, when the configuration gives them.
    time: LocalTime | None = None
    place: str | None = None
    # How often the event changed since first published, and when last (a moved deadline):
    # calendars replace an event only by a higher SEQUENCE.
    sequence: int = 0
    modified: dt.datetime | None = None
    url: str | None = None  # where to act on it (the unit's reports page)
    # A deadline's reminder days (VALARMs in the ICS), counted from the date it has now.
    reminders: list[dt.date] = Field(default_factory=list)
    planned: dt.date | None = None  # the plan's date, when a round moved the deadline
    committee: str | None = None  # the committee of a meeting or milestone
    roles: list[str] = Field(default_factory=list)  # the roles responsible for a milestone


def _names(config: ArshjulConfig) -> dict[str, str]:
    return {m.id: m.title for m in config.milestones}


def _committee_names(config: ArshjulConfig) -> dict[str, str]:
    return {c.id: c.name for c in config.committees}


def _year_title(title: str, year: int) -> str:
    # "{år}" in a title or description stands for the year the milestone concerns.
    return title.replace("{år}", str(year))


def _responsible(unit_name: str, people: Iterable[Recipient]) -> str:
    return f"Ansvarig: {', '.join(p.name for p in people)} ({unit_name})."


def responsible_sv(config: ArshjulConfig, report: Report, unit: str) -> str:
    """Returns "Ansvarig: … (unit)." for one submitter of a report ("" when unknown)."""
    for unit_id, unit_name, people in submitters(config, report):
        if unit_id == unit:
            return _responsible(unit_name, people)
    return ""


def entry_text(report: Report, sentence: str, responsible: str) -> str:
    """Returns an entry's description: the report's own text, the date's sentence, who answers."""
    return " ".join(part for part in (report.description, sentence, responsible) if part)


def reminder_sv(n: int, due: dt.date) -> str:
    """Returns the sentence of a reminder n working days before the due date."""
    return f"Påminnelse {days_sv(n, 'arbetsdagar')} före sista dagen {date_sv(due)}."


def _report_entries(
    config: ArshjulConfig, dates: Dates, report: Report, year: int
) -> list[CalendarEntry]:
    org = config.organisation.id
    names, committees = _names(config), _committee_names(config)
    entries: list[CalendarEntry] = []
    # Three parallel years: a period of last year can have steps in this one, and so on.
    for end in period_ends(report, range(year - 1, year + 2)):
        found = period_dates(dates, report, end, year)
        if found is None:
            continue
        opens, due = found
        reminders = [
            (n, day)
            for n in sorted(set(report.reminders_working_days_before_due), reverse=True)
            for day in reminder_days(due, [n], dates.wd)
            if n > 0 and day > opens
        ]
        if not any(d.year == year for d in [opens, due, *(d for _, d in reminders)]):
            continue
        period = period_label(end)
        label = f"{report.title} ({period_sv(end)})"
        for unit_id, unit_name, people in submitters(config, report):
            base = f"{report.id}/{period}/{unit_id}"
            responsible = _responsible(unit_name, people)
            items: list[tuple[dt.date, EntryKind, str, str, str]] = [
                (
                    opens,
                    "opens",
                    f"Öppnar: {label} – {unit_name}",
                    f"Öppnas {describe(report.rule('opens', end.month), names, committees)}.",
                    f"opens/{base}",
                ),
                (
                    due,
                    "due",
                    f"Sista dag: {label} – {unit_name}",
                    f"Sista dag {describe(report.rule('due', end.month), names, committees)}.",
                    f"due/{base}",
                ),
            ]
            for n, day in reminders:
                items.append(
                    (
                        day,
                        "reminder",
                        f"Påminnelse: {label} – {unit_name}",
                        reminder_sv(n, due),
                        f"reminder-{n}/{base}",
                    )
                )
            for day, kind, title, rule_text, uid in items:
                if day.year != year:
                    continue
                uid = (
                    deadline_uid(org, report.id, period, unit_id)
                    if kind == "due"
                    else f"{uid}@{org}.arshjul"
                )
                entries.append(
                    CalendarEntry(
                        date=day,
                        kind=kind,
                        title=title,
                        report=report.id,
                        period=period,
                        unit=unit_id,
                        description=entry_text(report, rule_text, responsible),
                        uid=uid,
                        reminders=[d for _, d in reminders] if kind == "due" else [],
                    )
                )
    return entries


def _milestone_entry(config: ArshjulConfig, dates: Dates, m: Milestone, year: int) -> CalendarEntry:
    concerns = year + m.concerns_year_offset
    parts = [_year_title(m.description, concerns)] if m.description else []
    parts.append(f"Datum: {describe(m.date, _names(config), _committee_names(config))}.")
    if m.committee:
        parts.append(f"Organ: {config.committee(m.committee).name}.")
    if m.responsible_roles:
        who = "; ".join(
            f"{r.title} ({', '.join(p.name for p in r.people)})"
            for r in (config.role(rid) for rid in m.responsible_roles)
        )
        parts.append(f"Ansvarig: {who}.")
    return CalendarEntry(
        date=dates.milestone(m.id, year),
        kind="milestone",
        title=_year_title(m.title, concerns),
        description=" ".join(parts),
        uid=f"milestone/{m.id}/{year}@{config.organisation.id}.arshjul",
        committee=m.committee,
        roles=list(m.responsible_roles),
    )


def meeting_uid(org_id: str, committee: Committee, day: dt.date) -> str:
    """Returns a meeting's UID from its identity, the committee's nth meeting of its month, so a
    meeting moved within the month stays one event (never from its date)."""
    nth = sorted(d for d in committee.dates if (d.year, d.month) == (day.year, day.month))
    number = nth.index(day) + 1 if day in nth else 1
    return f"meeting/{committee.id}/{day:%Y-%m}/{number}@{org_id}.arshjul"


def _meeting_entry(config: ArshjulConfig, committee: Committee, day: dt.date) -> CalendarEntry:
    meeting = committee.meeting(day)
    time = meeting.time if meeting else None
    place = meeting.place if meeting else None
    text = f"{committee.name} sammanträder{time_place_sv(time, place)}"
    return CalendarEntry(
        date=day,
        kind="meeting",
        title=f"Sammanträde: {committee.name}",
        description=f"{text}.",
        uid=meeting_uid(config.organisation.id, committee, day),
        time=time,
        place=place,
        committee=committee.id,
    )


def _check_unit(config: ArshjulConfig, unit: str | None) -> None:
    known = {u.id for u in config.units} | {r.id for r in config.roles}
    if unit is not None and unit not in known:
        raise ValueError(f"unknown unit or role {unit!r}; known: {', '.join(sorted(known))}")


def expand_year(config: ArshjulConfig, year: int, unit: str | None = None) -> list[CalendarEntry]:
    """Lists every item dated in `year` by date; with `unit`, only its items and the shared ones."""
    _check_unit(config, unit)
    dates = Dates(config)
    entries: list[CalendarEntry] = []
    for report in config.reports:
        entries.extend(_report_entries(config, dates, report, year))
    for committee in config.committees:
        for day in committee.dates:
            if day.year == year:
                entries.append(_meeting_entry(config, committee, day))
    for m in config.milestones:
        entry = _milestone_entry(config, dates, m, year)
        if entry.date.year == year:
            entries.append(entry)
    if unit is not None:
        entries = [e for e in entries if e.unit in (None, unit)]
    order = {"milestone": 0, "meeting": 1, "opens": 2, "reminder": 3, "due": 4}
    return sorted(
        entries,
        key=lambda e: (e.date, order[e.kind], e.report or "", e.period or "", e.unit or "", e.uid),
    )


__all__ = ["CalendarEntry", "expand_year", "round_specs"]
