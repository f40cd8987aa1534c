"""The Jinja filters of mail and protocol templates: the Swedish formats of `arshjul.swedish`."""

from __future__ import annotations

from arshjul.swedish import FILTERS, date_sv, month_sv, tkr, weekday_date_sv

period_sv = month_sv

__all__ = ["FILTERS", "date_sv", "period_sv", "tkr", "weekday_date_sv"]
