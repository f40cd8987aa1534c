"""RetentionWorkflow: one per organisation, it runs the gallring every night at 03:00 local time.

A timer to the next night, the gallring as an activity, and a continue-as-new after a number of
nights so the history stays short. Which records go is decided in the activity, from the
configuration the store holds that night.
"""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from arshjul.calendar.schedule import next_daily
    from arshjul.models.retention import (
        ACTIVITY_GALLRA,
        RETENTION_WORKFLOW,
        RetentionInput,
        RetentionRequest,
        RetentionResult,
    )
    from arshjul.workflows.calls import RETRY, TIMEOUT
    from arshjul.workflows.clock import Clock

NIGHTS_PER_RUN = 90


@workflow.defn(name=RETENTION_WORKFLOW)
class RetentionWorkflow:
    """Sleeps to the next night's run time, runs the gallring, and does it again."""

    @workflow.run
    async def run(self, inp: RetentionInput) -> None:
        """Runs a quarter of nightly gallring, then continues as new with the same input."""
        clock = Clock(inp.clock_offset_s, inp.timezone)
        nights = inp.days_run
        for _ in range(NIGHTS_PER_RUN):
            at = next_daily(clock.now(), inp.run_time, inp.timezone)
            await clock.wait_until(at, lambda: False)
            day = at.astimezone(clock.zone).date()
            try:
                result = await workflow.execute_activity(
                    ACTIVITY_GALLRA,
                    RetentionRequest(org_id=inp.org_id, day=day),
                    result_type=RetentionResult,
                    start_to_close_timeout=TIMEOUT,
                    retry_policy=RETRY,
                )
                workflow.logger.info("gallring %s: %d record(s) removed", day, result.removed)
            except ActivityError as exc:  # a permanent failure: the next night tries again
                workflow.logger.warning("gallring %s failed: %s", day, exc.cause)
            nights += 1
        workflow.continue_as_new(inp.model_copy(update={"days_run": nights}))
