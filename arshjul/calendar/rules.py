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
    DayAfterPeriod,
    FixedDate,
    LastWorkingDayOfMonth,
    MeetingChoice,
    MeetingDate,
    Offset,
    WorkingDaysAfterPeriodEnd,
)
from arshjul.calendar.workdays import WorkingDays
from arshjul.swedish import MONTHS_SV

Resolver = Callable[[str], dt.date]
Meetings = Callable[[str], list[dt.date]]  # committee id -> its meeting days in order


class RuleError(ValueError):
    """A rule that cannot be evaluated (an offset target that does not exist, a cycle)."""


class MissingMeeting(RuleError):
    """A rule or target names a committee's meeting that the configuration does not have."""

    def __init__(self, committee: str, year: int, month: int | None, after: dt.date | None = None):
        self.committee, self.year, self.month, self.after = committee, year, month, after
        if month is not None:
            super().__init__(f"committee {committee!r} has no meeting in {year:04d}-{month:02d}")
        else:
            super().__init__(f"committee {committee!r} has no meeting on or after {after}")

    def sv(self, name: str) -> str:
        """Returns the problem in Swedish, with the committee's name."""
        if self.month is not None:
            when = f"i {MONTHS_SV[self.month - 1]} {self.year}"
        else:
            when = f"den {self.after} eller senare"
        return f"{name} har inget sammanträde {when} i konfigurationen."


def last_day_of_month(year: int, month: int) -> dt.date:
    """Returns the last day of a month."""
    return dt.date(year, month, pycalendar.monthrange(year, month)[1])


def month_after(anchor: dt.date, month: int) -> int:
    """Returns the year of the first month `month` that starts after `anchor`."""
    return anchor.year if dt.date(anchor.year, month, 1) > anchor else anchor.year + 1


def add_months(day: dt.date, months: int) -> tuple[int, int]:
    """Returns (year, month) of the month `months` after the month of `day`."""
    index = day.year * 12 + day.month - 1 + months
    return index // 12, index % 12 + 1


def _in_month(committee: str, dates: list[dt.date], year: int, month: int, which: str) -> dt.date:
    found = [d for d in dates if (d.year, d.month) == (year, month)]
    if not found:
        raise MissingMeeting(committee, year, month)
    return found[0] if which == "first" else found[-1]


def choose_meeting(
    choice: MeetingChoice, committee: str, dates: list[dt.date], anchor: dt.date, due: dt.date
) -> dt.date:
    """Returns the meeting a target names, for a period ending on `anchor` and due on `due`."""
    if choice.days_after_due is not None:
        earliest = due + dt.timedelta(days=choice.days_after_due)
        found = next((d for d in dates if d >= earliest), None)
        if found is None:
            raise MissingMeeting(committee, earliest.year, None, earliest)
        return found
    if choice.month is not None:
        year, month = month_after(anchor, choice.month), choice.month
    else:
        year, month = add_months(anchor, choice.months_after_period or 0)
    return _in_month(committee, dates, year, month, choice.which)


def evaluate(
    rule: DateRule,
    anchor: dt.date,
    wd: WorkingDays,
    resolve: Resolver | None = None,
    meetings: Meetings | None = None,
) -> dt.date:
    """Returns the date a rule gives for `anchor`.

    `resolve` names the dates offsets start from; `meetings` gives a committee's meeting days.
    """
    if isinstance(rule, WorkingDaysAfterPeriodEnd):
        day = wd.move(wd.add(anchor, rule.working_days_after_period_end), rule.move)
        # "0 working days after" a period ending on a weekend is the next working day: a
        # request never goes out before its period has ended.
        return day if day >= anchor else wd.next_or_same(anchor)
    if isinstance(rule, DayAfterPeriod):
        year, month = add_months(anchor, rule.months_after_period)
        last = last_day_of_month(year, month)
        if rule.day == "last_working_day":
            return wd.previous_or_same(last)
        return wd.move(dt.date(year, month, min(rule.day, last.day)), rule.move)
    if isinstance(rule, MeetingDate):
        if meetings is None:
            raise RuleError(f"a rule on {rule.meeting!r}'s meetings needs the meeting dates")
        if rule.month is not None:
            year, month = month_after(anchor, rule.month), rule.month
        else:
            year, month = add_months(anchor, rule.months_after_period or 0)
        day = _in_month(rule.meeting, meetings(rule.meeting), year, month, rule.which)
        if rule.working_days_before:
            return wd.move(wd.add(day, -rule.working_days_before), rule.move)
        return wd.move(day - dt.timedelta(days=rule.days_before or 0), rule.move)
    if isinstance(rule, FixedDate):
        year = month_after(anchor, rule.month)
        # 29 February in a common year means its last day.
        day_of_month = min(rule.day, last_day_of_month(year, rule.month).day)
        return wd.move(dt.date(year, rule.month, day_of_month), rule.move)
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


def _months_after_sv(n: int) -> str:
    if n == 0:
        return "periodens sista månad"
    if n == 1:
        return "månaden efter periodens slut"
    return f"{n} månader efter periodens sista månad"


def describe(
    rule: DateRule, names: dict[str, str] | None = None, committees: dict[str, str] | None = None
) -> str:
    """Returns the rule in Swedish words ("8 arbetsdagar efter periodens slut").

    `names` gives milestone titles, `committees` committee names, by id.
    """
    names = {"opens": "öppnandet", "due": "sista dagen", **(names or {})}
    if isinstance(rule, DayAfterPeriod):
        month = _months_after_sv(rule.months_after_period)
        if rule.day == "last_working_day":
            return f"sista arbetsdagen i {month}"
        return f"den {rule.day} i {month}{_moved(rule.move)}"
    if isinstance(rule, MeetingDate):
        name = (committees or {}).get(rule.meeting, rule.meeting)
        month_sv = (
            MONTHS_SV[rule.month - 1]
            if rule.month is not None
            else _months_after_sv(rule.months_after_period or 0)
        )
        which = "första" if rule.which == "first" else "sista"
        meeting = f"{which} sammanträdet med {name} i {month_sv}"
        if rule.working_days_before:
            return f"{days_sv(rule.working_days_before, 'arbetsdagar')} före {meeting}"
        if rule.days_before:
            return f"{days_sv(rule.days_before, 'dagar')} före {meeting}"
        return meeting
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
