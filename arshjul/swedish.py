"""Swedish formats for everything a municipal user reads: "1 250 tkr", "31 augusti 2026".

One module for pages, mails, the compiled report and calendar texts, so they never disagree.
Pure: stdlib only.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

MONTHS_SV = (
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
WEEKDAYS_SV = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
MINUS = "−"  # U+2212, the typographic minus of Swedish print


def number(value: Decimal | float | int, decimals: int = 0) -> str:
    """Formats a number the Swedish way: space between thousands, comma for decimals."""
    q = Decimal(str(value)).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    sign = MINUS if q < 0 else ""
    text = f"{abs(q):,.{decimals}f}".replace(",", " ").replace(".", ",")
    return sign + text


def tkr(value: Decimal | float | int | None) -> str:
    """Formats an amount in tkr: "1 250 tkr", a decimal only when there is one ("12,5 tkr")."""
    if value is None:
        return "–"
    d = Decimal(str(value))
    return f"{number(d, 0 if d == d.to_integral_value() else 1)} tkr"


def percent(value: Decimal | float | None) -> str:
    """Formats a percentage with one decimal: "−4,3 %"."""
    return "–" if value is None else f"{number(value, 1)} %"


def date_sv(day: dt.date | None) -> str:
    """Formats a date the Swedish way: "31 augusti 2026"."""
    return "" if day is None else f"{day.day} {MONTHS_SV[day.month - 1]} {day.year}"


def clock_sv(value: dt.time | None) -> str:
    """Formats a time of day the Swedish way: "8.30", "13.00"."""
    return "" if value is None else f"{value.hour}.{value.minute:02d}"


def time_place_sv(time: dt.time | None, place: str | None) -> str:
    """Formats what follows a meeting's name or date: " kl. 13.00, Stadshuset" (each part only
    when known; empty without either)."""
    text = f" kl. {clock_sv(time)}" if time is not None else ""
    return text + (f", {place}" if place else "")


def weekday_date_sv(day: dt.date | None) -> str:
    """Formats a date with its weekday: "måndag 31 augusti 2026"."""
    return "" if day is None else f"{WEEKDAYS_SV[day.weekday()]} {date_sv(day)}"


def month_sv(period: str) -> str:
    """Names a YYYY-MM period: "augusti 2026"."""
    year, month = period.split("-")
    return f"{MONTHS_SV[int(month) - 1]} {year}"


_ROUND_ID = re.compile(r"\bround/[^/\s]+/([^/\s]+)/(\d{4}-\d{2})/[^/\s()]+")
_ISO_DATE = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


def readable(text: str | None, titles: Mapping[str, str] | None = None) -> str:
    """Rewrites machine text for people: round ids as "Åtgärdsplan oktober 2026", ISO dates as
    "20 november 2026" ("ny sista dag 2026-11-20" in a round's history, say)."""
    if not text:
        return ""
    titles = titles or {}

    def round_name(found: re.Match[str]) -> str:
        return f"{titles.get(found.group(1), found.group(1))} {month_sv(found.group(2))}"

    def day(found: re.Match[str]) -> str:
        try:
            return date_sv(dt.date(*(int(g) for g in found.groups())))
        except ValueError:
            return found.group(0)

    return _ISO_DATE.sub(day, _ROUND_ID.sub(round_name, text))


def datetime_sv(value: dt.datetime | str | None, timezone: str = "Europe/Stockholm") -> str:
    """Formats a UTC time (or its ISO text) in local time: "3 mars 2026 kl. 14.05"."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    local = value.astimezone(ZoneInfo(timezone))
    return f"{date_sv(local.date())} kl. {local:%H.%M}"


# The Jinja filters every template environment shares (pages, mails, protocol, Sammanställning);
# "period_sv" is the templates' older name for month_sv.
FILTERS = {
    "date_sv": date_sv,
    "weekday_date_sv": weekday_date_sv,
    "clock_sv": clock_sv,
    "datetime_sv": datetime_sv,
    "period_sv": month_sv,
    "month_sv": month_sv,
    "tkr": tkr,
    "percent": percent,
}
