"""Motioner and medborgarförslag as the law counts them: the one-year limit of their beredning
(KL 5 kap. 35 §), which of them fullmäktige is told of at a reporting meeting, and which meetings
those are. Pure: no clock, no store.

The limit runs from the day the motion was väckt (the meeting where it was handed in) to the same
date `limit_months` later, as lag (1930:173) om beräkning av lagstadgad tid counts months: the
day of the last month with the same number, or that month's last day when it has none (väckt 29
February, a year is 28 February). A motion decided on or before that day is decided in time.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Generic, Literal, Protocol, TypeVar

from arshjul.calendar.motion_config import MotionsConfig
from arshjul.calendar.rules import MissingMeeting, add_months, evaluate
from arshjul.calendar.workdays import WorkingDays

MotionKind = Literal["motion", "medborgarforslag"]
MotionStatus = Literal["under_beredning", "besvarad", "avskriven", "atertagen"]
KINDS: tuple[MotionKind, ...] = ("motion", "medborgarforslag")
STATUSES: tuple[MotionStatus, ...] = ("under_beredning", "besvarad", "avskriven", "atertagen")
# The statuses that end a motion; each has the day it ended (decision, avskrivning, återtagande).
CLOSED: tuple[MotionStatus, ...] = ("besvarad", "avskriven", "atertagen")
# The statuses that are fullmäktige's decisions and so have a § reference.
DECIDED: tuple[MotionStatus, ...] = ("besvarad", "avskriven")
KIND_SV: dict[str, str] = {"motion": "Motion", "medborgarforslag": "Medborgarförslag"}
STATUS_SV: dict[str, str] = {
    "under_beredning": "Under beredning",
    "besvarad": "Besvarad (beslutad)",
    "avskriven": "Avskriven",
    "atertagen": "Återtagen",
}


class Dated(Protocol):
    """What the rules need of a motion: when it was väckt and when (if ever) it ended."""

    @property
    def vackt_on(self) -> dt.date:
        """The day it was väckt (handed in at the committee's meeting)."""
        ...

    @property
    def closed_on(self) -> dt.date | None:
        """The day it was decided, written off or withdrawn; None while under beredning."""
        ...


T = TypeVar("T", bound=Dated)
M = TypeVar("M")


def limit_date(vackt_on: dt.date, months: int = 12) -> dt.date:
    """Returns the last day of the beredning's limit: the same date `months` after väckt (the
    month's last day when that month has no such date)."""
    year, month = add_months(vackt_on, months)
    return dt.date(year, month, min(vackt_on.day, pycalendar.monthrange(year, month)[1]))


def in_time(vackt_on: dt.date, decided_on: dt.date, months: int = 12) -> bool:
    """Tells whether a decision on `decided_on` is within the limit (on its last day counts)."""
    return decided_on <= limit_date(vackt_on, months)


def days_left(vackt_on: dt.date, today: dt.date, months: int = 12) -> int:
    """Returns the days from `today` to the limit's last day: 0 on that day, negative once past
    it (-3: three days over)."""
    return (limit_date(vackt_on, months) - today).days


def undecided_on(motion: Dated, day: dt.date) -> bool:
    """Tells whether the motion was under beredning on `day`: väckt before it and neither
    decided, written off nor withdrawn on or before it."""
    return motion.vackt_on < day and (motion.closed_on is None or motion.closed_on > day)


@dataclass(frozen=True)
class ReportLine(Generic[M]):
    """A motion on a reporting meeting's list, with its limit and whether the meeting is past it."""

    motion: M
    limit: dt.date
    past_limit: bool
    days_over: int  # days from the limit to the meeting; 0 when not past it


def report_lines(motions: Iterable[T], meeting: dt.date, months: int = 12) -> list[ReportLine[T]]:
    """Returns the motions fullmäktige is told of at `meeting`: exactly those under beredning on
    that day, oldest first, each flagged when the meeting is past its limit."""
    lines = []
    for m in motions:
        if not undecided_on(m, meeting):
            continue
        limit = limit_date(m.vackt_on, months)
        over = max((meeting - limit).days, 0)
        lines.append(ReportLine(motion=m, limit=limit, past_limit=over > 0, days_over=over))
    return sorted(lines, key=lambda line: line.motion.vackt_on)


def report_meetings(config: MotionsConfig, dates: list[dt.date], year: int) -> list[dt.date]:
    """Returns the reporting meetings of `year` in order; MissingMeeting when the committee has
    no meeting in a configured month (`calendar check` says so)."""
    anchor = dt.date(year - 1, 12, 31)
    wd = WorkingDays()
    found = {
        evaluate(
            at.rule(config.committee).model_copy(update={"move": "none"}),
            anchor,
            wd,
            meetings=lambda _: dates,
        )
        for at in config.report_at
    }
    return sorted(found)


def _found(config: MotionsConfig, dates: list[dt.date], year: int) -> list[dt.date]:
    # Reporting meetings the plan has; a month without a meeting has none to report at.
    found = []
    for at in config.report_at:
        try:
            found += report_meetings(config.model_copy(update={"report_at": [at]}), dates, year)
        except MissingMeeting:
            continue
    return sorted(set(found))


def is_report_meeting(config: MotionsConfig, dates: list[dt.date], day: dt.date) -> bool:
    """Tells whether the committee's meeting on `day` is one of the year's reporting meetings."""
    return day in _found(config, dates, day.year)


def next_report_meeting(
    config: MotionsConfig, dates: list[dt.date], today: dt.date
) -> dt.date | None:
    """Returns the first reporting meeting on or after `today` (this year or the next)."""
    years = (today.year, today.year + 1)
    later = [d for y in years for d in _found(config, dates, y) if d >= today]
    return min(later, default=None)
