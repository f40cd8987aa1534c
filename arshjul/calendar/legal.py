"""Legal limits of the kommunallag checked against a year: what is late, and by how much."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel

from arshjul.calendar.config import ArshjulConfig, LegalLimit, Report
from arshjul.calendar.dates import Dates, period_ends
from arshjul.calendar.rules import RuleError, last_day_of_month

_SV = {
    "arsredovisning_to_kf": "Årsredovisningen ska lämnas till fullmäktige och revisorerna "
    "senast den 15 april (kommunallagen 11 kap. 19–21 §§)",
    "delarsrapport_to_kf": "Delårsrapporten ska lämnas till fullmäktige och revisorerna "
    "inom två månader efter rapportperiodens slut",
    "ks_budget_proposal": "Kommunstyrelsens budgetförslag ska finnas före oktober månads utgång",
    "kf_budget": "Fullmäktige ska fastställa budgeten före november månads utgång",
    "election_year_budget": "Under ett valår fastställs budgeten av de nyvalda fullmäktige, "
    "vars mandattid börjar den 15 oktober (kommunallagen 11 kap. 11 § och 5 kap. 9 §)",
    "delarsrapport_coverage": "Delårsrapporten ska omfatta minst hälften och högst två "
    "tredjedelar av räkenskapsåret (lag om kommunal bokföring och redovisning 13 kap. 1 §)",
}
_EN = {
    "arsredovisning_to_kf": "the annual report must reach the council and auditors by 15 April",
    "delarsrapport_to_kf": "the interim report must reach the council and auditors "
    "within two months of its period end",
    "ks_budget_proposal": "the executive committee's budget proposal is due before the end of "
    "October",
    "kf_budget": "the council must set the budget before the end of November",
    "election_year_budget": "in an election year the newly elected council sets the budget, and "
    "its term starts on 15 October",
    "delarsrapport_coverage": "an interim report must cover between half and two thirds of the "
    "year (period ending in June, July or August)",
}
# Sweden elects its councils every four years in September (2022, 2026, 2030, …).
ELECTION_YEAR_REMAINDER = 2022 % 4
NEW_COUNCIL_FROM = (10, 15)  # month, day: fullmäktige's term starts 15 October of the valår


def is_election_year(year: int) -> bool:
    """Tells whether `year` is a valår (general elections in September)."""
    return year % 4 == ELECTION_YEAR_REMAINDER


class LegalViolation(BaseModel):
    """One item dated outside the legal limit it is bound by."""

    rule: LegalLimit | str
    item: str  # milestone id, or report id with its period
    path: str = ""  # where in the configuration: "milestones[3].date"
    title: str
    date: dt.date
    limit: dt.date
    message_sv: str
    message_en: str


def two_months_after(period_end: dt.date) -> dt.date:
    """Returns the day two months after a period end (a month's last day stays a last day)."""
    month = period_end.month + 2
    year = period_end.year + (month - 1) // 12
    month = (month - 1) % 12 + 1
    last = last_day_of_month(year, month)
    if period_end == last_day_of_month(period_end.year, period_end.month):
        return last
    return min(dt.date(year, month, period_end.day), last)


def legal_limit(rule: LegalLimit, concerns: int, period_end: dt.date | None = None) -> dt.date:
    """Returns the latest lawful date for a rule, for the year the item concerns."""
    if rule == "arsredovisning_to_kf":
        return dt.date(concerns + 1, 4, 15)
    if rule == "delarsrapport_to_kf":
        return two_months_after(period_end or dt.date(concerns, 8, 31))
    if rule == "ks_budget_proposal":
        return dt.date(concerns - 1, 10, 31)
    return dt.date(concerns - 1, 11, 30)


def _delar_period_end(config: ArshjulConfig, before: dt.date) -> dt.date | None:
    # A milestone bound by the delårsrapport limit counts from the latest delår period before it.
    ends = [
        end
        for r in config.reports
        if r.legal == "delarsrapport_to_kf"
        for end in period_ends(r, range(before.year - 1, before.year + 1))
        if end < before
    ]
    return max(ends) if ends else None


def _violation(
    rule: str,
    item: str,
    title: str,
    day: dt.date,
    limit: dt.date,
    path: str,
    earliest: bool = False,
) -> LegalViolation:
    bound = "tidigast" if earliest else "gränsen är"
    return LegalViolation(
        rule=rule,
        item=item,
        path=path,
        title=title,
        date=day,
        limit=limit,
        message_sv=f'{_SV[rule]}: "{title}" är {day.isoformat()}, {bound} {limit.isoformat()}.',
        message_en=(
            f"{item}: {_EN[rule]}; it falls on {day}, the "
            f"{'earliest lawful date' if earliest else 'limit'} is {limit}"
        ),
    )


def _computable(date_of: Callable[..., dt.date], *args: Any) -> dt.date | None:
    # A date that cannot be computed (a missing meeting) is `calendar check`'s error of its
    # own; the other items of the year are still checked against the law.
    try:
        return date_of(*args)
    except RuleError:
        return None


def check_legal(config: ArshjulConfig, year: int) -> list[LegalViolation]:
    """Lists every item dated in `year` that is bound by a legal limit and falls after it."""
    dates = Dates(config)
    found: list[LegalViolation] = []
    for i, m in enumerate(config.milestones):
        if m.legal is None:
            continue
        day = _computable(dates.milestone, m.id, year)
        if day is None or day.year != year:
            continue
        concerns = year + m.concerns_year_offset
        period_end = _delar_period_end(config, day) if m.legal == "delarsrapport_to_kf" else None
        limit = legal_limit(m.legal, concerns, period_end)
        if day > limit:
            title = m.title.replace("{år}", str(concerns))
            found.append(_violation(m.legal, m.id, title, day, limit, f"milestones[{i}].date"))
    for i, r in enumerate(config.reports):
        for end in period_ends(r, range(year - 1, year + 1)):
            rule = r.legal_for(end.month)
            if rule is None:
                continue
            due = _computable(dates.report, r, end, "due")
            if due is None or due.year != year:
                continue
            # A report concerns its period's year; a budget report prepares the year after.
            concerns = end.year + (1 if rule in ("ks_budget_proposal", "kf_budget") else 0)
            limit = legal_limit(rule, concerns, end)
            if due > limit:
                title = f"{r.title} {end:%Y-%m} (sista dag)"
                item = f"{r.id}/{end:%Y-%m}"
                found.append(_violation(rule, item, title, due, limit, f"reports[{i}].due"))
    return sorted(found, key=lambda v: (v.date, v.item))


def election_year_violations(config: ArshjulConfig, year: int) -> list[LegalViolation]:
    """Lists budget decisions of a valår taken before the newly elected fullmäktige's term."""
    if not is_election_year(year):
        return []
    dates = Dates(config)
    start = dt.date(year, *NEW_COUNCIL_FROM)
    found = []
    items: list[tuple[str, str, str, tuple[Report, dt.date] | None]] = [
        (m.title.replace("{år}", str(year + 1)), m.id, f"milestones[{i}].date", None)
        for i, m in enumerate(config.milestones)
        if m.legal == "kf_budget"
    ]
    for i, r in enumerate(config.reports):
        for end in period_ends(r, range(year - 1, year + 1)):
            if r.legal_for(end.month) == "kf_budget":
                label = f"{r.title} {end:%Y-%m} (sista dag)"
                items.append((label, f"{r.id}/{end:%Y-%m}", f"reports[{i}].due", (r, end)))
    computed = [
        (
            title,
            item,
            path,
            _computable(dates.report, r[0], r[1], "due")
            if r
            else _computable(dates.milestone, item, year),
        )
        for title, item, path, r in items
    ]
    dated = [(t, i, p, day) for t, i, p, day in computed if day is not None and day.year == year]
    if any(day >= start for *_, day in dated):
        # The newly elected fullmäktige sets the budget after all (in November, as the law
        # wants); an earlier decision of the old one is a preliminary budget, not a broken law.
        return []
    for title, item, path, day in dated:
        found.append(
            _violation("election_year_budget", item, title, day, start, path, earliest=True)
        )
    return found


COVERAGE_MONTHS = range(6, 9)  # half (June) to two thirds (August) of the year


def is_delarsrapport(report: Report) -> bool:
    """Tells whether a report is (or holds) the delårsrapport: a period bound by its limit, or
    named so in its id or title."""
    named = "delårsrapport" in report.title.lower() or report.id.startswith("delarsrapport")
    tagged = any(report.legal_for(m) == "delarsrapport_to_kf" for m in report.period_months)
    return named or tagged


def coverage_violations(config: ArshjulConfig) -> list[LegalViolation]:
    """Lists delårsrapporter none of whose periods covers half to two thirds of the year.

    LKBR 13 kap. 1 §: at least one delårsrapport a year covers from the start of the year at
    least half and at most two thirds of it; other periods of the same report (a March report
    beside the August one) are not bound by it.
    """
    found = []
    for i, r in enumerate(config.reports):
        if not r.period_months or not is_delarsrapport(r):
            continue
        if any(month in COVERAGE_MONTHS for month in r.period_months):
            continue
        months = ", ".join(str(m) for m in r.period_months)
        title = f"{r.title} (perioder som slutar i månad {months} av 12)"
        found.append(
            LegalViolation(
                rule="delarsrapport_coverage",
                item=r.id,
                path=f"reports[{i}].period_months",
                title=title,
                date=last_day_of_month(2000, r.period_months[-1]),
                limit=last_day_of_month(2000, COVERAGE_MONTHS[-1]),
                message_sv=f'{_SV["delarsrapport_coverage"]}: "{title}".',
                message_en=(
                    f"{r.id}: {_EN['delarsrapport_coverage']}; its periods end in months {months}"
                ),
            )
        )
    return found
