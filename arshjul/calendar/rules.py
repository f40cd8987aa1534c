"""Date rules evaluated against an anchor, and put into Swedish words.

The anchor is a report period's last day, or for milestones 31 December of the year before the
calendar year. "Month M" is the first month M that starts after the anchor.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections.abc import Callable

from arshjul.calendar.config import (
    BeforeEndOfMonth,
    DateRule,
    FixedDate,
    LastWorkingDayOfMonth,
    Offset,
    WorkingDaysAfterPeriodEnd,
)
from arshjul.calendar.workdays import WorkingDays
from arshjul.swedish import MONTHS_SV

Resolver = Callable[[str], dt.date]


class RuleError(ValueError):
    """A rule that cannot be evaluated (an offset target that does not exist, a cycle)."""


def last_day_of_month(year: int, month: int) -> dt.date:
    """Returns the last day of a month."""
    return dt.date(year, month, pycalendar.monthrange(year, month)[1])


def month_after(anchor: dt.date, month: int) -> int:
    """Returns the year of the first month `month` that starts after `anchor`."""
    return anchor.year if dt.date(anchor.year, month, 1) > anchor else anchor.year + 1


def evaluate(
    rule: DateRule, anchor: dt.date, wd: WorkingDays, resolve: Resolver | None = None
) -> dt.date:
    """Returns the date a rule gives for `anchor`; `resolve` names the dates offsets start from."""
    if isinstance(rule, WorkingDaysAfterPeriodEnd):
        return wd.move(wd.add(anchor, rule.working_days_after_period_end), rule.move)
    if isinstance(rule, FixedDate):
        year = month_after(anchor, rule.month)
        # 29 February in a common year means its last day.
        day = min(rule.day, last_day_of_month(year, rule.month).day)
        return wd.move(dt.date(year, rule.month, day), rule.move)
    if isinstance(rule, LastWorkingDayOfMonth):
        month = rule.last_working_day_of_month
        return wd.previous_or_same(last_day_of_month(month_after(anchor, month), month))
    if isinstance(rule, BeforeEndOfMonth):
        month = rule.before_end_of_month
        end = wd.move(last_day_of_month(month_after(anchor, month), month), rule.move)
        return wd.add(end, -rule.working_days_before) if rule.working_days_before else end
    if isinstance(rule, Offset):
        if resolve is None:
            raise RuleError(f"offset from {rule.after!r} needs a resolver")
        base = resolve(rule.after)
        if rule.working_days is not None:
            return wd.move(wd.add(base, rule.working_days), rule.move)
        return wd.move(base + dt.timedelta(days=rule.days or 0), rule.move)
    raise RuleError(f"unknown rule {rule!r}")


def _moved(move: str) -> str:
    if move == "previous":
        return " (flyttas till föregående arbetsdag om dagen inte är en arbetsdag)"
    if move == "next":
        return " (flyttas till nästa arbetsdag om dagen inte är en arbetsdag)"
    return ""


def days_sv(n: int, unit: str) -> str:
    """Returns "1 arbetsdag" / "3 arbetsdagar" (unit given in the plural)."""
    return f"{n} {unit}" if n != 1 else f"1 {unit[:-2] if unit.endswith('ar') else unit}"


def describe(rule: DateRule, names: dict[str, str] | None = None) -> str:
    """Returns the rule in Swedish words ("8 arbetsdagar efter periodens slut")."""
    names = {"opens": "öppnandet", "due": "sista dagen", **(names or {})}
    if isinstance(rule, WorkingDaysAfterPeriodEnd):
        n = rule.working_days_after_period_end
        return f"{days_sv(n, 'arbetsdagar')} efter periodens slut"
    if isinstance(rule, FixedDate):
        return f"{rule.day} {MONTHS_SV[rule.month - 1]}{_moved(rule.move)}"
    if isinstance(rule, LastWorkingDayOfMonth):
        return f"sista arbetsdagen i {MONTHS_SV[rule.last_working_day_of_month - 1]}"
    if isinstance(rule, BeforeEndOfMonth):
        month = MONTHS_SV[rule.before_end_of_month - 1]
        if rule.working_days_before:
            return f"{days_sv(rule.working_days_before, 'arbetsdagar')} före {month} månads utgång"
        return f"före {month} månads utgång"
    if isinstance(rule, Offset):
        target = names.get(rule.after, rule.after)
        if rule.working_days is not None:
            amount = days_sv(abs(rule.working_days), "arbetsdagar")
        else:
            amount = days_sv(abs(rule.days or 0), "dagar")
        direction = "före" if (rule.working_days or rule.days or 0) < 0 else "efter"
        return f"{amount} {direction} {target}{_moved(rule.move)}"
    return str(rule)
