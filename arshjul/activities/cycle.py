"""The annual cycle's activities: open a slot's rounds, move to a changed plan, count open rounds.

Rounds are started with the client (not as the cycle's children), idempotent by workflow id:
a retried page or a second cycle start opens nothing twice, and a round never outlives a parent.
"""

from __future__ import annotations

import asyncio
import logging

from temporalio import activity
from temporalio.client import Client
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from arshjul.models.plans import (
    ACTIVITY_APPLY_PLAN,
    ACTIVITY_COUNT_OPEN_ROUNDS,
    ACTIVITY_OPEN_ROUNDS,
    ApplyPlanInput,
    OpenCount,
    OpenCountInput,
    OpenRoundsInput,
    OpenRoundsResult,
)
from arshjul.models.rounds import (
    ROUND_WORKFLOW,
    SIGNAL_ROUND_SPEC,
    CycleConfigResult,
    RoundSpec,
)
from arshjul.plans import PlanStore, change_message, diff_plans, open_ids

logger = logging.getLogger(__name__)
# Starts in flight at once: enough to keep the server busy, few enough not to time out.
CONCURRENT_STARTS = 32


class CycleActivities:
    """open_rounds, apply_plan and count_open_rounds on a Temporal client and a plan store."""

    def __init__(self, client: Client, plans: PlanStore) -> None:
        self.client = client
        self.plans = plans

    async def _start(self, spec: RoundSpec, offset: float, queue: str) -> bool:
        spec = spec.model_copy(update={"clock_offset_s": offset})
        try:
            await self.client.start_workflow(
                ROUND_WORKFLOW,
                spec,
                id=spec.workflow_id,
                task_queue=queue,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            )
        except WorkflowAlreadyStartedError:
            return False
        return True

    async def _start_all(self, specs: list[RoundSpec], offset: float) -> int:
        queue = activity.info().task_queue  # the rounds run where the cycle runs
        limit = asyncio.Semaphore(CONCURRENT_STARTS)

        async def one(spec: RoundSpec) -> bool:
            async with limit:
                return await self._start(spec, offset, queue)

        return sum(await asyncio.gather(*(one(s) for s in specs)))

    @activity.defn(name=ACTIVITY_OPEN_ROUNDS)
    async def open_rounds(self, inp: OpenRoundsInput) -> OpenRoundsResult:
        """Starts one page of a slot's rounds (those due before the start are left out)."""
        page = self.plans.page(inp.plan, inp.slot, inp.after, inp.limit)
        due = [s for s in page if s.due >= inp.start]
        started = await self._start_all(due, inp.clock_offset_s)
        return OpenRoundsResult(
            started=started,
            already=len(due) - started,
            before_start=len(page) - len(due),
            next_after=page[-1].workflow_id if len(page) == inp.limit else None,
        )

    @activity.defn(name=ACTIVITY_APPLY_PLAN)
    async def apply_plan(self, inp: ApplyPlanInput) -> CycleConfigResult:
        """Tells opened rounds of their new spec and opens rounds added or moved into the past."""
        old, new = self.plans.specs(inp.old), self.plans.specs(inp.new)
        change = diff_plans(old, new, inp.opened_through, inp.start, inp.today)
        result = CycleConfigResult(moved=change.moved, added=change.added, removed=change.removed)
        for spec in change.signal:
            spec = spec.model_copy(update={"clock_offset_s": inp.clock_offset_s})
            try:
                await self.client.get_workflow_handle(spec.workflow_id).signal(
                    SIGNAL_ROUND_SPEC, spec
                )
                result.signalled.append(spec.workflow_id)
            except RPCError:  # a closed round keeps its history as it was
                logger.info("round %s is closed; configuration not applied", spec.workflow_id)
            activity.heartbeat(spec.workflow_id)
        await self._start_all(change.open_now, inp.clock_offset_s)
        result.message = change_message(result)
        return result

    @activity.defn(name=ACTIVITY_COUNT_OPEN_ROUNDS)
    async def count_open_rounds(self, inp: OpenCountInput) -> OpenCount:
        """Counts the year's rounds that are not closed yet."""
        ids = open_ids(self.plans.states(inp.org_id, inp.year))
        return OpenCount(open=len(ids), some=ids[:5])

    def all(self) -> list[object]:
        """Returns the three activities for a Worker."""
        return [self.open_rounds, self.apply_plan, self.count_open_rounds]
