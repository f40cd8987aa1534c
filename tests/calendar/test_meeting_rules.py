"""The date rules added for any municipality's year, against dates worked out by hand.

Non-working days used below: 2025: Sun 31 Aug. 2026: långfredag 3 Apr, annandag påsk 6 Apr,
Kristi himmelfärd 14 May, midsommarafton 19 Jun, julafton 24 Dec, nyårsafton 31 Dec; weekends.
"""

from __future__ import annotations

import datetime as dt

import pytest

from arshjul.calendar.chains import place
from arshjul.calendar.config import (
    ArshjulConfig,
    DayAfterPeriod,
    MeetingChoice,
    MeetingDate,
    WorkingDaysAfterPeriodEnd,
)
from arshjul.calendar.dates import Dates
from arshjul.calendar.loader import load_config_text
from arshjul.calendar.rules import MissingMeeting, choose_meeting, describe, evaluate
from arshjul.calendar.schedule import reminder_days
from arshjul.calendar.workdays import WorkingDays
from tests.calendar.conftest import dump

D = dt.date
wd = WorkingDays()

DAY_AFTER_PERIOD = [
    # The 10th of the month after the period: August 2025 -> Wednesday 10 September 2025 (a fixed
    # {month: 5, day: 10} would have said May 2026).
    ({"months_after_period": 1, "day": 10}, D(2025, 8, 31), D(2025, 9, 10)),
    # April 2026 -> 10 May is a Sunday: Friday 8 May.
    ({"months_after_period": 1, "day": 10}, D(2026, 4, 30), D(2026, 5, 8)),
    # Påsk: 3 April 2026 is långfredag: back to Thursday 2 April, or on to Tuesday 7 April.
    ({"months_after_period": 2, "day": 3}, D(2026, 2, 28), D(2026, 4, 2)),
    ({"months_after_period": 2, "day": 3, "move": "next"}, D(2026, 2, 28), D(2026, 4, 7)),
    # Midsommar: 19 June 2026 is midsommarafton: Thursday 18 June.
    ({"months_after_period": 1, "day": 19}, D(2026, 5, 31), D(2026, 6, 18)),
    # Jul: julafton 24 December 2026 -> Wednesday 23 December; the last working day of December
    # 2026 is Wednesday 30 (nyårsafton is not worked).
    ({"months_after_period": 1, "day": 24}, D(2026, 11, 30), D(2026, 12, 23)),
    ({"months_after_period": 1, "day": "last_working_day"}, D(2026, 11, 30), D(2026, 12, 30)),
    # Day 31 of a 30-day month is its last day; the period's own month is months_after_period 0.
    ({"months_after_period": 1, "day": 31}, D(2026, 8, 31), D(2026, 9, 30)),
    ({"months_after_period": 0, "day": "last_working_day"}, D(2026, 2, 28), D(2026, 2, 27)),
    # Across the new year: two months after November 2026 is January 2027; the 6th is
    # trettondedag jul, so Tuesday 5 January.
    ({"months_after_period": 2, "day": 6}, D(2026, 11, 30), D(2027, 1, 5)),
]


@pytest.mark.parametrize(("rule", "anchor", "expected"), DAY_AFTER_PERIOD)
def test_day_after_period(rule: dict, anchor: dt.date, expected: dt.date) -> None:
    assert evaluate(DayAfterPeriod.model_validate(rule), anchor, wd) == expected


def test_a_request_never_opens_before_its_period_ends() -> None:
    # August 2025 ends on a Sunday: "0 working days after" is Monday 1 September, not Friday 29
    # August; a period ending on a working day opens that day.
    rule = WorkingDaysAfterPeriodEnd(working_days_after_period_end=0)
    assert evaluate(rule, D(2025, 8, 31), wd) == D(2025, 9, 1)
    assert evaluate(rule, D(2026, 8, 31), wd) == D(2026, 8, 31)


def test_reminders_count_back_from_the_real_due_date() -> None:
    # Due Saturday 15 February 2025 (move: none): 1 working day before is Friday 14, 3 are
    # Wednesday 12. The first release counted from Friday and said 11 and 13.
    assert reminder_days(D(2025, 2, 15), [3, 1], wd) == [D(2025, 2, 12), D(2025, 2, 14)]
    assert reminder_days(D(2025, 2, 15), [3, 1], wd, from_due=False) == [
        D(2025, 2, 11),
        D(2025, 2, 13),
    ]
    # A due date on a working day is unchanged: Friday 14 -> 11 and 13.
    assert reminder_days(D(2025, 2, 14), [3, 1], wd) == [D(2025, 2, 11), D(2025, 2, 13)]


KS = {
    2026: [D(2026, 4, 21), D(2026, 10, 13), D(2026, 10, 27)],
    2027: [D(2027, 10, 12), D(2027, 10, 26), D(2027, 11, 23)],
}
KS_MEETINGS = sorted(d for days in KS.values() for d in days)


@pytest.mark.parametrize(
    ("rule", "anchor", "expected"),
    [
        # "10 arbetsdagar före KS sammanträde i oktober", two years running. 2026: KS meets
        # Tuesday 13 October; back over Oct 12, 9, 8, 7, 6, 5, 2, 1, Sep 30, 29 -> 29 September.
        ({"month": 10, "working_days_before": 10}, D(2025, 12, 31), D(2026, 9, 29)),
        # 2027: Tuesday 12 October; Oct 11, 8, 7, 6, 5, 4, 1, Sep 30, 29, 28 -> 28 September.
        ({"month": 10, "working_days_before": 10}, D(2026, 12, 31), D(2027, 9, 28)),
        # From a period: the meeting two months after the delår period August 2027.
        ({"months_after_period": 2, "working_days_before": 10}, D(2027, 8, 31), D(2027, 9, 28)),
        # Påsk: 10 working days before 21 April 2026 skip annandag påsk and långfredag:
        # Apr 20, 17, 16, 15, 14, 13, 10, 9, 8, 7 -> Tuesday 7 April.
        ({"month": 4, "working_days_before": 10}, D(2025, 12, 31), D(2026, 4, 7)),
        # The last meeting of October, on the day; two weeks before November's meeting.
        ({"month": 10, "which": "last"}, D(2025, 12, 31), D(2026, 10, 27)),
        ({"month": 11, "days_before": 14}, D(2026, 12, 31), D(2027, 11, 9)),
    ],
)
def test_meeting_relative_dates(rule: dict, anchor: dt.date, expected: dt.date) -> None:
    meeting = MeetingDate.model_validate({"meeting": "ks", **rule})
    assert evaluate(meeting, anchor, wd, meetings=lambda _: KS_MEETINGS) == expected


def test_a_missing_meeting_says_which_month() -> None:
    rule = MeetingDate(meeting="ks", month=9)
    with pytest.raises(MissingMeeting) as caught:
        evaluate(rule, D(2025, 12, 31), wd, meetings=lambda _: KS_MEETINGS)
    assert (caught.value.committee, caught.value.year, caught.value.month) == ("ks", 2026, 9)
    assert caught.value.sv("Kommunstyrelsen") == (
        "Kommunstyrelsen har inget sammanträde i september 2026 i konfigurationen."
    )


def test_describe_the_new_rules_in_swedish() -> None:
    names = {"ks": "kommunstyrelsen"}
    assert describe(DayAfterPeriod(months_after_period=1, day=10)) == (
        "den 10 i månaden efter periodens slut (flyttas till föregående arbetsdag om dagen inte "
        "är en arbetsdag)"
    )
    assert describe(DayAfterPeriod(months_after_period=1, day="last_working_day")) == (
        "sista arbetsdagen i månaden efter periodens slut"
    )
    rule = MeetingDate(meeting="ks", month=10, working_days_before=10)
    assert describe(rule, committees=names) == (
        "10 arbetsdagar före första sammanträdet med kommunstyrelsen i oktober"
    )


def test_target_meetings() -> None:
    # The meeting in a month, the last one, or the first at least N days after the due date.
    due = D(2026, 9, 21)

    def choose(**kw: object) -> dt.date:
        return choose_meeting(MeetingChoice(**kw), "ks", KS_MEETINGS, D(2026, 8, 31), due)

    assert choose(month=10) == D(2026, 10, 13)
    assert choose(month=10, which="last") == D(2026, 10, 27)
    assert choose(months_after_period=2) == D(2026, 10, 13)
    assert choose(days_after_due=22) == D(2026, 10, 13)  # 13 October is exactly 22 days after
    assert choose(days_after_due=23) == D(2026, 10, 27)


def test_placing_a_report_never_slides_silently() -> None:
    meetings = [D(2026, 10, 6), D(2026, 10, 13), D(2026, 10, 27)]
    # Early: it waits for its target even though 6 October comes first.
    assert place(meetings, D(2026, 9, 21), 7, D(2026, 10, 13)) == (D(2026, 10, 13), False)
    # Late (agenda closed 6 October): the next meeting it can reach, marked as missed.
    assert place(meetings, D(2026, 10, 7), 7, D(2026, 10, 13)) == (D(2026, 10, 27), True)
    # Without a target: the first meeting at least 7 days away; none left: None.
    assert place(meetings, D(2026, 9, 21), 7, None) == (D(2026, 10, 6), False)
    assert place(meetings, D(2026, 10, 21), 7, None) == (None, False)


def _monthly(overrides: list[dict]) -> ArshjulConfig:
    return load_config_text(
        dump(
            {
                "organisation": {"id": "k", "name": "Kommunen"},
                "units": [{"id": "u", "name": "U", "chef": {"name": "C", "email": "c@x.org"}}],
                "reports": [
                    {
                        "id": "manad",
                        "title": "Månadsrapport",
                        "sections": ["economic"],
                        "submitters": {"units": "all"},
                        "period_months": [5, 6, 9],
                        "opens": {"working_days_after_period_end": 3},
                        "due": {"months_after_period": 1, "day": 10},
                        "period_overrides": overrides,
                    }
                ],
            }
        )
    )


def test_a_per_period_override_changes_only_its_period() -> None:
    config = _monthly([{"period_month": 6, "due": {"months_after_period": 2, "day": 10}}])
    dates, report = Dates(config), config.reports[0]
    ends = [D(2026, 5, 31), D(2026, 6, 30), D(2026, 9, 30)]
    due = {end.month: dates.report(report, end, "due") for end in ends}
    # May -> Wednesday 10 June; June (after the summer) -> Monday 10 August; September -> Saturday
    # 10 October, moved to Friday 9 October.
    assert due == {5: D(2026, 6, 10), 6: D(2026, 8, 10), 9: D(2026, 10, 9)}
