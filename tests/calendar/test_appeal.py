"""The last day for appeal: three weeks after the anslag, moved past weekends and holidays."""

from __future__ import annotations

import datetime as dt

import pytest

from arshjul.calendar.appeal import last_day_for_appeal


@pytest.mark.parametrize(
    ("anslag", "last_day"),
    [
        (dt.date(2026, 10, 8), dt.date(2026, 10, 29)),  # Thursday: three weeks, a Thursday
        (dt.date(2026, 10, 10), dt.date(2026, 11, 2)),  # Saturday: Sat 31 Oct → Mon 2 Nov
        (dt.date(2026, 12, 3), dt.date(2026, 12, 28)),  # Thu 24 Dec julafton → Mon 28 Dec
        (dt.date(2026, 5, 29), dt.date(2026, 6, 22)),  # Fri 19 Jun midsommarafton → Mon 22 Jun
        (dt.date(2026, 12, 10), dt.date(2027, 1, 4)),  # Thu 31 Dec nyårsafton → Mon 4 Jan
    ],
)
def test_last_day_for_appeal(anslag: dt.date, last_day: dt.date) -> None:
    assert last_day_for_appeal(anslag) == last_day
