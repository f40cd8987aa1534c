"""DigestWorkflow: one per organisation, it sends the weekly digest of late units per report.

Temporal owns its time: a timer to the next send day, the mail as an activity, and a
continue-as-new after a year of weeks so the history stays short.
"""

from __future__ import annotations

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from arshjul.calendar.schedule import next_weekly
    from arshjul.models.digest import (
        ACTIVITY_SEND_DIGEST,
        DIGEST_WORKFLOW,
        DigestInput,
        DigestRequest,
        DigestResult,
    )
    from arshjul.workflows.calls import RETRY, TIMEOUT
    from arshjul.workflows.clock import Clock

WEEKS_PER_RUN = 52


@workflow.defn(name=DIGEST_WORKFLOW)
class DigestWorkflow:
    """Sleeps to the configured weekday and time, sends the digest, and does it again."""

    @workflow.run
    async def run(self, inp: DigestInput) -> None:
        """Runs a year of weekly digests, then continues as new with the same input."""
        clock = Clock(inp.clock_offset_s, inp.timezone)
        sent = inp.weeks_sent
        for _ in range(WEEKS_PER_RUN):
            at = next_weekly(clock.now(), inp.weekday, inp.send_time, inp.timezone)
            await clock.wait_until(at, lambda: False)
            day = at.astimezone(clock.zone).date()
            try:
                result = await workflow.execute_activity(
                    ACTIVITY_SEND_DIGEST,
                    DigestRequest(org_id=inp.org_id, day=day),
                    result_type=DigestResult,
                    start_to_close_timeout=TIMEOUT,
                    retry_policy=RETRY,
                )
                workflow.logger.info("digest %s: %d late round(s)", day, result.late_rounds)
            except ActivityError as exc:  # a permanent failure: next week's digest still goes
                workflow.logger.warning("digest %s not sent: %s", day, exc.cause)
            sent += 1
        workflow.continue_as_new(inp.model_copy(update={"weeks_sent": sent}))
