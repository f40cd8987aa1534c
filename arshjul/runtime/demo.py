"""The demonstration round `arshjul up` opens when the real calendar has no round open today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from arshjul.calendar.config import ArshjulConfig, Committee
from arshjul.calendar.schedule import send_instant
from arshjul.calendar.workdays import WorkingDays
from arshjul.models.rounds import CommitteeSpec, Recipient, ReviewSpec, RoundSpec

DEMO_REPORT_ID = "demo-uppsiktsrapport"
DEMO_TITLE = "Demonstration – uppsiktsrapport"
DEMO_SECTIONS = ["activities", "texts"]
DEMO_DUE_DAYS = 14


def open_real_rounds(specs: Iterable[RoundSpec], now: dt.datetime) -> list[RoundSpec]:
    """Returns the real (non-demo) rounds whose request went out by `now` and are not yet due."""
    found = []
    for s in specs:
        local_today = now.astimezone(ZoneInfo(s.timezone)).date()
        # Before the send time on the opening day the inbox is still empty: not open yet.
        requested = send_instant(s.opens, s.send_time, s.timezone) <= now
        if not s.demo and requested and local_today <= s.due:
            found.append(s)
    return found


def _review(config: ArshjulConfig, due: dt.date) -> ReviewSpec | None:
    # The Ånge uppsiktsrapport goes to a KS utskott: prefer KSAU, else any committee that meets.
    meeting = [c for c in config.committees if any(m > due for m in c.dates)]
    if not meeting:
        return None
    chosen = next((c for c in meeting if "ksau" in c.id), meeting[0])
    refers = None
    if chosen.refers_to:
        target = next((c for c in config.committees if c.id == chosen.refers_to), None)
        refers = _committee(target) if target else None
    return ReviewSpec(committee=_committee(chosen), min_days_before_meeting=0, refers_to=refers)


def _committee(c: Committee) -> CommitteeSpec:
    members = [Recipient(name=p.name, email=str(p.email)) for p in c.members]
    return CommitteeSpec(id=c.id, name=c.name, meetings=c.dates, members=members)


def demo_round(config: ArshjulConfig, today: dt.date) -> RoundSpec:
    """Returns a demonstration uppsiktsrapport for the first unit: opens today, due in two weeks.

    The due date moves back to a working day, as every deadline rule does by default.
    """
    wd = WorkingDays(config.working_days.non_working_eves)
    unit = config.units[0]
    due = wd.previous_or_same(today + dt.timedelta(days=DEMO_DUE_DAYS))
    period_end = today.replace(day=1) - dt.timedelta(days=1)
    owners = [
        Recipient(name=p.name, email=str(p.email))
        for r in config.roles
        if r.id == "ekonomichef"
        for p in r.people
    ]
    return RoundSpec(
        org_id=config.organisation.id,
        org_name=config.organisation.name,
        report_id=DEMO_REPORT_ID,
        report_title=DEMO_TITLE,
        sections=list(DEMO_SECTIONS),
        period=today.strftime("%Y-%m"),
        period_end=period_end,
        unit_id=unit.id,
        unit_name=unit.name,
        recipients=[Recipient(name=unit.chef.name, email=str(unit.chef.email))],
        opens=today,
        due=due,
        reminders_working_days_before_due=[5, 1],
        review=_review(config, due),
        owners=owners,
        timezone=config.organisation.timezone,
        # Midnight: the request goes out at once, whatever the hour of the first start.
        send_time=dt.time(0, 0),
        non_working_eves=list(config.working_days.non_working_eves),
        demo=True,
    )
