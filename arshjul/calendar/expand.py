"""Expanding the årshjul into dated entries for a calendar year, and into round specifications."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field

from arshjul.calendar.config import OWNER_ROLE, ArshjulConfig, Milestone, Report
from arshjul.calendar.dates import Dates, period_ends, period_label, period_sv, submitters
from arshjul.calendar.rules import days_sv, describe
from arshjul.calendar.schedule import reminder_days
from arshjul.models.rounds import (
    CommitteeSpec,
    EscalationSpec,
    FollowupSpec,
    Recipient,
    ReviewSpec,
    RoundSpec,
    deadline_uid,
)
from arshjul.swedish import date_sv

EntryKind = Literal["opens", "due", "reminder", "meeting", "milestone"]


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
    # How often the event changed since first published, and when last (a moved deadline):
    # calendars replace an event only by a higher SEQUENCE.
    sequence: int = 0
    modified: dt.datetime | None = None
    url: str | None = None  # where to act on it (the unit's reports page)
    committee: str | None = None  # the committee of a meeting or milestone
    roles: list[str] = Field(default_factory=list)  # the roles responsible for a milestone


def _names(config: ArshjulConfig) -> dict[str, str]:
    return {m.id: m.title for m in config.milestones}


def _year_title(title: str, year: int) -> str:
    # "{år}" in a title or description stands for the year the milestone concerns.
    return title.replace("{år}", str(year))


def _report_entries(
    config: ArshjulConfig, dates: Dates, report: Report, year: int
) -> list[CalendarEntry]:
    org = config.organisation.id
    names = _names(config)
    entries: list[CalendarEntry] = []
    # Three parallel years: a period of last year can have steps in this one, and so on.
    for end in period_ends(report, range(year - 1, year + 2)):
        opens = dates.report(report, end, "opens")
        due = dates.report(report, end, "due")
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
            who = ", ".join(p.name for p in people)
            base = f"{report.id}/{period}/{unit_id}"
            responsible = f"Ansvarig: {who} ({unit_name})."
            items: list[tuple[dt.date, str, str, str, str]] = [
                (
                    opens,
                    "opens",
                    f"Öppnar: {label} – {unit_name}",
                    f"Öppnas {describe(report.opens, names)}.",
                    f"opens/{base}",
                ),
                (
                    due,
                    "due",
                    f"Sista dag: {label} – {unit_name}",
                    f"Sista dag {describe(report.due, names)}.",
                    f"due/{base}",
                ),
            ]
            for n, day in reminders:
                items.append(
                    (
                        day,
                        "reminder",
                        f"Påminnelse: {label} – {unit_name}",
                        f"Påminnelse {days_sv(n, 'arbetsdagar')} före sista dagen {date_sv(due)}.",
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
                text = f"{rule_text} {responsible}"
                if report.description:
                    text = f"{report.description} {text}"
                entries.append(
                    CalendarEntry(
                        date=day,
                        kind=kind,
                        title=title,
                        report=report.id,
                        period=period,
                        unit=unit_id,
                        description=text,
                        uid=uid,
                    )
                )
    return entries


def _milestone_entry(config: ArshjulConfig, dates: Dates, m: Milestone, year: int) -> CalendarEntry:
    concerns = year + m.concerns_year_offset
    parts = [_year_title(m.description, concerns)] if m.description else []
    parts.append(f"Datum: {describe(m.date, _names(config))}.")
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
        for day in sorted(set(committee.meetings)):
            if day.year == year:
                entries.append(
                    CalendarEntry(
                        date=day,
                        kind="meeting",
                        title=f"Sammanträde: {committee.name}",
                        description=f"{committee.name} sammanträder.",
                        committee=committee.id,
                        uid=f"meeting/{committee.id}/{day.isoformat()}@{config.organisation.id}.arshjul",
                    )
                )
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


def _committee_spec(config: ArshjulConfig, committee_id: str) -> CommitteeSpec:
    c = config.committee(committee_id)
    members = [Recipient(name=p.name, email=p.email) for p in c.members]
    return CommitteeSpec(id=c.id, name=c.name, meetings=sorted(c.meetings), members=members)


def _role_people(config: ArshjulConfig, role_ids: list[str]) -> list[Recipient]:
    return [
        Recipient(name=p.name, email=p.email) for rid in role_ids for p in config.role(rid).people
    ]


def round_specs(config: ArshjulConfig, year: int) -> list[RoundSpec]:
    """Lists one RoundSpec per (report, period, submitter) whose opening day lies in `year`."""
    dates = Dates(config)
    org = config.organisation
    owners = (
        _role_people(config, [OWNER_ROLE]) if any(r.id == OWNER_ROLE for r in config.roles) else []
    )
    specs: list[RoundSpec] = []
    for report in config.reports:
        escalation = review = followup = None
        if report.escalation:
            e = report.escalation
            escalation = EscalationSpec(
                after_working_days=e.after_working_days,
                repeat_every_days=e.repeat_every_days,
                role_titles=[config.role(r).title for r in e.to_roles],
                to=_role_people(config, e.to_roles),
            )
        if report.review:
            committee = config.committee(report.review.committee)
            review = ReviewSpec(
                committee=_committee_spec(config, committee.id),
                min_days_before_meeting=report.review.min_days_before_meeting,
                refers_to=_committee_spec(config, committee.refers_to)
                if committee.refers_to
                else None,
            )
        if report.followup:
            f = report.followup
            followup = FollowupSpec(
                report_id=f.report,
                report_title=config.report(f.report).title,
                deviation_threshold_tkr=f.deviation_threshold_tkr,
                due_days=f.due_days,
            )
        for end in period_ends(report, range(year - 1, year + 2)):
            opens = dates.report(report, end, "opens")
            if opens.year != year:
                continue
            due = dates.report(report, end, "due")
            for unit_id, unit_name, recipients in submitters(config, report):
                specs.append(
                    RoundSpec(
                        org_id=org.id,
                        org_name=org.name,
                        report_id=report.id,
                        report_title=report.title,
                        sections=list(report.sections),
                        period=period_label(end),
                        period_end=end,
                        unit_id=unit_id,
                        unit_name=unit_name,
                        recipients=recipients,
                        opens=opens,
                        due=due,
                        reminders_working_days_before_due=list(
                            report.reminders_working_days_before_due
                        ),
                        escalation=escalation,
                        review=review,
                        followup=followup,
                        measures_threshold_tkr=report.measures_threshold_tkr,
                        owners=owners,
                        timezone=org.timezone,
                        send_time=org.send_time,
                        non_working_eves=list(config.working_days.non_working_eves),
                    )
                )
    return sorted(specs, key=lambda s: (s.opens, s.report_id, s.period, s.unit_id))
