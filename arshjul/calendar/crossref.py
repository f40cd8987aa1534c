"""Checks pydantic cannot do alone: ids that must exist and be unique, offsets without cycles."""

from __future__ import annotations

import calendar as pycalendar
from collections import Counter
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from arshjul.calendar.chains import review_issues
from arshjul.calendar.config import (
    FIXED_RULES,
    UNIT_COMMITTEE,
    ArshjulConfig,
    DateRule,
    FixedDate,
    MeetingDate,
    Offset,
    Report,
)
from arshjul.calendar.dates import Dates, period_ends
from arshjul.calendar.municipal import municipal_issues
from arshjul.calendar.rules import RuleError

Issue = tuple[str, str]  # (path, message)
REPORT_ANCHORS = ("opens", "due")


def _duplicates(items: list[tuple[str, str]], what: str) -> list[Issue]:
    counts = Counter(item_id for item_id, _ in items)
    seen: set[str] = set()
    issues = []
    for item_id, path in items:
        if counts[item_id] > 1 and item_id in seen:
            issues.append((f"{path}.id", f"duplicate {what} id {item_id!r}"))
        seen.add(item_id)
    return issues


def _rule_issues(
    rule: DateRule, path: str, targets: set[str], where: str, committees: set[str]
) -> list[Issue]:
    if isinstance(rule, MeetingDate) and rule.meeting not in committees:
        known = ", ".join(sorted(committees)) or "none"
        return [(f"{path}.meeting", f"unknown committee {rule.meeting!r} (known: {known})")]
    if isinstance(rule, FixedDate):
        # 29 February is allowed (it means the last day of February in a common year).
        longest = pycalendar.monthrange(2024, rule.month)[1]
        if rule.day > longest:
            return [(f"{path}.day", f"day {rule.day} does not exist in month {rule.month}")]
    if isinstance(rule, Offset) and rule.after not in targets:
        known = ", ".join(sorted(targets)) or "none"
        return [(f"{path}.after", f"{rule.after!r} is not {where} (known: {known})")]
    return []


def _id_issues(config: ArshjulConfig) -> list[Issue]:
    issues = _duplicates(
        [(u.id, f"units[{i}]") for i, u in enumerate(config.units)]
        + [(r.id, f"roles[{i}]") for i, r in enumerate(config.roles)],
        "unit or role",  # one namespace: a role can submit like a unit
    )
    issues += _duplicates(
        [(c.id, f"committees[{i}]") for i, c in enumerate(config.committees)]
        + [(r.id, f"roles[{i}]") for i, r in enumerate(config.roles)],
        "committee or role",  # one namespace: a login's rights are committee and role ids
    )
    issues += _duplicates([(r.id, f"reports[{i}]") for i, r in enumerate(config.reports)], "report")
    issues += _duplicates(
        [(m.id, f"milestones[{i}]") for i, m in enumerate(config.milestones)], "milestone"
    )
    for i, m in enumerate(config.milestones):
        if m.id in REPORT_ANCHORS:
            issues.append((f"milestones[{i}].id", f"{m.id!r} is reserved for a report's own dates"))
    return issues


def _reference_issues(config: ArshjulConfig) -> list[Issue]:
    units = {u.id for u in config.units}
    roles = {r.id for r in config.roles}
    committees = {c.id for c in config.committees}
    reports = {r.id for r in config.reports}
    milestones = {m.id for m in config.milestones}
    issues: list[Issue] = []

    def need(value: str | None, known: set[str], path: str, what: str) -> None:
        if value is not None and value not in known:
            issues.append(
                (path, f"unknown {what} {value!r} (known: {', '.join(sorted(known)) or 'none'})")
            )

    org = config.organisation
    need(org.contact_role, roles, "organisation.contact_role", "role")
    for j, role in enumerate(org.digest.to_roles if org.digest else []):
        need(role, roles, f"organisation.digest.to_roles[{j}]", "role")
    for i, c in enumerate(config.committees):
        need(c.refers_to, committees - {c.id}, f"committees[{i}].refers_to", "committee")
        if c.id == UNIT_COMMITTEE:
            issues.append((f"committees[{i}].id", f"{c.id!r} is reserved for review chains"))
    for i, unit in enumerate(config.units):
        need(unit.committee, committees, f"units[{i}].committee", "committee")
    for i, r in enumerate(config.reports):
        p = f"reports[{i}]"
        if isinstance(r.submitters.units, list):
            for j, u in enumerate(r.submitters.units):
                need(u, units, f"{p}.submitters.units[{j}]", "unit")
        for j, role in enumerate(r.submitters.roles):
            need(role, roles, f"{p}.submitters.roles[{j}]", "role")
        if r.submitters.units == [] and not r.submitters.roles:
            issues.append(
                (f"{p}.submitters", "nobody submits this report: give units and/or roles")
            )
        if len(set(r.period_months)) != len(r.period_months):
            issues.append((f"{p}.period_months", "a month appears twice"))
        for j, m in enumerate(r.period_months):
            if not 1 <= m <= 12:
                issues.append((f"{p}.period_months[{j}]", f"month {m} is not between 1 and 12"))
        for j, n in enumerate(r.reminders_working_days_before_due):
            if n < 1:
                issues.append((f"{p}.reminders_working_days_before_due[{j}]", "must be 1 or more"))
        if r.escalation:
            for j, role in enumerate(r.escalation.to_roles):
                need(role, roles, f"{p}.escalation.to_roles[{j}]", "role")
        if r.followup:
            need(r.followup.report, reports - {r.id}, f"{p}.followup.report", "report")
        targets = milestones | set(REPORT_ANCHORS)
        rules = [("opens", r.opens, p), ("due", r.due, p)]
        for j, o in enumerate(r.period_overrides):
            rules += [(w, getattr(o, w), f"{p}.period_overrides[{j}]") for w in REPORT_ANCHORS]
        for which, rule, at in rules:
            if rule is not None:
                other = "due" if which == "opens" else "opens"
                issues += _rule_issues(
                    rule, f"{at}.{which}", targets - {which}, f"a milestone or {other}", committees
                )
        issues += _period_issues(r, p)
        issues += review_issues(config, r, p)
    issues += _motion_issues(config, committees, roles)
    for i, milestone in enumerate(config.milestones):
        p = f"milestones[{i}]"
        need(milestone.committee, committees, f"{p}.committee", "committee")
        for j, role in enumerate(milestone.responsible_roles):
            need(role, roles, f"{p}.responsible_roles[{j}]", "role")
        issues += _rule_issues(
            milestone.date,
            f"{p}.date",
            milestones - {milestone.id},
            "another milestone",
            committees,
        )
    return issues


def _motion_issues(config: ArshjulConfig, committees: set[str], roles: set[str]) -> list[Issue]:
    motions = config.motions
    if motions is None:
        return []
    issues: list[Issue] = []
    if motions.committee not in committees:
        known = ", ".join(sorted(committees)) or "none"
        issues.append(
            ("motions.committee", f"unknown committee {motions.committee!r} (known: {known})")
        )
    seen: set[tuple[int, str]] = set()
    for j, at in enumerate(motions.report_at):
        if (at.month, at.which) in seen:
            issues.append((f"motions.report_at[{j}]", f"month {at.month} is given twice"))
        seen.add((at.month, at.which))
    for j, role in enumerate(motions.roles):
        if role not in roles:
            known = ", ".join(sorted(roles)) or "none"
            issues.append((f"motions.roles[{j}]", f"unknown role {role!r} (known: {known})"))
    return issues


def _fixed(rule: DateRule) -> bool:
    return isinstance(rule, FIXED_RULES) or (isinstance(rule, MeetingDate) and bool(rule.month))


def _period_issues(r: Report, p: str) -> list[Issue]:
    # Overrides must name a period of the report, once; a rule that gives one date a year is
    # ambiguous when it serves several periods.
    issues: list[Issue] = []
    seen: set[int] = set()
    for j, o in enumerate(r.period_overrides):
        at = f"{p}.period_overrides[{j}].period_month"
        if o.period_month not in r.period_months:
            issues.append((at, f"month {o.period_month} is not one of period_months"))
        elif o.period_month in seen:
            issues.append((at, f"period month {o.period_month} is overridden twice"))
        seen.add(o.period_month)
    for which in REPORT_ANCHORS:
        rule = getattr(r, which)
        served = [m for m in sorted(r.period_months) if getattr(r.override(m), which, None) is None]
        if len(served) > 1 and _fixed(rule):
            issues.append(
                (
                    f"{p}.{which}",
                    f"ambiguous: this rule gives the same date every year, but it serves the "
                    f"periods ending in months {', '.join(map(str, served))}, which would all "
                    "get that one date (months after some of them). Count from the period instead "
                    "({months_after_period: 1, day: 10} is the 10th of the month after the "
                    "period, {working_days_after_period_end: N}), or give each period its own "
                    "date under period_overrides",
                )
            )
    return issues


def _cycle_issues(config: ArshjulConfig) -> list[Issue]:
    # Offsets form a graph; a cycle would have no first date.
    edges: dict[str, tuple[str, str]] = {}
    for i, m in enumerate(config.milestones):
        if isinstance(m.date, Offset):
            edges[m.id] = (m.date.after, f"milestones[{i}].date.after")
    for i, r in enumerate(config.reports):
        for which in REPORT_ANCHORS:
            rule = getattr(r, which)
            if isinstance(rule, Offset) and rule.after in REPORT_ANCHORS:
                edges[f"{r.id}.{which}"] = (f"{r.id}.{rule.after}", f"reports[{i}].{which}.after")
    issues: list[Issue] = []
    reported: set[str] = set()
    for start in edges:
        chain = [start]
        node = start
        while node in edges:
            node = edges[node][0]
            if node in chain:
                cycle = chain[chain.index(node) :]
                if not reported & set(cycle):
                    reported |= set(cycle)
                    issues.append(
                        (edges[cycle[0]][1], "offset cycle: " + " -> ".join([*cycle, node]))
                    )
                break
            chain.append(node)
    return issues


def cross_reference_issues(config: ArshjulConfig) -> list[Issue]:
    """Lists (path, message) for every unknown or duplicate id, impossible date and offset cycle."""
    issues = _id_issues(config) + _reference_issues(config) + _cycle_issues(config)
    issues += municipal_issues(
        units={u.id: list(u.ledger_codes) for u in config.units},
        roles={r.id for r in config.roles},
        committees={c.id for c in config.committees},
        sign_in=config.sign_in,
    )
    try:
        ZoneInfo(config.organisation.timezone)
    except (ZoneInfoNotFoundError, ValueError):
        issues.append(
            ("organisation.timezone", f"unknown time zone {config.organisation.timezone!r}")
        )
    if not issues:
        issues += _order_issues(config)
    return issues


def _order_issues(config: ArshjulConfig) -> list[Issue]:
    # A round that is due before it opens cannot run; try two sample years of every period.
    dates = Dates(config)
    issues: list[Issue] = []
    for i, r in enumerate(config.reports):
        for end in period_ends(r, range(2026, 2028)):
            try:
                opens, due = dates.report(r, end, "opens"), dates.report(r, end, "due")
            except RuleError:
                continue  # a meeting not configured: `calendar check` reports it per year
            if due < opens:
                issues.append(
                    (
                        f"reports[{i}].due",
                        f"due {due} comes before opens {opens} for period {end:%Y-%m}",
                    )
                )
                break
    return issues
