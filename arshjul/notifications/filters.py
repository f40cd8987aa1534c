"""Swedish formatting for mail and protocol templates: dates, periods, amounts in tkr."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

MONTHS = (
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
)
WEEKDAYS = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")


def date_sv(value: dt.date | None) -> str:
    """Formats a date as "31 augusti 2026"."""
    if value is None:
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def weekday_date_sv(value: dt.date | None) -> str:
    """Formats a date as "måndag 31 augusti 2026"."""
    if value is None:
        return ""
    return f"{WEEKDAYS[value.weekday()]} {date_sv(value)}"


def period_sv(period: str) -> str:
    """Formats a period "2026-03" as "mars 2026"."""
    year, month = period.split("-")
    return f"{MONTHS[int(month) - 1]} {year}"


def tkr(value: Decimal | float | int | None) -> str:
    """Formats an amount as "1 250 tkr" (space between thousands, minus sign for negatives)."""
    if value is None:
        return ""
    amount = Decimal(str(value))
    rounded = amount.quantize(Decimal("0.1")) if amount != amount.to_integral() else amount
    whole, _, fraction = f"{abs(rounded):f}".partition(".")
    groups = f"{int(whole):,}".replace(",", " ")
    sign = "−" if amount < 0 else ""
    return f"{sign}{groups}{',' + fraction if fraction else ''} tkr"


FILTERS = {
    "date_sv": date_sv,
    "weekday_date_sv": weekday_date_sv,
    "period_sv": period_sv,
    "tkr": tkr,
}
