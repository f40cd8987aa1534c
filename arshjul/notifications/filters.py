"""The Jinja filters of mail and protocol templates: the Swedish formats of `arshjul.swedish`."""

from __future__ import annotations

from arshjul.swedish import date_sv, month_sv, tkr, weekday_date_sv

period_sv = month_sv

FILTERS = {
    "date_sv": date_sv,
    "weekday_date_sv": weekday_date_sv,
    "period_sv": period_sv,
    "tkr": tkr,
}

__all__ = ["FILTERS", "date_sv", "period_sv", "tkr", "weekday_date_sv"]
