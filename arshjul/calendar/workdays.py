"""Swedish working days.

Monday to Friday except public holidays and the eves not worked in practice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import holidays

DEFAULT_EVES: tuple[str, ...] = ("julafton", "nyårsafton", "midsommarafton")
_EVE_NAMES = {
    "julafton": "Julafton",
    "nyårsafton": "Nyårsafton",
    "midsommarafton": "Midsommarafton",
}


@lru_cache(maxsize=64)
def _holidays_for(year: int, eves: tuple[str, ...]) -> dict[dt.date, str]:
    # The SE public list lacks the eves; they sit in the DE_FACTO category (see STACK-NOTES).
    cal = holidays.country_holidays(
        "SE", categories=(holidays.PUBLIC, holidays.DE_FACTO), language="sv", years=year
    )
    skipped = {name for key, name in _EVE_NAMES.items() if key not in eves}
    result: dict[dt.date, str] = {}
    for day, names in cal.items():
        # Sundays are not listed, but a holiday may share a day with an eve ("a; b").
        kept = [n for n in str(names).split("; ") if n not in skipped]
        if kept:
            result[day] = "; ".join(kept)
    return result


class WorkingDays:
    """A working-day calendar; `eves` names the de-facto holidays that are non-working."""

    def __init__(self, eves: Iterable[str] = DEFAULT_EVES) -> None:
        self.eves = tuple(sorted(eves))

    def holiday_name(self, day: dt.date) -> str | None:
        """Returns the Swedish name of the holiday on `day`, or None."""
        return _holidays_for(day.year, self.eves).get(day)

    def is_working_day(self, day: dt.date) -> bool:
        """Tells whether `day` is a working day."""
        return day.weekday() < 5 and day not in _holidays_for(day.year, self.eves)

    def why_not_working(self, day: dt.date) -> str | None:
        """Returns why `day` is no working day, in Swedish (the holiday's name, "lördag",
        "söndag"), or None on a working day."""
        if self.is_working_day(day):
            return None
        name = self.holiday_name(day)
        # Older `holidays` releases list every Sunday of Sweden as a holiday named "Söndag".
        if name and name.casefold() != "söndag":
            return name
        return "lördag" if day.weekday() == 5 else "söndag"

    def previous_or_same(self, day: dt.date) -> dt.date:
        """Returns `day` if it is a working day, else the working day before it."""
        while not self.is_working_day(day):
            day -= dt.timedelta(days=1)
        return day

    def next_or_same(self, day: dt.date) -> dt.date:
        """Returns `day` if it is a working day, else the working day after it."""
        while not self.is_working_day(day):
            day += dt.timedelta(days=1)
        return day

    def add(self, day: dt.date, n: int) -> dt.date:
        """Returns the date n working days after `day` (before it when n < 0); n=0 gives `day`."""
        step = dt.timedelta(days=1 if n >= 0 else -1)
        remaining = abs(n)
        while remaining:
            day += step
            if self.is_working_day(day):
                remaining -= 1
        return day

    def count(self, start: dt.date, end: dt.date) -> int:
        """Counts working days in [start, end]."""
        days = (end - start).days + 1
        return sum(1 for i in range(max(days, 0)) if self.is_working_day(start + dt.timedelta(i)))

    def move(self, day: dt.date, how: str) -> dt.date:
        """Moves a non-working `day` as a rule says: "previous", "next" or "none"."""
        if how == "previous":
            return self.previous_or_same(day)
        if how == "next":
            return self.next_or_same(day)
        return day
