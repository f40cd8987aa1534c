"""`calendar check`: everything wrong or unlawful in a configuration for some years, each with
its place in the file and a Swedish explanation in municipal terms.

How serious a finding is decides the exit code of `calendar check` and `simulate`:

- error (exit 2): the configuration cannot be run as written. It does not load (syntax, schema,
  unknown ids, impossible dates such as 2025-02-30, ambiguous rules), or it contradicts itself
  or the calendar: a meeting on a weekend or public holiday, a milestone for a committee on a day
  it does not meet, a rule or target meeting naming a month in which the committee has no
  meeting, a target meeting a report cannot reach even when handed in on its due date.
- legal (exit 1): a limit of the law is broken: årsredovisning to fullmäktige by 15 April,
  delårsrapport within two months of its period, KS budget proposal before November, budget
  set before December; in an election year the budget set by the newly elected fullmäktige
  (term from 15 October); a delårsrapport covering between half and two thirds of the year.
- warning (exit 0, printed): the configuration runs, but a year lacks meetings that its rounds
  need (meeting plans are adopted a year at a time): those reports would wait for a meeting.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Literal

from pydantic import BaseModel

from arshjul.calendar.chains import chain_for, place, reviews_of
from arshjul.calendar.config import ArshjulConfig, ChainStep, Report, Review
from arshjul.calendar.crossref import cross_reference_issues
from arshjul.calendar.dates import Dates, period_ends, period_sv, submitters
from arshjul.calendar.issues_sv import issue_sv
from arshjul.calendar.legal import check_legal, coverage_violations, election_year_violations
from arshjul.calendar.motions import report_meetings
from arshjul.calendar.rules import MissingMeeting, RuleError
from arshjul.swedish import MONTHS_SV, date_sv, weekday_date_sv

Severity = Literal["error", "legal", "warning"]
EXIT_CODES: dict[str, int] = {"error": 2, "legal": 1, "warning": 0}


class Finding(BaseModel):
    """One thing `calendar check` reports: how serious, where in the file, what and why."""

    severity: Severity
    path: str  # e.g. "committees[1].meetings[4]"
    message: str  # English, for logs and the command line
    explanation_sv: str  # Swedish, for the ekonomichef


def exit_code(findings: list[Finding]) -> int:
    """Returns the exit code for a set of findings (the most serious one decides)."""
    return max((EXIT_CODES[f.severity] for f in findings), default=0)


def check_config(config: ArshjulConfig, years: list[int]) -> list[Finding]:
    """Lists every finding for the given years, errors first, each place and problem once."""
    dates = Dates(config)
    found = _meetings_on_holidays(config, dates)
    for year in years:
        found += _rules_without_meetings(config, dates, year)
        found += _milestones_off_meetings(config, dates, year)
        found += _motion_meetings(config, year)
        found += _review_meetings(config, dates, year)
        found += _legal(config, year)
    found += [
        Finding(severity="legal", path=v.path, message=v.message_en, explanation_sv=v.message_sv)
        for v in coverage_violations(config)
    ]
    unique = {(f.severity, f.path, f.message): f for f in found}
    order = {"error": 0, "legal": 1, "warning": 2}
    return sorted(unique.values(), key=lambda f: order[f.severity])


def check_edited(config: ArshjulConfig, years: list[int]) -> list[Finding]:
    """Checks an edited configuration as loading it and `calendar check` would, in one list."""
    # The loader's cross-reference checks come first: the per-year checks assume known ids.
    issues = cross_reference_issues(config)
    if issues:
        return [
            Finding(
                severity="error",
                path=path,
                message=message,
                explanation_sv=(
                    f"Konfigurationen hänger inte ihop vid {path}: {issue_sv(message) or message}. "
                    "Ändringen kan inte sparas."
                ),
            )
            for path, message in issues
        ]
    return check_config(config, years)


def _meetings_on_holidays(config: ArshjulConfig, dates: Dates) -> list[Finding]:
    found: list[Finding] = []
    for i, c in enumerate(config.committees):
        for j, m in enumerate(c.meetings):
            if dates.wd.is_working_day(m.date):
                continue
            why = dates.wd.holiday_name(m.date) or ("lördag" if m.date.weekday() == 5 else "söndag")
            found.append(
                Finding(
                    severity="error",
                    path=f"committees[{i}].meetings[{j}]",
                    message=f"{c.id} meets on {m.date} ({m.date:%A}), which is not a working day",
                    explanation_sv=(
                        f"{c.name} har ett sammanträde {weekday_date_sv(m.date)}, som inte är en "
                        f"arbetsdag ({why}). Kontrollera datumet mot sammanträdesplanen."
                    ),
                )
            )
    return found


def _plan_missing(config: ArshjulConfig, year: int) -> list[str]:
    # Committees whose meeting plan stops before `year`: they met before but have no date in it.
    return [
        c.name
        for c in config.committees
        if any(d.year < year for d in c.dates) and not any(d.year == year for d in c.dates)
    ]


def _no_plan(config: ArshjulConfig, year: int) -> Finding:
    # Meeting plans are adopted a year at a time: next year's is simply not in yet. One warning
    # per year says so, whatever counts from or waits for those meetings.
    lacking = ", ".join(_plan_missing(config, year))
    return Finding(
        severity="warning",
        path="committees",
        message=f"the meeting plan for {year} is missing ({lacking})",
        explanation_sv=(
            f"Sammanträdesplanen för {year} saknas ({lacking}): datum, målsammanträden och "
            f"ärenden som räknas från eller väntar på sammanträden {year} bestäms när den "
            "läggs in."
        ),
    )


def _missing(exc: MissingMeeting, config: ArshjulConfig, path: str, what: str) -> Finding:
    committee = config.committee(exc.committee)
    if committee.name in _plan_missing(config, exc.year):
        return _no_plan(config, exc.year)
    return Finding(
        severity="error",
        path=path,
        message=f"{what}: {exc}",
        explanation_sv=(
            f"{what} räknas från ett sammanträde: {exc.sv(committee.name)} Lägg in "
            "sammanträdesdagarna eller ändra regeln."
        ),
    )


def _rule_paths(report: Report, i: int, month: int) -> dict[str, str]:
    o = report.override(month)
    j = report.period_overrides.index(o) if o is not None else None
    return {
        which: (
            f"reports[{i}].period_overrides[{j}].{which}"
            if o is not None and getattr(o, which) is not None
            else f"reports[{i}].{which}"
        )
        for which in ("opens", "due")
    }


def _rules_without_meetings(config: ArshjulConfig, dates: Dates, year: int) -> list[Finding]:
    # A rule tied to a meeting in this year needs that meeting in the configuration.
    found: list[Finding] = []
    for i, m in enumerate(config.milestones):
        try:
            dates.milestone(m.id, year)
        except MissingMeeting as exc:
            title = m.title.replace("{år}", str(year + m.concerns_year_offset))
            found.append(_missing(exc, config, f"milestones[{i}].date", f"{title} ({year})"))
    for i, r in enumerate(config.reports):
        for end in period_ends(r, range(year - 1, year + 2)):
            for which, path in _rule_paths(r, i, end.month).items():
                try:
                    dates.report(r, end, which)
                except MissingMeeting as exc:
                    if exc.year == year:
                        label = f"{r.title} {period_sv(end)}"
                        found.append(_missing(exc, config, path, label))
                    break
    return found


def _motion_meetings(config: ArshjulConfig, year: int) -> list[Finding]:
    # Each reporting month of the motions needs a meeting of their committee that year.
    motions = config.motions
    if motions is None:
        return []
    dates = config.committee(motions.committee).dates
    found: list[Finding] = []
    for j, at in enumerate(motions.report_at):
        try:
            report_meetings(motions.model_copy(update={"report_at": [at]}), dates, year)
        except MissingMeeting as exc:
            label = f"Redovisningen av motioner som inte har beretts färdigt ({year})"
            found.append(_missing(exc, config, f"motions.report_at[{j}]", label))
    return found


def _milestones_off_meetings(config: ArshjulConfig, dates: Dates, year: int) -> list[Finding]:
    found: list[Finding] = []
    for i, m in enumerate(config.milestones):
        if m.committee is None:
            continue
        try:
            day = dates.milestone(m.id, year)
        except RuleError:
            continue  # reported by _rules_without_meetings
        committee = config.committee(m.committee)
        if day.year != year or day in committee.dates:
            continue
        same_month = [d for d in committee.dates if (d.year, d.month) == (day.year, day.month)]
        listed = ", ".join(date_sv(d) for d in same_month) or "inga"
        title = m.title.replace("{år}", str(year + m.concerns_year_offset))
        found.append(
            Finding(
                severity="error",
                path=f"milestones[{i}].date",
                message=f"{m.id} falls on {day}, but {committee.id} does not meet that day",
                explanation_sv=(
                    f"Milstolpen ”{title}” ligger {weekday_date_sv(day)}, men {committee.name} "
                    f"har inget sammanträde den dagen (sammanträden i "
                    f"{MONTHS_SV[day.month - 1]} {day.year}: {listed}). Knyt datumet till "
                    f"sammanträdet, t.ex. {{meeting: {committee.id}, month: {day.month}}}."
                ),
            )
        )
    return found


def _review_meetings(config: ArshjulConfig, dates: Dates, year: int) -> list[Finding]:
    # Walk every reviewed round due this year through its chain as if handed in on the due date.
    found: list[Finding] = []
    lacking: dict[str, list[tuple[str, dt.date]]] = defaultdict(list)
    for i, r in enumerate(config.reports):
        paths = {id(review): path for review, path, _ in reviews_of(r, f"reports[{i}]")}
        for end in period_ends(r, range(year - 1, year + 1)):
            review = r.review_for(end.month)
            if review is None:
                continue
            try:
                due = dates.report(r, end, "due")
            except RuleError:
                continue
            if due.year != year:
                continue
            label = f"{r.title} {period_sv(end)}"
            for chain in _chains(config, r, review):
                found += _walk(config, dates, r, end, due, chain, label, paths[id(review)], lacking)
    for committee_id, waiting in lacking.items():
        i = next(k for k, c in enumerate(config.committees) if c.id == committee_id)
        c = config.committees[i]
        rounds = []
        for label, since in waiting:
            if c.name in _plan_missing(config, since.year):
                found.append(_no_plan(config, since.year))
            else:
                rounds.append((label, since))
        if not rounds:
            continue
        last = max((d for d in c.dates), default=None)
        after = f"efter {date_sv(last)}" if last else "alls"
        example = rounds[0][0]
        found.append(
            Finding(
                severity="warning",
                path=f"committees[{i}].meetings",
                message=(
                    f"{committee_id} has no meeting for {len(rounds)} report round(s) due in "
                    f"{year} (first: {example}); they would wait for a meeting"
                ),
                explanation_sv=(
                    f"{c.name} har inget sammanträde {after} i konfigurationen, men "
                    f"{len(rounds)} rapport(er) med sista dag {year} ska behandlas där (t.ex. "
                    f"{example}). De väntar på ett sammanträde tills sammanträdesplanen läggs in."
                ),
            )
        )
    return found


def _chains(config: ArshjulConfig, report: Report, review: Review) -> list[list[ChainStep]]:
    # One chain per distinct committee sequence among the submitters (units' own nämnder).
    units = {u.id: u for u in config.units}
    chains: dict[tuple[str, ...], list[ChainStep]] = {}
    for submitter, _, _ in submitters(config, report):
        chain = chain_for(config, review, units.get(submitter))
        chains.setdefault(tuple(s.committee for s in chain), chain)
    return list(chains.values())


def _walk(
    config: ArshjulConfig,
    dates: Dates,
    report: Report,
    end: dt.date,
    due: dt.date,
    chain: list[ChainStep],
    label: str,
    path: str,
    lacking: dict[str, list[tuple[str, dt.date]]],
) -> list[Finding]:
    # The round as if handed in on its due date and approved at every step.
    found: list[Finding] = []
    today = due
    for step in chain:
        committee = config.committee(step.committee)
        try:
            target = dates.target(report, end, step)
        except MissingMeeting as exc:
            return [*found, _missing(exc, config, path, label)]
        meeting, missed = place(committee.dates, today, step.min_days_before_meeting or 0, target)
        if missed and target is not None:
            found.append(_unreachable(path, label, committee.name, target))
        if meeting is None:
            lacking[committee.id].append((label, today))
            break
        today = meeting
    return found


def _unreachable(path: str, label: str, name: str, target: dt.date) -> Finding:
    return Finding(
        severity="error",
        path=path,
        message=f"{label}: the target meeting {target} cannot be reached even on time",
        explanation_sv=(
            f"{label} ska behandlas av {name} {date_sv(target)}, men den hinner inte dit ens "
            "om den lämnas in på sista dagen (föredragningslistan stänger tidigare). Flytta "
            "sista dagen, välj ett senare sammanträde eller minska min_days_before_meeting."
        ),
    )


def _legal(config: ArshjulConfig, year: int) -> list[Finding]:
    # Items whose date cannot be computed are left out there (reported as errors above).
    violations = check_legal(config, year) + election_year_violations(config, year)
    return [
        Finding(severity="legal", path=v.path, message=v.message_en, explanation_sv=v.message_sv)
        for v in violations
    ]
