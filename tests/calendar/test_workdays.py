"""Swedish working days across påsk, Kristi himmelfärd, midsommar, jul and nyår in several years."""

from __future__ import annotations

import datetime as dt

import pytest

from arshjul.calendar.workdays import WorkingDays

D = dt.date
wd = WorkingDays()


@pytest.mark.parametrize(("year", "expected"), [(2025, 249), (2026, 251), (2027, 253)])
def test_working_days_per_year(year: int, expected: int) -> None:
    assert wd.count(D(year, 1, 1), D(year, 12, 31)) == expected


@pytest.mark.parametrize(
    "day",
    [
        D(2024, 3, 29),
        D(2024, 4, 1),
        D(2024, 5, 9),
        D(2024, 6, 21),  # långfredag, annandag påsk, himmelfärd, midsommarafton
        D(2025, 4, 18),
        D(2025, 4, 21),
        D(2025, 5, 29),
        D(2025, 6, 20),
        D(2026, 4, 3),
        D(2026, 4, 6),
        D(2026, 5, 14),
        D(2026, 6, 19),
        D(2027, 3, 26),
        D(2027, 3, 29),
        D(2027, 5, 6),
        D(2027, 6, 25),
        D(2025, 12, 24),
        D(2025, 12, 25),
        D(2025, 12, 26),
        D(2025, 12, 31),
        D(2026, 1, 1),
        D(2026, 1, 6),
        D(2026, 5, 1),
        D(2027, 6, 7),  # första maj; 6 June 2027 is a Sunday, but is not moved
    ],
)
def test_holidays_and_eves_are_not_working_days(day: dt.date) -> None:
    # 2027-06-07 is a Monday and a working day: Sweden does not move a Sunday holiday.
    assert wd.is_working_day(day) is (day == D(2027, 6, 7))


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (D(2026, 4, 2), 1, D(2026, 4, 7)),  # over långfredag, påskhelgen and annandag påsk
        (D(2025, 4, 17), 1, D(2025, 4, 22)),
        (D(2027, 3, 25), 1, D(2027, 3, 30)),
        (D(2026, 5, 13), 1, D(2026, 5, 15)),  # over Kristi himmelfärd (Thursday)
        (D(2026, 6, 18), 1, D(2026, 6, 22)),  # over midsommarafton and the weekend
        (D(2025, 12, 23), 1, D(2025, 12, 29)),  # over julafton, juldagen, annandag jul, weekend
        (D(2025, 12, 30), 1, D(2026, 1, 2)),  # over nyårsafton and nyårsdagen
        (D(2026, 1, 2), 2, D(2026, 1, 7)),  # over the weekend and trettondedag jul
        (D(2026, 4, 7), -1, D(2026, 4, 2)),  # backwards over påsk
    ],
)
def test_adding_working_days(start: dt.date, n: int, expected: dt.date) -> None:
    assert wd.add(start, n) == expected


@pytest.mark.parametrize(
    ("day", "previous", "following"),
    [
        (D(2026, 6, 19), D(2026, 6, 18), D(2026, 6, 22)),  # midsommarafton
        (D(2025, 12, 24), D(2025, 12, 23), D(2025, 12, 29)),  # julafton
        (D(2026, 12, 31), D(2026, 12, 30), D(2027, 1, 4)),  # nyårsafton, nyårsdagen, weekend
        (D(2027, 3, 28), D(2027, 3, 25), D(2027, 3, 30)),  # påskdagen
        (D(2026, 3, 2), D(2026, 3, 2), D(2026, 3, 2)),  # an ordinary Monday stays
    ],
)
def test_moving_to_a_working_day(day: dt.date, previous: dt.date, following: dt.date) -> None:
    assert wd.move(day, "previous") == previous
    assert wd.move(day, "next") == following
    assert wd.move(day, "none") == day


def test_eves_are_configurable() -> None:
    no_eves = WorkingDays(eves=())
    assert no_eves.is_working_day(D(2025, 12, 24))
    assert no_eves.is_working_day(D(2026, 6, 19))
    # 2026: julafton, nyårsafton (Thursdays) and midsommarafton (Friday) become working days.
    assert no_eves.count(D(2026, 1, 1), D(2026, 12, 31)) == 251 + 3
    only_jul = WorkingDays(eves=("julafton",))
    assert not only_jul.is_working_day(D(2026, 12, 24))
    assert only_jul.is_working_day(D(2026, 12, 31))


def test_holiday_names_are_swedish() -> None:
    assert wd.holiday_name(D(2026, 6, 19)) == "Midsommarafton"
    assert wd.holiday_name(D(2026, 4, 3)) == "Långfredagen"


# Weekdays that are not working days, as the pinned `holidays` range computes them. Running rounds
# compute reminder and escalation days with whatever version the worker has: a change here means
# running rounds will move dates. Decide it on purpose (docs/VERSIONING.md, "Holiday data").
NON_WORKING_WEEKDAYS = {
    2025: "01-01 01-06 04-18 04-21 05-01 05-29 06-06 06-20 12-24 12-25 12-26 12-31",
    2026: "01-01 01-06 04-03 04-06 05-01 05-14 06-19 12-24 12-25 12-31",
    2027: "01-01 01-06 03-26 03-29 05-06 06-25 12-24 12-31",
    2028: "01-06 04-14 04-17 05-01 05-25 06-06 06-23 12-25 12-26",
    2029: "01-01 03-30 04-02 05-01 05-10 06-06 06-22 12-24 12-25 12-26 12-31",
    2030: "01-01 04-19 04-22 05-01 05-30 06-06 06-21 12-24 12-25 12-26 12-31",
}


@pytest.mark.parametrize("year", sorted(NON_WORKING_WEEKDAYS))
def test_holiday_data_has_not_moved(year: int) -> None:
    days = [D(year, 1, 1) + dt.timedelta(days=n) for n in range(366)]
    off = [d for d in days if d.year == year and d.weekday() < 5 and not wd.is_working_day(d)]
    assert " ".join(f"{d:%m-%d}" for d in off) == NON_WORKING_WEEKDAYS[year]
