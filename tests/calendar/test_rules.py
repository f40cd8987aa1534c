"""Each kind of date rule against an anchor, and the rule in Swedish words."""

from __future__ import annotations

import datetime as dt

import pytest

from arshjul.calendar.config import (
    BeforeEndOfMonth,
    FixedDate,
    LastWorkingDayOfMonth,
    Offset,
    WorkingDaysAfterPeriodEnd,
)
from arshjul.calendar.rules import RuleError, describe, evaluate, month_after
from arshjul.calendar.workdays import WorkingDays

D = dt.date
wd = WorkingDays()


def test_month_m_is_the_first_month_m_after_the_anchor() -> None:
    assert month_after(D(2025, 12, 31), 4) == 2026  # 15 april after period 2025-12
    assert month_after(D(2026, 8, 31), 9) == 2026
    assert month_after(D(2026, 8, 31), 8) == 2027  # August 2026 started before the anchor


@pytest.mark.parametrize(
    ("rule", "anchor", "expected"),
    [
        # 2026-02-28 is a Saturday: Mar 2..6 are 5 working days, Mar 9..13 five more.
        (
            WorkingDaysAfterPeriodEnd(working_days_after_period_end=10),
            D(2026, 2, 28),
            D(2026, 3, 13),
        ),
        # "0 working days after" a period ending on Saturday 28 February is Monday 2 March, not
        # Friday 27 February: a request never opens before its period has ended.
        (
            WorkingDaysAfterPeriodEnd(working_days_after_period_end=0),
            D(2026, 2, 28),
            D(2026, 3, 2),
        ),
        # 15 April 2028 is påskafton, between långfredag (14th) and annandag påsk (17th):
        # the previous working day is Thursday 13th, the next Tuesday 18th.
        (FixedDate(month=4, day=15), D(2027, 12, 31), D(2028, 4, 13)),
        (FixedDate(month=4, day=15, move="next"), D(2027, 12, 31), D(2028, 4, 18)),
        (FixedDate(month=4, day=15, move="none"), D(2027, 12, 31), D(2028, 4, 15)),
        (FixedDate(month=2, day=29), D(2026, 12, 31), D(2027, 2, 26)),  # 28 Feb 2027 is a Sunday
        (FixedDate(month=2, day=29), D(2027, 12, 31), D(2028, 2, 29)),  # leap year, a Tuesday
        # 31 December 2026 is nyårsafton: the last working day is Wednesday the 30th.
        (LastWorkingDayOfMonth(last_working_day_of_month=12), D(2026, 10, 31), D(2026, 12, 30)),
        # 31 October 2026 is a Saturday (and alla helgons dag): Friday the 30th.
        (BeforeEndOfMonth(before_end_of_month=10), D(2025, 12, 31), D(2026, 10, 30)),
        (
            BeforeEndOfMonth(before_end_of_month=10, working_days_before=3),
            D(2025, 12, 31),
            D(2026, 10, 27),
        ),
    ],
)
def test_rules(rule: object, anchor: dt.date, expected: dt.date) -> None:
    assert evaluate(rule, anchor, wd) == expected  # type: ignore[arg-type]


def test_offsets_count_from_the_resolved_item() -> None:
    dates = {"ks": D(2026, 3, 24)}
    assert evaluate(
        Offset(after="ks", working_days=2), D(2025, 12, 31), wd, dates.__getitem__
    ) == D(2026, 3, 26)
    # 7 calendar days after Tuesday 2026-06-12 is Friday 19 June, midsommarafton: moved back.
    dates = {"x": D(2026, 6, 12)}
    assert evaluate(Offset(after="x", days=7), D(2025, 12, 31), wd, dates.__getitem__) == D(
        2026, 6, 18
    )
    assert evaluate(Offset(after="x", days=-12), D(2025, 12, 31), wd, dates.__getitem__) == D(
        2026, 5, 29
    )
    with pytest.raises(RuleError):
        evaluate(Offset(after="x"), D(2025, 12, 31), wd)


def test_rules_in_swedish_words() -> None:
    assert describe(WorkingDaysAfterPeriodEnd(working_days_after_period_end=8)) == (
        "8 arbetsdagar efter periodens slut"
    )
    assert describe(FixedDate(month=4, day=15)).startswith("15 april")
    assert (
        describe(LastWorkingDayOfMonth(last_working_day_of_month=2))
        == "sista arbetsdagen i februari"
    )
    assert describe(BeforeEndOfMonth(before_end_of_month=10)) == "före oktober månads utgång"
    text = describe(Offset(after="ks", working_days=1), {"ks": "KS fastställer"})
    assert text.startswith("1 arbetsdag efter KS fastställer")
