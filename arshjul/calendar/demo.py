"""The demonstration round `arshjul up` opens on its first start, whatever the date.

It follows the review chain of the configuration's first reviewed report (else its first
committee), and every committee of that chain gets a clearly marked demonstration meeting today:
a newcomer walks request → submit → decision → protocol at once, without editing the YAML.

Pure, as the rest of the calendar: `up` (runtime/bootstrap.py) starts the round, the store lists
the periods it ran (store/rounds.py `demo_periods`), the protocol and the Sammanställning read
its marks from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from arshjul.calendar.chains import chain_for
from arshjul.calendar.config import ArshjulConfig, Report, Review
from arshjul.calendar.specs import OWNER_ROLE, committee_spec, role_people
from arshjul.calendar.workdays import WorkingDays
from arshjul.models.instants import send_instant
from arshjul.models.rounds import (
    ChainStepSpec,
    CommitteeSpec,
    MeetingInfo,
    Recipient,
    ReviewSpec,
    RoundSpec,
)

DEMO_REPORT_ID = "demo-uppsiktsrapport"
DEMO_TITLE = "Demonstration – uppsiktsrapport"
DEMO_SECTIONS = ["activities", "texts"]
DEMO_DUE_DAYS = 14
DEMO_PLACE = "Demonstrationssammanträde (inget riktigt sammanträde)"


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


def demo_review(config: ArshjulConfig) -> Review | None:
    """The review the demonstration follows: the first reviewed report's, else the first
    committee's, else none (then the demo is accepted when handed in)."""
    reviewed = next((r.review for r in config.reports if r.review is not None), None)
    if reviewed is not None:
        return reviewed
    return Review(committee=config.committees[0].id) if config.committees else None


def _with_demo_meeting(committee: CommitteeSpec, today: dt.date) -> CommitteeSpec:
    session = MeetingInfo(date=today, place=DEMO_PLACE)
    return committee.model_copy(
        update={
            "meetings": sorted({today, *committee.meetings}),
            "sessions": [session, *(s for s in committee.sessions if s.date != today)],
        }
    )


def _review(config: ArshjulConfig, today: dt.date) -> ReviewSpec | None:
    review = demo_review(config)
    chain = chain_for(config, review, config.units[0]) if review else []
    if not chain:
        return None
    steps = [
        ChainStepSpec(
            committee=_with_demo_meeting(committee_spec(config, s.committee), today),
            min_days_before_meeting=0,
            forward_to=list(s.forward_to or []),
        )
        for s in chain
    ]
    ids = {s.committee.id for s in steps}
    others = sorted({f for s in steps for f in s.forward_to if f not in ids})
    first = steps[0]
    return ReviewSpec(
        committee=first.committee,
        min_days_before_meeting=0,
        chain=steps,
        others=[_with_demo_meeting(committee_spec(config, o), today) for o in others],
    )


def with_meeting_on(spec: RoundSpec, today: dt.date) -> RoundSpec:
    """Returns the demo round's spec with a demonstration meeting `today` for every committee it
    may reach, so a newcomer who comes back another day can still walk it to a decision."""
    review = spec.review
    if review is None:
        return spec
    chain = review.chain and [
        step.model_copy(update={"committee": _with_demo_meeting(step.committee, today)})
        for step in review.chain
    ]
    updated = review.model_copy(
        update={
            "committee": _with_demo_meeting(review.committee, today),
            "chain": chain,
            "others": [_with_demo_meeting(c, today) for c in review.others],
        }
    )
    return spec.model_copy(update={"review": updated})


def demo_round(config: ArshjulConfig, today: dt.date) -> RoundSpec:
    """Returns a demonstration uppsiktsrapport for the first unit: opens today, due in two weeks.

    The due date moves back to a working day, as every deadline rule does by default.
    """
    wd = WorkingDays(config.working_days.non_working_eves)
    unit = config.units[0]
    due = wd.previous_or_same(today + dt.timedelta(days=DEMO_DUE_DAYS))
    # The month that has ended, as for every real report: the period ("oktober 2026") and the
    # day it ends ("t.o.m. 31 oktober 2026") name the same month on the form, mail and protocol.
    period_end = today.replace(day=1) - dt.timedelta(days=1)
    has_owner = any(r.id == OWNER_ROLE for r in config.roles)
    return RoundSpec(
        org_id=config.organisation.id,
        org_name=config.organisation.name,
        report_id=DEMO_REPORT_ID,
        report_title=DEMO_TITLE,
        sections=list(DEMO_SECTIONS),
        period=period_end.strftime("%Y-%m"),
        period_end=period_end,
        unit_id=unit.id,
        unit_name=unit.name,
        recipients=[Recipient(name=unit.chef.name, email=str(unit.chef.email))],
        opens=today,
        due=due,
        reminders_working_days_before_due=[5, 1],
        review=_review(config, today),
        owners=role_people(config, [OWNER_ROLE]) if has_owner else [],
        timezone=config.organisation.timezone,
        # Midnight: the request goes out at once, whatever the hour of the first start.
        send_time=dt.time(0, 0),
        non_working_eves=list(config.working_days.non_working_eves),
        demo=True,
    )


def demo_report(config: ArshjulConfig) -> Report:
    """The demonstration as a report of its own, so that its period compiles to a
    Sammanställning like any configured report's (the first unit submits it)."""
    return Report.model_validate(
        {
            "id": DEMO_REPORT_ID,
            "title": DEMO_TITLE,
            "sections": list(DEMO_SECTIONS),
            "submitters": {"units": [config.units[0].id]},
            "opens": {"working_days_after_period_end": 1},
            "due": {"working_days_after_period_end": 10},
        }
    )
