"""AnnualCycleWorkflow: one per organisation and year; opens every round at its opening day.

The client expands the calendar into RoundSpecs (no configuration parsing in the workflow) and
stores them as the year's plan; the cycle carries the plan's hash and opening instants
(cycle_plan.py). A cycle started by release 0.1 carries every RoundSpec instead and runs on as it
did (cycle_legacy.py).
"""

from __future__ import annotations

from collections.abc import Callable

from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from arshjul.models.cycle import CycleInput
    from arshjul.models.plans import QUERY_CYCLE_PLAN, CyclePlanStatus
    from arshjul.models.rounds import (
        CYCLE_WORKFLOW,
        QUERY_CYCLE,
        SIGNAL_ROUND_CHANGED,
        UPDATE_CYCLE_CONFIG,
        CycleConfigInput,
        CycleConfigResult,
        CycleRound,
        RoundChanged,
    )
    from arshjul.workflows import rules
    from arshjul.workflows.clock import Clock
    from arshjul.workflows.cycle_legacy import SpecCycle
    from arshjul.workflows.cycle_plan import PlanCycle


@workflow.defn(name=CYCLE_WORKFLOW)
class AnnualCycleWorkflow(SpecCycle, PlanCycle):
    """Sleeps until each opening instant and has that instant's rounds started."""

    @workflow.init
    def __init__(self, inp: CycleInput) -> None:
        self.inp = inp
        self.clock = Clock(inp.clock_offset_s, inp.timezone)
        self.specs = {s.workflow_id: s for s in inp.specs}
        self.rounds = dict(inp.rounds)
        self.plan = 0
        self.plan_id = inp.plan
        self.slots = sorted(inp.slots)
        self.opened_through = inp.opened_through
        self.busy = False

    @workflow.run
    async def run(self, inp: CycleInput) -> list[CycleRound]:
        """Opens the year's rounds; ends after the year once every round of it has closed."""
        if inp.plan is None:
            return await self._run_specs(inp)
        await self._run_plan(inp)
        return []

    def _history_is_long(self) -> bool:
        info = workflow.info()
        limit = self.inp.continue_as_new_after_events
        return info.is_continue_as_new_suggested() or (
            limit is not None and info.get_current_history_length() > limit
        )

    def _woken_since(self, plan: int) -> Callable[[], bool]:
        """The wake-up test of the main line's waits: the configuration changed since `plan`,
        or the history grew long enough to continue as new."""
        return lambda: self.plan != plan or self._history_is_long()

    @workflow.signal(name=SIGNAL_ROUND_CHANGED)
    def round_changed(self, news: RoundChanged) -> None:
        """Keeps the last state each opened round reported (rounds of release 0.1 only)."""
        self._round_news(news)

    @workflow.query(name=QUERY_CYCLE)
    def summary(self) -> list[CycleRound]:
        """Release 0.1: one line per round; a planned cycle answers [] (`arshjul cycle status`)."""
        return self._lines()

    @workflow.query(name=QUERY_CYCLE_PLAN)
    def plan_status(self) -> CyclePlanStatus:
        """Returns the plan's hash, its opening instants and the last one opened."""
        return self._plan_status()

    @workflow.update(name=UPDATE_CYCLE_CONFIG)
    async def update_config(self, inp: CycleConfigInput) -> CycleConfigResult:
        """Applies a changed configuration without losing or duplicating running rounds."""
        if self.plan_id is None:
            return await self._update_specs(inp)
        return await self._update_plan(inp)

    @update_config.validator
    def _validate_config(self, inp: CycleConfigInput) -> None:
        if (inp.plan is None) != (self.plan_id is None):
            raise rules.rejected(
                "This cycle takes its configuration as "
                + ("a plan hash." if self.plan_id else "a list of round specs."),
                "Årshjulet tar emot konfigurationen i en annan form; starta om med samma version.",
            )
        ids = [s.workflow_id for s in inp.specs]
        if len(ids) != len(set(ids)):
            raise rules.rejected(
                "The configuration lists a round twice.",
                "Konfigurationen innehåller samma runda två gånger.",
            )
        foreign = sorted({s.org_id for s in inp.specs} - {self.inp.org_id})
        if foreign:
            raise rules.rejected(
                f"Rounds of another organisation: {', '.join(foreign)}.",
                f"Rundor för en annan organisation: {', '.join(foreign)}.",
            )
