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
from arshjul.calendar.expand import CalendarEntry
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


def with_rounds(
    entries: Iterable[CalendarEntry], live: Mapping[str, LiveDeadline], years: Iterable[int]
) -> list[CalendarEntry]:
    """Moves planned deadlines to where their rounds put them, drops cancelled ones and the
    reminders of moved ones, and adds deadlines the plan does not know (follow-up rounds)."""
    result: list[CalendarEntry] = []
    moved: set[tuple[str | None, str | None, str | None]] = set()
    for d in live.values():
        if d.sequence > 0:
            moved.add((d.report, d.period, d.unit))
    seen: set[str] = set()
    for entry in entries:
        key = (entry.report, entry.period, entry.unit)
        if entry.kind == "reminder" and key in moved:
            continue  # counted from the old date
        deadline = live.get(entry.uid) if entry.kind == "due" else None
        if deadline is None:
            result.append(entry)
            continue
        seen.add(entry.uid)
        if deadline.cancelled:
            continue
        result.append(
            entry.model_copy(
                update={
                    "date": deadline.due,
                    "sequence": deadline.sequence,
                    "modified": deadline.modified,
                }
            )
        )
    wanted = set(years)
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
    units, so a day holds a few events instead of one per unit."""
    groups: dict[tuple[dt.date, str, str, str], list[CalendarEntry]] = defaultdict(list)
    result: list[CalendarEntry] = []
    for entry in entries:
        if entry.unit is None or entry.report is None or entry.period is None:
            result.append(entry)
        else:
            groups[(entry.date, entry.kind, entry.report, entry.period)].append(entry)
    biggest: dict[tuple[str, str, str], int] = defaultdict(int)
    for (_, kind, report, period), members in groups.items():
        biggest[(kind, report, period)] = max(biggest[(kind, report, period)], len(members))
    claimed: set[tuple[str, str, str]] = set()
    for (day, kind, report, period), members in sorted(groups.items()):
        if len(members) == 1:
            result.append(members[0])
            continue
        base = (kind, report, period)
        # The day most units share keeps the report period's UID; another day gets its own.
        uid = f"{kind}/{report}/{period}@{org_id}.arshjul"
        if base in claimed or len(members) < biggest[base]:
            uid = f"{kind}/{report}/{period}/{day.isoformat()}@{org_id}.arshjul"
        claimed.add(base)
        first = members[0]
        names = sorted(m.title.rsplit(" – ", 1)[-1] for m in members)
        result.append(
            first.model_copy(
                update={
                    "title": f"{first.title.rsplit(' – ', 1)[0]} – {len(members)} enheter",
                    "description": f"Gäller: {', '.join(names)}.",
                    "unit": None,
                    "uid": uid,
                    "sequence": max(m.sequence for m in members),
                    "modified": max(
                        (m.modified for m in members if m.modified is not None), default=None
                    ),
                }
            )
        )
    return sorted(result, key=lambda e: (e.date, e.kind, e.report or "", e.uid))


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
