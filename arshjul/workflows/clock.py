"""Workflow time: `workflow.now()` shifted by the simulation offset, and waits that wake early."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from arshjul.calendar.workdays import WorkingDays


class Clock:
    """The round's and cycle's only clock (workflow.now() + the simulation offset)."""

    def __init__(self, offset_s: float, timezone: str) -> None:
        self.offset = dt.timedelta(seconds=offset_s)
        self.zone = ZoneInfo(timezone)

    def now(self) -> dt.datetime:
        """Returns the current UTC instant as the round sees it."""
        return workflow.now() + self.offset

    def today(self) -> dt.date:
        """Returns the local (Europe/Stockholm) date of now."""
        return self.now().astimezone(self.zone).date()

    def local(self, instant: dt.datetime) -> str:
        """Formats an instant as local "YYYY-MM-DD HH:MM"."""
        return instant.astimezone(self.zone).strftime("%Y-%m-%d %H:%M")

    async def wait_until(self, target: dt.datetime, woken: Callable[[], bool]) -> bool:
        """Sleeps until `target` unless `woken()` turns true first; returns whether it did."""
        delay = (target - self.now()).total_seconds()
        if delay <= 0:
            return woken()
        try:
            # wait_condition with a timeout, not sleep:
            # a submission cancels the pending timer at once.
            await workflow.wait_condition(woken, timeout=delay)
        except TimeoutError:
            return False
        return True


class WorkflowWorkingDays(WorkingDays):
    """The Swedish working-day calendar, usable inside the workflow sandbox."""

    def is_working_day(self, day: dt.date) -> bool:
        """Tells whether `day` is a working day."""
        # `holidays` builds its tables with gettext and locale calls the sandbox forbids; the
        # answer depends only on the date and the rules, so it is deterministic.
        with workflow.unsafe.sandbox_unrestricted():
            return super().is_working_day(day)
