"""The last day for appeal (laglighetsprövning) of a committee's decisions. Pure.

KL 13 kap. 6 §: an appeal must have come in within three weeks from the day the anslag on the
anslagstavla said that the protocol was justerat. Lag (1930:173) om beräkning av lagstadgad tid:
a period that ends on a Saturday, Sunday, other public holiday, midsommarafton, julafton or
nyårsafton ends on the next weekday instead.
"""

from __future__ import annotations

import datetime as dt

from arshjul.calendar.workdays import DEFAULT_EVES, WorkingDays

APPEAL_PERIOD = dt.timedelta(weeks=3)
# The law names all three eves, whatever a municipality's own working-day configuration says.
_LAW_DAYS = WorkingDays(DEFAULT_EVES)


def last_day_for_appeal(anslag: dt.date) -> dt.date:
    """Returns the last day an appeal may come in, for a protocol posted on `anslag`."""
    return _LAW_DAYS.next_or_same(anslag + APPEAL_PERIOD)


def on_the_board(anslag: dt.date, appeal_until: dt.date, today: dt.date) -> bool | None:
    """Tells where a notice is on `today`: None before its anslag day, True on the board (KL 8
    kap. 12 §: from the anslag day until the appeal time is out), False once taken down."""
    if today < anslag:
        return None
    return today <= appeal_until
