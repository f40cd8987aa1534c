"""The demonstration round `arshjul up` opens on its first start, whatever the date.

It follows the longest review chain the configuration gives its first unit (else its first
committee), and every committee of that chain gets a clearly marked demonstration meeting on the
demo day (today, or the next working day), one after the other in the chain's order: a newcomer
walks request → submit → each committee's decision → protocol on that day, without editing the
YAML. Beside it, rounds for the next units stay open: one waiting (an extension or a new link can
be tried) and one due within days (at risk, for the bulk reminder).

Pure, as the rest of the calendar: `up` (runtime/bootstrap.py) starts the round, the store lists
the periods it ran (store/rounds.py `demo_periods`), the protocol and the Sammanställning read
its marks from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from zoneinfo import ZoneInfo

from arshjul.calendar.chains import chain_for, reviews_of
from arshjul.calendar.config import ArshjulConfig, Report, Review, Unit
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
# The chain's demonstration meetings follow each other on the demo day, an hour apart.
DEMO_FIRST_HOUR = 9
# The round left waiting is due after the walk's; the one at risk within the overview's horizon.
DEMO_WAITING_DUE_DAYS = 21
DEMO_AT_RISK_WORKING_DAYS = 2
DEMO_ROUNDS = 3  # walked, waiting, at risk


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
    """The review the demonstration follows: the one with the most committees for the first unit
    (the first such in the configuration), else the first committee's, else none (then the demo
    is accepted when handed in)."""
    unit = config.units[0] if config.units else None
    best: Review | None = None
    longest = 0
    for report in config.reports:
        for review, _, _ in reviews_of(report, ""):
            steps = len(chain_for(config, review, unit))
            if steps > longest:
                best, longest = review, steps
    if best is not None:
        return best
    return Review(committee=config.committees[0].id) if config.committees else None


def demo_day(config: ArshjulConfig, today: dt.date) -> dt.date:
    """The day the demonstration meetings are held: today, or the next working day."""
    return WorkingDays(config.working_days.non_working_eves).next_or_same(today)


def _with_demo_meeting(committee: CommitteeSpec, day: dt.date, order: int) -> CommitteeSpec:
    # `order` places the meeting in the chain: a later step meets later the same day.
    at = dt.time(min(DEMO_FIRST_HOUR + order, 23), 0)
    session = MeetingInfo(date=day, time=at, place=DEMO_PLACE)
    return committee.model_copy(
        update={
            "meetings": sorted({day, *committee.meetings}),
            "sessions": [session, *(s for s in committee.sessions if s.date != day)],
        }
    )


def _meeting_on(review: ReviewSpec, day: dt.date) -> ReviewSpec:
    chain = review.steps()
    steps = [
        step.model_copy(update={"committee": _with_demo_meeting(step.committee, day, k)})
        for k, step in enumerate(chain)
    ]
    others = [_with_demo_meeting(c, day, len(chain) + k) for k, c in enumerate(review.others)]
    return review.model_copy(
        update={
            "committee": steps[0].committee,
            "chain": steps if review.chain is not None else None,
            "others": others,
        }
    )


def _review(config: ArshjulConfig, day: dt.date, unit: Unit) -> ReviewSpec | None:
    review = demo_review(config)
    chain = chain_for(config, review, unit) if review else []
    if not chain:
        return None
    steps = [
        ChainStepSpec(
            committee=committee_spec(config, s.committee),
            min_days_before_meeting=0,
            forward_to=list(s.forward_to or []),
        )
        for s in chain
    ]
    ids = {s.committee.id for s in steps}
    others = sorted({f for s in steps for f in s.forward_to if f not in ids})
    spec = ReviewSpec(
        committee=steps[0].committee,
        min_days_before_meeting=0,
        chain=steps,
        others=[committee_spec(config, o) for o in others],
    )
    return _meeting_on(spec, day)


def with_meeting_on(spec: RoundSpec, today: dt.date) -> RoundSpec:
    """Returns the demo round's spec with a demonstration meeting on the demo day of `today` for
    every committee it may reach, so a newcomer who comes back another day can still walk it to
    a decision."""
    if spec.review is None:
        return spec
    wd = WorkingDays(spec.non_working_eves)
    return spec.model_copy(update={"review": _meeting_on(spec.review, wd.next_or_same(today))})


def demo_round(config: ArshjulConfig, today: dt.date) -> RoundSpec:
    """Returns a demonstration uppsiktsrapport for the first unit: opens today, due in two weeks.

    The due date moves back to a working day, as every deadline rule does by default.
    """
    wd = WorkingDays(config.working_days.non_working_eves)
    due = wd.previous_or_same(today + dt.timedelta(days=DEMO_DUE_DAYS))
    return _demo_spec(config, today, 0, due)


def demo_rounds(config: ArshjulConfig, today: dt.date) -> list[RoundSpec]:
    """Returns every demonstration round `up` opens: the one to walk through the chain, one for
    the next unit left waiting (extension, new link) and one for the unit after that due within
    a few working days (at risk: the bulk reminder)."""
    wd = WorkingDays(config.working_days.non_working_eves)
    waiting = wd.previous_or_same(today + dt.timedelta(days=DEMO_WAITING_DUE_DAYS))
    at_risk = wd.add(wd.next_or_same(today), DEMO_AT_RISK_WORKING_DAYS)
    return [
        demo_round(config, today),
        _demo_spec(config, today, 1, waiting),
        _demo_spec(config, today, DEMO_ROUNDS - 1, at_risk),
    ]


def _demo_unit_ids(config: ArshjulConfig) -> list[str]:
    return list(dict.fromkeys(config.units[n % len(config.units)].id for n in range(DEMO_ROUNDS)))


def _demo_spec(config: ArshjulConfig, today: dt.date, n: int, due: dt.date) -> RoundSpec:
    # The n-th demo round goes to the n-th unit; with fewer units, to an earlier month's period
    # (the workflow id names unit and period, so no two demo rounds share one).
    unit = config.units[n % len(config.units)]
    # The month that has ended, as for every real report: the period ("oktober 2026") and the
    # day it ends ("t.o.m. 31 oktober 2026") name the same month on the form, mail and protocol.
    period_end = today.replace(day=1) - dt.timedelta(days=1)
    for _ in range(n // len(config.units)):
        period_end = period_end.replace(day=1) - dt.timedelta(days=1)
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
        review=_review(config, demo_day(config, today), unit),
        owners=role_people(config, [OWNER_ROLE]) if has_owner else [],
        timezone=config.organisation.timezone,
        # Midnight: the request goes out at once, whatever the hour of the first start.
        send_time=dt.time(0, 0),
        non_working_eves=list(config.working_days.non_working_eves),
        demo=True,
    )


def demo_report(config: ArshjulConfig) -> Report:
    """The demonstration as a report of its own, so that its period compiles to a
    Sammanställning like any configured report's (the units of the demo rounds submit it)."""
    return Report.model_validate(
        {
            "id": DEMO_REPORT_ID,
            "title": DEMO_TITLE,
            "sections": list(DEMO_SECTIONS),
            "submitters": {"units": _demo_unit_ids(config)},
            "opens": {"working_days_after_period_end": 1},
            "due": {"working_days_after_period_end": 10},
        }
    )
