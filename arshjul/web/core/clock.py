"""The organisation's calendar day, as every page counts it."""

from __future__ import annotations

import datetime as dt

from arshjul.store.db import local_date
from arshjul.web.core.deps import WebState


def today_local(state: WebState) -> dt.date:
    """Returns today's date in the organisation's time zone."""
    return local_date(state.clock(), state.config.organisation.timezone)


def year_of(state: WebState, year: int | None) -> int:
    """Returns the year asked for, or this year."""
    return year if year and 2000 <= year <= 2100 else today_local(state).year
