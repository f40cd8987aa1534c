"""CommitteeAgendaWorkflow: a committee's year of föredragningslistor, each mailed on time.

For every meeting of the year the agenda goes out `agenda_days_before` days before, at the
organisation's send time. New meeting dates arrive as a signal from the configuration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from arshjul.models.agenda import (
        ACTIVITY_PUBLISH_AGENDA,
        AGENDA_WORKFLOW,
        QUERY_AGENDA,
        SIGNAL_AGENDA_SPEC,
        AgendaSpec,
        AgendaStatus,
        PublishAgendaInput,
        PublishAgendaResult,
    )
    from arshjul.models.instants import send_instant
    from arshjul.workflows.calls import RETRY, TIMEOUT
    from arshjul.workflows.clock import Clock


@workflow.defn(name=AGENDA_WORKFLOW)
class CommitteeAgendaWorkflow:
    """One per (organisation, committee, year); its id is AgendaSpec.workflow_id."""

    @workflow.init
    def __init__(self, spec: AgendaSpec) -> None:
        self.spec = spec
        self.clock = Clock(spec.clock_offset_s, spec.timezone)
        self.published: list[dt.date] = []
        self.plan = 0  # bumped when the meetings change: the pending timer is recomputed
        self.next_at: dt.datetime | None = None

    def _replanned(self, plan: int) -> Callable[[], bool]:
        """The wake-up test of the wait for an agenda's time: the meetings changed since `plan`."""
        return lambda: self.plan != plan

    def _next(self) -> tuple[dt.date, dt.datetime] | None:
        today = self.clock.today()
        for meeting in sorted(set(self.spec.meetings)):
            if meeting in self.published or meeting < today:
                continue
            day = meeting - dt.timedelta(days=self.spec.agenda_days_before)
            return meeting, send_instant(day, self.spec.send_time, self.spec.timezone)
        return None

    @workflow.run
    async def run(self, spec: AgendaSpec) -> AgendaStatus:
        """Publishes each remaining meeting's agenda at its time; ends after the last meeting."""
        while (due := self._next()) is not None:
            meeting, at = due
            self.next_at, plan = at, self.plan
            if await self.clock.wait_until(at, self._replanned(plan)):
                continue  # the meetings changed: look again
            await workflow.execute_activity(
                ACTIVITY_PUBLISH_AGENDA,
                PublishAgendaInput(
                    idempotency_key=f"agenda/{spec.org_id}/{spec.committee_id}/{meeting}",
                    org_id=spec.org_id,
                    committee_id=spec.committee_id,
                    meeting=meeting,
                ),
                result_type=PublishAgendaResult,
                start_to_close_timeout=TIMEOUT,
                retry_policy=RETRY,
            )
            self.published.append(meeting)
        self.next_at = None
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.status()

    @workflow.signal(name=SIGNAL_AGENDA_SPEC)
    def spec_changed(self, spec: AgendaSpec) -> None:
        """Takes new meeting dates (or days before) from a changed configuration."""
        self.spec = spec.model_copy(update={"clock_offset_s": self.spec.clock_offset_s})
        self.plan += 1

    @workflow.query(name=QUERY_AGENDA)
    def status(self) -> AgendaStatus:
        """Returns the meetings whose agendas are out and when the next one goes."""
        return AgendaStatus(published=list(self.published), next_publication=self.next_at)
