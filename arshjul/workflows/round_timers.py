"""The timers of a report round: the chase of the unit toward its due date.

Reminders before the due date, the overdue notice after it, then escalations every week until
the report is in. A base class of ReportRoundWorkflow: the main line (round.py) runs `_chase`
while the round is open or remitted; a new due date (`plan` bumped) starts the chase again.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from arshjul.calendar.schedule import Notice, escalation_day, round_notices
    from arshjul.models.instants import send_instant
    from arshjul.models.rounds import RoundState
    from arshjul.workflows.round_effects import RoundEffects, people

# The states in which the unit is chased for its report.
CHASING = {RoundState.OPEN, RoundState.REMITTED}


class RoundTimers(RoundEffects):
    """Reminders, the overdue notice and escalations, each sent at its local send time."""

    next_step: str | None  # what the round waits for, as its status shows it
    reminders_from_due: bool  # patch PATCH_REMINDERS_FROM_DUE, read when the round starts

    def _notices(self) -> Iterator[Notice]:
        s = self.spec
        yield from round_notices(
            opens=None,
            due=self.due,
            reminders_working_days_before_due=s.reminders_working_days_before_due,
            escalation_after_working_days=None,
            escalation_repeat_every_days=7,
            escalations=0,
            send_time=s.send_time,
            timezone=s.timezone,
            wd=self.wd,
            reminders_from_due=self.reminders_from_due,
        )
        if s.escalation is None:
            return
        e = s.escalation
        for k in itertools.count():  # weekly until the report is in or the round is cancelled
            day = escalation_day(self.due, e.after_working_days, e.repeat_every_days, k, self.wd)
            yield Notice(
                kind="escalation", day=day, index=k, at=send_instant(day, s.send_time, s.timezone)
            )

    async def _chase(self) -> None:
        plan, started = self.plan, self.clock.now()
        for notice in self._notices():
            if notice.at <= started:
                continue  # before this chase began (e.g. reminders before an återremiss)
            self.next_step = f"{notice.kind} {self.clock.local(notice.at)}"
            woken = await self.clock.wait_until(
                notice.at, lambda: self.plan != plan or self.state not in CHASING
            )
            if woken:
                return
            if notice.kind == "escalation" and self.spec.escalation:
                to = people(self.spec.escalation.to, self.spec.owners)
                detail = ", ".join(self.spec.escalation.role_titles)
                await self._notice("escalation", notice.index, to, detail=detail)
            else:
                await self._notice(notice.kind, notice.index, self.spec.recipients, with_link=True)
        self.next_step = None
        await workflow.wait_condition(lambda: self.plan != plan or self.state not in CHASING)
