"""AnnualCycleWorkflow: one per organisation and year; opens every round at its opening day.

The client expands the calendar into RoundSpecs (no configuration parsing in the workflow) and
stores them as the year's plan; the cycle carries the plan's hash and opening instants
(cycle_plan.py). A cycle started by release 0.1 carries every RoundSpec instead and runs on as it
did (cycle_legacy.py).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field
from temporalio import workflow

with workflow.unsafe.imports_passed_through():
    from arshjul.models.plans import OPEN_PAGE, QUERY_CYCLE_PLAN, CyclePlanStatus
    from arshjul.models.rounds import (
        CYCLE_WORKFLOW,
        QUERY_CYCLE,
        SIGNAL_ROUND_CHANGED,
        UPDATE_CYCLE_CONFIG,
        CycleConfigInput,
        CycleConfigResult,
        CycleRound,
        RoundChanged,
        RoundSpec,
    )
    from arshjul.workflows import rules
    from arshjul.workflows.clock import Clock
    from arshjul.workflows.cycle_legacy import SpecCycle
    from arshjul.workflows.cycle_plan import PlanCycle


class CycleInput(BaseModel):
    """The cycle's input; it also carries the state across continue-as-new."""

    org_id: str
    year: int
    # Release 0.1: every round's spec (grows with the units; only for cycles already running).
    specs: list[RoundSpec] = Field(default_factory=list)
    start: dt.date  # rounds due before this day are not opened ("before start")
    timezone: str = "Europe/Stockholm"
    clock_offset_s: float = 0  # simulation only, see RoundSpec.clock_offset_s
    # Continue-as-new after this many history events even if Temporal does not suggest it yet.
    continue_as_new_after_events: int | None = None
    rounds: dict[str, CycleRound] = Field(default_factory=dict)  # release 0.1 only
    started: bool = False  # False only in the very first run: classify before-start rounds once
    # The year's plan (arshjul.models.plans): its hash, its opening instants, the last one opened.
    plan: str | None = None
    slots: list[dt.datetime] = Field(default_factory=list)
    opened_through: dt.datetime | None = None
    open_page: int = OPEN_PAGE  # rounds started per open_rounds call


def cycle_input(
    *, config: Any, year: int, plan: str, slots: list[dt.datetime], start: dt.date
) -> CycleInput:
    """Builds the input of a year's cycle from a loaded configuration and its stored plan."""
    return CycleInput(
        org_id=config.organisation.id,
        year=year,
        start=start,
        timezone=config.organisation.timezone,
        plan=plan,
        slots=slots,
    )


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
