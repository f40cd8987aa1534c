"""Dates of the årshjul: rules evaluated with offsets resolved, periods, and who submits.

Shared by the expansion into entries, round specifications, the legal check and the loader.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from arshjul.calendar.config import ArshjulConfig, ChainStep, Report
from arshjul.calendar.rules import (
    MissingMeeting,
    RuleError,
    choose_meeting,
    evaluate,
    last_day_of_month,
)
from arshjul.calendar.workdays import WorkingDays
from arshjul.models.rounds import Recipient
from arshjul.swedish import month_sv


class Dates:
    """Evaluates the configuration's rules with one working-day calendar, resolving offsets."""

    def __init__(self, config: ArshjulConfig) -> None:
        self.config = config
        self.wd = WorkingDays(config.working_days.non_working_eves)
        self._milestones = {m.id: m for m in config.milestones}
        self._meetings = {c.id: c.dates for c in config.committees}
        self._cache: dict[tuple[str, ...], dt.date] = {}
        self._busy: set[tuple[str, ...]] = set()

    def meetings(self, committee_id: str) -> list[dt.date]:
        """Returns a committee's meeting days in order."""
        if committee_id not in self._meetings:
            raise RuleError(f"no committee {committee_id!r}")
        return self._meetings[committee_id]

    def _guarded(self, key: tuple[str, ...], compute: Callable[[], dt.date]) -> dt.date:
        # The loader rejects cycles; this guard stops a hand-built configuration from recursing.
        if key in self._cache:
            return self._cache[key]
        if key in self._busy:
            raise RuleError(f"offset cycle through {key[0]} {key[1]}")
        self._busy.add(key)
        try:
            value = compute()
        finally:
            self._busy.discard(key)
        self._cache[key] = value
        return value

    def milestone(self, milestone_id: str, year: int) -> dt.date:
        """Returns the date of a milestone in the cycle evaluated for calendar year `year`."""
        m = self._milestones.get(milestone_id)
        if m is None:
            raise RuleError(f"no milestone {milestone_id!r}")
        anchor = dt.date(year - 1, 12, 31)
        return self._guarded(
            ("milestone", milestone_id, str(year)),
            lambda: evaluate(
                m.date, anchor, self.wd, lambda name: self.milestone(name, year), self.meetings
            ),
        )

    def milestone_after(self, milestone_id: str, anchor: dt.date) -> dt.date:
        """Returns the first occurrence of a milestone after `anchor` (a report's period end)."""
        for year in (anchor.year, anchor.year + 1, anchor.year + 2):
            day = self.milestone(milestone_id, year)
            if day > anchor:
                return day
        return self.milestone(milestone_id, anchor.year + 1)

    def report(self, report: Report, period_end: dt.date, which: str) -> dt.date:
        """Returns the "opens" or "due" date of a report for the period ending on `period_end`."""
        rule = report.rule("opens" if which == "opens" else "due", period_end.month)

        def resolve(name: str) -> dt.date:
            if name in ("opens", "due"):
                return self.report(report, period_end, name)
            return self.milestone_after(name, period_end)

        return self._guarded(
            (report.id, which, period_end.isoformat()),
            lambda: evaluate(rule, period_end, self.wd, resolve, self.meetings),
        )

    def target(self, report: Report, period_end: dt.date, step: ChainStep) -> dt.date | None:
        """Returns the meeting a chain step names for one period (None: the next one it can)."""
        if step.meeting is None:
            return None
        due = self.report(report, period_end, "due")
        return choose_meeting(
            step.meeting, step.committee, self.meetings(step.committee), period_end, due
        )


def period_dates(
    dates: Dates, report: Report, end: dt.date, year: int
) -> tuple[dt.date, dt.date] | None:
    """Returns (opens, due) of one period, or None when a meeting they count from is missing
    in a year other than `year` (a later year's meeting plan is not adopted yet)."""
    try:
        return dates.report(report, end, "opens"), dates.report(report, end, "due")
    except MissingMeeting as exc:
        if exc.year == year:
            raise
        return None


def period_label(period_end: dt.date) -> str:
    """Returns "YYYY-MM" of a period's last month."""
    return f"{period_end.year:04d}-{period_end.month:02d}"


def period_sv(period_end: dt.date) -> str:
    """Returns a period in Swedish words ("februari 2026")."""
    return month_sv(period_label(period_end))


def period_ends(report: Report, years: range) -> list[dt.date]:
    """Lists the period ends of a report in the given years."""
    return [last_day_of_month(y, m) for y in years for m in sorted(report.period_months)]


def submitter_names(config: ArshjulConfig) -> dict[str, str]:
    """Names every unit and role by id: whoever may submit a round (a role, such as the bolag's
    VD, submits as a unit does)."""
    return {u.id: u.name for u in config.units} | {r.id: r.title for r in config.roles}


def submitters(config: ArshjulConfig, report: Report) -> list[tuple[str, str, list[Recipient]]]:
    """Lists (id, name, recipients) of everyone who submits the report: units, then roles."""
    unit_ids = (
        [u.id for u in config.units]
        if report.submitters.units == "all"
        else report.submitters.units
    )
    result = []
    for unit_id in unit_ids:
        unit = config.unit(unit_id)
        result.append((unit.id, unit.name, [Recipient(name=unit.chef.name, email=unit.chef.email)]))
    for role_id in report.submitters.roles:
        role = config.role(role_id)
        people = [Recipient(name=p.name, email=p.email) for p in role.people]
        result.append((role.id, role.title, people))
    return result
