"""When a round's mails go out: request, reminders, overdue notice and escalations, in local time.

Pure: the workflow passes its due date and reads back UTC instants to sleep until.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal
from zoneinfo import ZoneInfo

from pydantic import BaseModel

from arshjul.calendar.workdays import WorkingDays
from arshjul.models.instants import send_instant

NoticeKind = Literal["request", "reminder", "overdue", "escalation"]


class Notice(BaseModel):
    """One dated mail of a round's chase (request, reminder, overdue, escalation), and its time."""

    kind: NoticeKind
    day: dt.date
    at: dt.datetime  # UTC
    index: int = 0  # nth reminder / nth escalation, for idempotency keys


def reminder_days(
    due: dt.date, working_days_before: list[int], wd: WorkingDays, *, from_due: bool = True
) -> list[dt.date]:
    """Returns the reminder days, `n` working days before `due` for each n, earliest first.

    They count back from the due date itself, a weekend one too (`move: none`): "1 working day
    before Saturday 15 February" is Friday the 14th. `from_due=False` is the first release's
    count from the working day on or before `due`, kept for rounds that started under it.
    """
    start = due if from_due else wd.previous_or_same(due)
    return sorted({wd.add(start, -n) for n in working_days_before if n > 0})


def overdue_day(due: dt.date, wd: WorkingDays) -> dt.date:
    """Returns the working day after the due date, when the overdue notice goes out."""
    return wd.add(wd.previous_or_same(due), 1)


def escalation_day(
    due: dt.date, after_working_days: int, repeat_every_days: int, k: int, wd: WorkingDays
) -> dt.date:
    """Returns the k-th escalation day (k=0 first): the delay after due, then every N days."""
    first = wd.add(wd.previous_or_same(due), max(after_working_days, 1))
    return wd.next_or_same(first + dt.timedelta(days=repeat_every_days * k))


def round_notices(
    *,
    opens: dt.date | None,
    due: dt.date,
    reminders_working_days_before_due: list[int],
    escalation_after_working_days: int | None,
    escalation_repeat_every_days: int,
    escalations: int,
    send_time: dt.time,
    timezone: str,
    wd: WorkingDays,
    reminders_from_due: bool = True,
) -> list[Notice]:
    """Lists a round's notices toward `due`: request (if `opens`), reminders, overdue, escalations.

    Reminders that would fall on or before the opening day are dropped: the request says it all.
    """
    notices: list[Notice] = []
    if opens is not None:
        notices.append(
            Notice(kind="request", day=opens, at=send_instant(opens, send_time, timezone))
        )
    days = reminder_days(due, reminders_working_days_before_due, wd, from_due=reminders_from_due)
    for i, day in enumerate(days):
        if opens is None or day > opens:
            notices.append(
                Notice(kind="reminder", day=day, at=send_instant(day, send_time, timezone), index=i)
            )
    late = overdue_day(due, wd)
    notices.append(Notice(kind="overdue", day=late, at=send_instant(late, send_time, timezone)))
    if escalation_after_working_days is not None:
        for k in range(escalations):
            day = escalation_day(
                due, escalation_after_working_days, escalation_repeat_every_days, k, wd
            )
            notices.append(
                Notice(
                    kind="escalation", day=day, at=send_instant(day, send_time, timezone), index=k
                )
            )
    return notices


def next_weekly(after: dt.datetime, weekday: int, send_time: dt.time, timezone: str) -> dt.datetime:
    """Returns the first `weekday` at `send_time` local time strictly after `after` (UTC)."""
    local = after.astimezone(ZoneInfo(timezone)).date()
    for days in range(8):
        day = local + dt.timedelta(days=days)
        if day.weekday() == weekday and (at := send_instant(day, send_time, timezone)) > after:
            return at
    raise AssertionError("a weekday recurs within eight days")


def next_daily(after: dt.datetime, at: dt.time, timezone: str) -> dt.datetime:
    """Returns the first `at` local time strictly after `after` (UTC), today's or tomorrow's."""
    local = after.astimezone(ZoneInfo(timezone)).date()
    for days in range(3):
        if (instant := send_instant(local + dt.timedelta(days=days), at, timezone)) > after:
            return instant
    raise AssertionError("a time of day recurs within two days")
