"""Local send times as UTC instants: what the calendar, the boundary models and the workflows share.

A plan's opening slots (models/plans.py), a round's notices (calendar/schedule.py) and every
workflow timer are the UTC instant of a local time on a local day. Pure: stdlib only.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo


def send_instant(day: dt.date, send_time: dt.time, timezone: str) -> dt.datetime:
    """Returns the UTC instant of `send_time` local time on `day` (DST-correct)."""
    local = dt.datetime.combine(day, send_time, tzinfo=ZoneInfo(timezone))
    return local.astimezone(dt.UTC)
