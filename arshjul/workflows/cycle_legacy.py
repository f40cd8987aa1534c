"""The annual cycle of release 0.1, kept for cycles started with every RoundSpec in their input.

Such a cycle starts each round as an abandoned child and hears from it after every history line.
Its commands must stay exactly as they were (tests/workflows/histories/v0.1.0/cycle/): no change
here without `workflow.patched`. New cycles carry a plan instead (cycle_plan.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING

from temporalio import workflow
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from arshjul.models.cycle import CycleInput
    from arshjul.models.instants import send_instant
    from arshjul.models.rounds import (
        CLOSED_STATES,
        ROUND_WORKFLOW,
        SIGNAL_ROUND_SPEC,
        CycleConfigInput,
        CycleConfigResult,
        CycleRound,
        RoundChanged,
        RoundSpec,
    )
    from arshjul.plans import change_message, cycle_line, same_plan
    from arshjul.workflows.clock import Clock


class SpecCycle:
    """The 0.1 cycle's main line and handlers; AnnualCycleWorkflow runs them for such inputs."""

    inp: CycleInput
    clock: Clock
    specs: dict[str, RoundSpec]
    rounds: dict[str, CycleRound]
    plan: int

    if TYPE_CHECKING:

        def _history_is_long(self) -> bool: ...

        def _woken_since(self, plan: int) -> Callable[[], bool]: ...

    async def _run_specs(self, inp: CycleInput) -> list[CycleRound]:
        if not inp.started:
            for wid, spec in self.specs.items():
                status = "before_start" if spec.due < inp.start else "scheduled"
                self.rounds[wid] = cycle_line(spec, status)
        year_end = send_instant(dt.date(inp.year, 12, 31), dt.time(23, 59), inp.timezone)
        while True:
            pending = sorted(
                (s for wid, s in self.specs.items() if self.rounds[wid].status == "scheduled"),
                key=lambda s: (s.opens, s.report_id, s.period, s.unit_id),
            )
            if not pending and self.clock.now() >= year_end and self._all_closed():
                break
            if self._history_is_long():
                await workflow.wait_condition(workflow.all_handlers_finished)
                workflow.continue_as_new(self._carry_specs())
            target = (
                send_instant(pending[0].opens, pending[0].send_time, pending[0].timezone)
                if pending
                else year_end
            )
            plan = self.plan
            woken = await self.clock.wait_until(target, self._woken_since(plan))
            if woken or not pending:
                continue
            await self._open_round(pending[0])
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._lines()

    def _all_closed(self) -> bool:
        # The cycle stays while its rounds run, so QUERY_CYCLE answers for all of them.
        return all(r.state in CLOSED_STATES for r in self.rounds.values() if r.status == "opened")

    def _carry_specs(self) -> CycleInput:
        return self.inp.model_copy(
            update={
                "specs": list(self.specs.values()),
                "rounds": self.rounds,
                "started": True,
            }
        )

    async def _open_round(self, spec: RoundSpec) -> None:
        child = spec.model_copy(update={"clock_offset_s": self.inp.clock_offset_s})
        try:
            # ABANDON: rounds outlive the cycle (a December round runs into next year).
            await workflow.start_child_workflow(
                ROUND_WORKFLOW,
                child,
                id=spec.workflow_id,
                parent_close_policy=ParentClosePolicy.ABANDON,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            )
        except WorkflowAlreadyStartedError:
            workflow.logger.info("round %s already started; not started again", spec.workflow_id)
        self.rounds[spec.workflow_id].status = "opened"

    def _round_news(self, news: RoundChanged) -> None:
        summary = self.rounds.get(news.workflow_id)
        if summary is not None:
            summary.state, summary.due, summary.meeting = news.state, news.due, news.meeting
            if news.state in CLOSED_STATES:
                self.plan += 1  # after the year, the last round closing ends the cycle

    def _lines(self) -> list[CycleRound]:
        return sorted(
            self.rounds.values(), key=lambda r: (r.opens, r.report_id, r.period, r.unit_id)
        )

    async def _update_specs(self, inp: CycleConfigInput) -> CycleConfigResult:
        result = CycleConfigResult()
        new = {s.workflow_id: s for s in inp.specs}
        today = self.clock.today()
        for wid, spec in new.items():
            old, summary = self.specs.get(wid), self.rounds.get(wid)
            if old is None or summary is None or summary.status == "removed":
                self.specs[wid] = spec
                self.rounds[wid] = cycle_line(
                    spec, "before_start" if spec.due < today else "scheduled"
                )
                result.added.append(wid)
            elif same_plan(old, spec):
                continue
            elif summary.status == "opened":
                self.specs[wid] = spec
                try:
                    await workflow.get_external_workflow_handle(wid).signal(SIGNAL_ROUND_SPEC, spec)
                    result.signalled.append(wid)
                except Exception:  # noqa: BLE001 - a closed round keeps its history as it was
                    workflow.logger.info("round %s is closed; configuration not applied", wid)
            elif summary.status == "scheduled":
                self.specs[wid] = spec
                state = summary.state
                self.rounds[wid] = cycle_line(spec, "scheduled")
                self.rounds[wid].state = state
                result.moved.append(wid)
        for wid, summary in self.rounds.items():
            if wid not in new and summary.status == "scheduled":
                summary.status = "removed"  # running rounds are never dropped by a configuration
                result.removed.append(wid)
        self.plan += 1
        result.message = change_message(result)
        return result
