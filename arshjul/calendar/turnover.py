"""The year turning over: whose sammanträdesplan for next year is missing, and from when to ask.

KS adopts next year's sammanträdesplan in the autumn; from September on, arshjul asks for it
where it is missing and starts next year's cycle once it is there.
"""

from __future__ import annotations

import datetime as dt

from arshjul.calendar.config import ArshjulConfig, Committee

# From this day of the year on, next year's missing meeting plans are asked for.
ASK_FROM = (9, 1)


def asks_for_next_year(today: dt.date) -> bool:
    """Tells whether next year's meeting plan is asked for on `today` (September on)."""
    return today >= dt.date(today.year, *ASK_FROM)


def without_meetings(config: ArshjulConfig, year: int) -> list[Committee]:
    """Committees that meet in other years but have no meeting in `year` (a committee that
    never meets, such as one only for members, is not missing anything)."""
    return [
        c
        for c in config.committees
        if c.meetings and not any(m.date.year == year for m in c.meetings)
    ]
