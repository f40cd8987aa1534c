"""Round specifications: everything one round needs, computed from the configuration for a year.

One RoundSpec per (report, period, submitter) whose request goes out in the year; its review
chain resolved for the submitter (`unit_committee` is the unit's own nämnd) with each step's
target meeting for the period.
"""

from __future__ import annotations

import datetime as dt

from arshjul.calendar.chains import chain_for
from arshjul.calendar.config import OWNER_ROLE, ArshjulConfig, Report, Review, Unit
from arshjul.calendar.dates import Dates, period_dates, period_ends, period_label, submitters
from arshjul.calendar.rules import MissingMeeting
from arshjul.models.rounds import (
    ChainStepSpec,
    CommitteeSpec,
    EscalationSpec,
    FollowupSpec,
    MeetingInfo,
    Recipient,
    ReviewSpec,
    RoundSpec,
)


def committee_spec(config: ArshjulConfig, committee_id: str) -> CommitteeSpec:
    """Returns a committee as a round carries it: name, meetings, members, time and place."""
    c = config.committee(committee_id)
    return CommitteeSpec(
        id=c.id,
        name=c.name,
        meetings=c.dates,
        members=[Recipient(name=p.name, email=p.email) for p in c.members],
        meeting_time=c.meeting_time,
        meeting_place=c.meeting_place,
        sessions=[
            MeetingInfo(date=m.date, time=m.time, place=m.place)
            for m in c.meetings
            if m.time or m.place
        ],
    )


def review_spec(
    config: ArshjulConfig,
    dates: Dates,
    report: Report,
    review: Review,
    period_end: dt.date,
    unit: Unit | None,
) -> ReviewSpec | None:
    """Returns the review chain of one round (None when no committee is left for the unit).

    A target meeting the configuration lacks is left out (the round goes to the next meeting it
    can reach); `calendar check` reports it as an error.
    """
    chain = chain_for(config, review, unit)
    if not chain:
        return None
    steps = []
    for step in chain:
        try:
            target = dates.target(report, period_end, step)
        except MissingMeeting:
            target = None
        steps.append(
            ChainStepSpec(
                committee=committee_spec(config, step.committee),
                min_days_before_meeting=step.min_days_before_meeting or 0,
                target_meeting=target,
                forward_to=list(step.forward_to or []),
            )
        )
    ids = [s.committee.id for s in steps]
    others = sorted({f for s in steps for f in s.forward_to if f not in ids})
    first = steps[0]
    return ReviewSpec(
        committee=first.committee,
        min_days_before_meeting=first.min_days_before_meeting,
        # What rounds from before review chains read, should one get this spec.
        refers_to=committee_spec(config, first.forward_to[0]) if first.forward_to else None,
        chain=steps,
        others=[committee_spec(config, o) for o in others],
        after_remit=review.after_remit,
    )


def role_people(config: ArshjulConfig, role_ids: list[str]) -> list[Recipient]:
    """Returns the people who hold these roles."""
    return [
        Recipient(name=p.name, email=p.email) for rid in role_ids for p in config.role(rid).people
    ]


def _escalation(config: ArshjulConfig, report: Report) -> EscalationSpec | None:
    if report.escalation is None:
        return None
    e = report.escalation
    return EscalationSpec(
        after_working_days=e.after_working_days,
        repeat_every_days=e.repeat_every_days,
        role_titles=[config.role(r).title for r in e.to_roles],
        to=role_people(config, e.to_roles),
    )


def _followup(config: ArshjulConfig, report: Report) -> FollowupSpec | None:
    if report.followup is None:
        return None
    f = report.followup
    return FollowupSpec(
        report_id=f.report,
        report_title=config.report(f.report).title,
        deviation_threshold_tkr=f.deviation_threshold_tkr,
        due_days=f.due_days,
    )


def round_specs(
    config: ArshjulConfig, year: int, skipped: list[MissingMeeting] | None = None
) -> list[RoundSpec]:
    """Lists one RoundSpec per (report, period, submitter) whose opening day lies in `year`.

    A period whose dates count from a meeting the configuration lacks raises MissingMeeting, or
    with `skipped` is left out and its problem appended there (the caller says so).
    """
    dates = Dates(config)
    org = config.organisation
    has_owner = any(r.id == OWNER_ROLE for r in config.roles)
    owners = role_people(config, [OWNER_ROLE]) if has_owner else []
    units = {u.id: u for u in config.units}
    specs: list[RoundSpec] = []
    for report in config.reports:
        escalation, followup = _escalation(config, report), _followup(config, report)
        for end in period_ends(report, range(year - 1, year + 2)):
            try:
                found = period_dates(dates, report, end, year)
            except MissingMeeting as exc:
                if skipped is None:
                    raise
                skipped.append(exc)
                continue
            if found is None or found[0].year != year:
                continue
            opens, due = found
            review = report.review_for(end.month)
            for unit_id, unit_name, recipients in submitters(config, report):
                unit = units.get(unit_id)
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
                        review=review_spec(config, dates, report, review, end, unit)
                        if review
                        else None,
                        followup=followup,
                        measures_threshold_tkr=report.measures_threshold_tkr,
                        owners=owners,
                        timezone=org.timezone,
                        send_time=org.send_time,
                        non_working_eves=list(config.working_days.non_working_eves),
                    )
                )
    return sorted(specs, key=lambda s: (s.opens, s.report_id, s.period, s.unit_id))
