"""AnnualCycleWorkflow: one per organisation and year; opens every round at its opening day.

The client expands the calendar into RoundSpecs (no configuration parsing in the workflow).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from pydantic import BaseModel, Field
from temporalio import workflow
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.workflow import ParentClosePolicy

with workflow.unsafe.imports_passed_through():
    from arshjul.calendar.schedule import send_instant
    from arshjul.models.rounds import (
        CLOSED_STATES,
        CYCLE_WORKFLOW,
        QUERY_CYCLE,
        ROUND_WORKFLOW,
        SIGNAL_ROUND_CHANGED,
        SIGNAL_ROUND_SPEC,
        UPDATE_CYCLE_CONFIG,
        CycleConfigInput,
        CycleConfigResult,
        CycleRound,
        RoundChanged,
        RoundSpec,
    )
    from arshjul.workflows import rules
    from arshjul.workflows.clock import Clock


class CycleInput(BaseModel):
    """The cycle's input; `rounds` carries the state across continue-as-new."""

    org_id: str
    year: int
    specs: list[RoundSpec]
    start: dt.date  # rounds due before this day are not opened ("before start")
    timezone: str = "Europe/Stockholm"
    clock_offset_s: float = 0  # simulation only, see RoundSpec.clock_offset_s
    # Continue-as-new after this many history events even if Temporal does not suggest it yet.
    continue_as_new_after_events: int | None = None
    rounds: dict[str, CycleRound] = Field(default_factory=dict)
    started: bool = False  # False only in the very first run: classify before-start rounds once


def cycle_input(*, config: Any, year: int, specs: list[RoundSpec], start: dt.date) -> CycleInput:
    """Builds the input of a year's cycle from a loaded configuration and its RoundSpecs."""
    return CycleInput(
        org_id=config.organisation.id,
        year=year,
        specs=specs,
        start=start,
        timezone=config.organisation.timezone,
    )


def _summary(spec: RoundSpec, status: str) -> CycleRound:
    return CycleRound(
        workflow_id=spec.workflow_id,
        report_id=spec.report_id,
        report_title=spec.report_title,
        period=spec.period,
        unit_id=spec.unit_id,
        unit_name=spec.unit_name,
        opens=spec.opens,
        due=spec.due,
        status=status,  # type: ignore[arg-type]
    )


def _same_plan(a: RoundSpec, b: RoundSpec) -> bool:
    # The clock offset is the simulator's, not the configuration's.
    return a.model_dump(exclude={"clock_offset_s"}) == b.model_dump(exclude={"clock_offset_s"})


@workflow.defn(name=CYCLE_WORKFLOW)
class AnnualCycleWorkflow:
    """Sleeps until each opening day and starts that round as an abandoned child."""

    @workflow.init
    def __init__(self, inp: CycleInput) -> None:
        self.inp = inp
        self.clock = Clock(inp.clock_offset_s, inp.timezone)
        self.specs = {s.workflow_id: s for s in inp.specs}
        self.rounds = dict(inp.rounds)
        self.plan = 0

    @workflow.run
    async def run(self, inp: CycleInput) -> list[CycleRound]:
        """Opens the year's rounds; ends after the year when every round is opened or left out."""
        if not inp.started:
            for wid, spec in self.specs.items():
                status = "before_start" if spec.due < inp.start else "scheduled"
                self.rounds[wid] = _summary(spec, status)
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
                workflow.continue_as_new(self._carry())
            target = (
                send_instant(pending[0].opens, pending[0].send_time, pending[0].timezone)
                if pending
                else year_end
            )
            plan = self.plan
            woken = await self.clock.wait_until(
                target, lambda plan=plan: self.plan != plan or self._history_is_long()
            )
            if woken or not pending:
                continue
            await self._open_round(pending[0])
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self.summary()

    def _all_closed(self) -> bool:
        # The cycle stays while its rounds run, so QUERY_CYCLE answers for all of them.
        return all(r.state in CLOSED_STATES for r in self.rounds.values() if r.status == "opened")

    def _history_is_long(self) -> bool:
        info = workflow.info()
        limit = self.inp.continue_as_new_after_events
        return info.is_continue_as_new_suggested() or (
            limit is not None and info.get_current_history_length() > limit
        )

    def _carry(self) -> CycleInput:
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

    @workflow.signal(name=SIGNAL_ROUND_CHANGED)
    def round_changed(self, news: RoundChanged) -> None:
        """Keeps the last state each opened round reported."""
        summary = self.rounds.get(news.workflow_id)
        if summary is not None:
            summary.state, summary.due, summary.meeting = news.state, news.due, news.meeting
            if news.state in CLOSED_STATES:
                self.plan += 1  # after the year, the last round closing ends the cycle

    @workflow.query(name=QUERY_CYCLE)
    def summary(self) -> list[CycleRound]:
        """Returns one line per round of the year: scheduled, opened, before start or removed."""
        return sorted(
            self.rounds.values(), key=lambda r: (r.opens, r.report_id, r.period, r.unit_id)
        )

    @workflow.update(name=UPDATE_CYCLE_CONFIG)
    async def update_config(self, inp: CycleConfigInput) -> CycleConfigResult:
        """Applies a changed configuration without losing or duplicating running rounds."""
        result = CycleConfigResult()
        new = {s.workflow_id: s for s in inp.specs}
        today = self.clock.today()
        for wid, spec in new.items():
            old, summary = self.specs.get(wid), self.rounds.get(wid)
            if old is None or summary is None or summary.status == "removed":
                self.specs[wid] = spec
                self.rounds[wid] = _summary(
                    spec, "before_start" if spec.due < today else "scheduled"
                )
                result.added.append(wid)
            elif _same_plan(old, spec):
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
                self.rounds[wid] = _summary(spec, "scheduled")
                self.rounds[wid].state = state
                result.moved.append(wid)
        for wid, summary in self.rounds.items():
            if wid not in new and summary.status == "scheduled":
                summary.status = "removed"  # running rounds are never dropped by a configuration
                result.removed.append(wid)
        self.plan += 1
        result.message = (
            f"{len(result.moved)} flyttade, {len(result.signalled)} pågående uppdaterade, "
            f"{len(result.added)} nya, {len(result.removed)} borttagna."
        )
        return result

    @update_config.validator
    def _validate_config(self, inp: CycleConfigInput) -> None:
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
