"""Legal limits of the kommunallag checked against a year: what is late, and by how much."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from arshjul.calendar.config import ArshjulConfig, LegalLimit
from arshjul.calendar.dates import Dates, period_ends
from arshjul.calendar.rules import last_day_of_month

_SV = {
    "arsredovisning_to_kf": "Årsredovisningen ska lämnas till fullmäktige och revisorerna "
    "senast den 15 april (kommunallagen 11 kap. 19–21 §§)",
    "delarsrapport_to_kf": "Delårsrapporten ska lämnas till fullmäktige och revisorerna "
    "inom två månader efter rapportperiodens slut",
    "ks_budget_proposal": "Kommunstyrelsens budgetförslag ska finnas före oktober månads utgång",
    "kf_budget": "Fullmäktige ska fastställa budgeten före november månads utgång",
}
_EN = {
    "arsredovisning_to_kf": "the annual report must reach the council and auditors by 15 April",
    "delarsrapport_to_kf": "the interim report must reach the council and auditors "
    "within two months of its period end",
    "ks_budget_proposal": "the executive committee's budget proposal is due before the end of "
    "October",
    "kf_budget": "the council must set the budget before the end of November",
}


class LegalViolation(BaseModel):
    """One item dated after the legal limit it is bound by."""

    rule: LegalLimit
    item: str  # milestone id, or report id with its period
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
    rule: LegalLimit, item: str, title: str, day: dt.date, limit: dt.date
) -> LegalViolation:
    return LegalViolation(
        rule=rule,
        item=item,
        title=title,
        date=day,
        limit=limit,
        message_sv=f'{_SV[rule]}: "{title}" är {day.isoformat()}, gränsen är {limit.isoformat()}.',
        message_en=f"{item}: {_EN[rule]}; it falls on {day}, the limit is {limit}",
    )


def check_legal(config: ArshjulConfig, year: int) -> list[LegalViolation]:
    """Lists every item dated in `year` that is bound by a legal limit and falls after it."""
    dates = Dates(config)
    found: list[LegalViolation] = []
    for m in config.milestones:
        if m.legal is None:
            continue
        day = dates.milestone(m.id, year)
        if day.year != year:
            continue
        concerns = year + m.concerns_year_offset
        period_end = _delar_period_end(config, day) if m.legal == "delarsrapport_to_kf" else None
        limit = legal_limit(m.legal, concerns, period_end)
        if day > limit:
            found.append(
                _violation(m.legal, m.id, m.title.replace("{år}", str(concerns)), day, limit)
            )
    for r in config.reports:
        if r.legal is None:
            continue
        for end in period_ends(r, range(year - 1, year + 1)):
            due = dates.report(r, end, "due")
            if due.year != year:
                continue
            # A report concerns its period's year; a budget report prepares the year after.
            concerns = end.year + (1 if r.legal in ("ks_budget_proposal", "kf_budget") else 0)
            limit = legal_limit(r.legal, concerns, end)
            if due > limit:
                title = f"{r.title} {end:%Y-%m} (sista dag)"
                found.append(_violation(r.legal, f"{r.id}/{end:%Y-%m}", title, due, limit))
    return sorted(found, key=lambda v: (v.date, v.item))
