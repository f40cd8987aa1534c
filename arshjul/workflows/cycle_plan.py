"""The annual cycle with a plan: it carries a hash and the opening instants, not the rounds.

At each slot it asks the open_rounds activity to start that slot's rounds (page by page; the
activity starts them with the client, so no round is the cycle's child). After the year it stays,
checking once a day, until every round of the year has closed, so a changed configuration still
reaches a December round in January. Nothing it carries or receives grows with the number of
units; rounds never signal it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from arshjul.models.cycle import CycleInput
    from arshjul.models.instants import send_instant
    from arshjul.models.plans import (
        ACTIVITY_APPLY_PLAN,
        ACTIVITY_COUNT_OPEN_ROUNDS,
        ACTIVITY_OPEN_ROUNDS,
        ApplyPlanInput,
        CyclePlanStatus,
        OpenCount,
        OpenCountInput,
        OpenRoundsInput,
        OpenRoundsResult,
    )
    from arshjul.models.rounds import CycleConfigInput, CycleConfigResult
    from arshjul.workflows.calls import RETRY
    from arshjul.workflows.clock import Clock

# Opening a page starts up to OPEN_PAGE workflows; on a loaded server that takes a while.
OPEN_TIMEOUT = dt.timedelta(minutes=10)
CHECK_EVERY = dt.timedelta(days=1)


class PlanCycle:
    """The planned cycle's main line and handlers; AnnualCycleWorkflow runs them."""

    inp: CycleInput
    clock: Clock
    plan: int  # bumped when the configuration changes: the main line looks again
    plan_id: str | None
    slots: list[dt.datetime]
    opened_through: dt.datetime | None
    busy: bool  # opening a slot or applying a plan: one at a time

    if TYPE_CHECKING:

        def _history_is_long(self) -> bool: ...

        def _woken_since(self, plan: int) -> Callable[[], bool]: ...

    def _next_slot(self) -> dt.datetime | None:
        done = self.opened_through
        return next((s for s in self.slots if done is None or s > done), None)

    def _carry_plan(self) -> CycleInput:
        return self.inp.model_copy(
            update={
                "plan": self.plan_id,
                "slots": self.slots,
                "opened_through": self.opened_through,
                "started": True,
            }
        )

    async def _continue_as_new(self) -> None:
        await workflow.wait_condition(lambda: workflow.all_handlers_finished() and not self.busy)
        workflow.continue_as_new(self._carry_plan())

    async def _run_plan(self, inp: CycleInput) -> None:
        year_end = send_instant(dt.date(inp.year, 12, 31), dt.time(23, 59), inp.timezone)
        while True:
            slot = self._next_slot()
            if slot is None and self.clock.now() >= year_end:
                break
            if self._history_is_long():
                await self._continue_as_new()
            plan = self.plan
            woken = await self.clock.wait_until(slot or year_end, self._woken_since(plan))
            if woken or slot is None:
                continue
            await workflow.wait_condition(lambda: not self.busy)
            if self.plan == plan:  # else the configuration changed meanwhile: look again
                await self._open_slot(slot)
        while (await self._open_count()).open:
            if self._history_is_long():
                await self._continue_as_new()
            plan = self.plan
            await self.clock.wait_until(self.clock.now() + CHECK_EVERY, self._replanned(plan))
        await workflow.wait_condition(workflow.all_handlers_finished)

    def _replanned(self, plan: int) -> Callable[[], bool]:
        """The wake-up test of the daily check after the year: the configuration changed."""
        return lambda: self.plan != plan

    async def _open_slot(self, slot: dt.datetime) -> None:
        self.busy = True
        after = None
        while True:
            page = await workflow.execute_activity(
                ACTIVITY_OPEN_ROUNDS,
                OpenRoundsInput(
                    plan=self.plan_id or "",
                    slot=slot,
                    start=self.inp.start,
                    clock_offset_s=self.inp.clock_offset_s,
                    after=after,
                    limit=self.inp.open_page,
                ),
                result_type=OpenRoundsResult,
                start_to_close_timeout=OPEN_TIMEOUT,
                retry_policy=RETRY,
            )
            if page.next_after is None:
                break
            after = page.next_after
        self.opened_through = slot
        self.busy = False

    async def _open_count(self) -> OpenCount:
        return await workflow.execute_activity(
            ACTIVITY_COUNT_OPEN_ROUNDS,
            OpenCountInput(org_id=self.inp.org_id, year=self.inp.year),
            result_type=OpenCount,
            start_to_close_timeout=OPEN_TIMEOUT,
            retry_policy=RETRY,
        )

    async def _update_plan(self, inp: CycleConfigInput) -> CycleConfigResult:
        await workflow.wait_condition(lambda: not self.busy)
        self.busy = True
        try:
            result = await workflow.execute_activity(
                ACTIVITY_APPLY_PLAN,
                ApplyPlanInput(
                    old=self.plan_id or "",
                    new=inp.plan or "",
                    opened_through=self.opened_through,
                    start=self.inp.start,
                    today=self.clock.today(),
                    clock_offset_s=self.inp.clock_offset_s,
                    actor=inp.actor,
                ),
                result_type=CycleConfigResult,
                start_to_close_timeout=OPEN_TIMEOUT,
                retry_policy=RETRY,
            )
            self.plan_id, self.slots = inp.plan, sorted(inp.slots)
            self.plan += 1
        finally:
            self.busy = False
        return result

    def _plan_status(self) -> CyclePlanStatus:
        return CyclePlanStatus(
            org_id=self.inp.org_id,
            year=self.inp.year,
            start=self.inp.start,
            plan=self.plan_id,
            slots=self.slots,
            opened_through=self.opened_through,
        )
