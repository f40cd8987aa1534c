"""A changed configuration handed to the running cycles (a restart of `up`, a save in the browser).

Each year whose cycle runs gets the year's plan recomputed and stored; the cycle's existing
update moves the rounds not yet opened and signals those running (arshjul.plans.diff_plans).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from temporalio.client import Client, WorkflowExecutionStatus, WorkflowUpdateFailedError
from temporalio.service import RPCError, RPCStatusCode

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.expand import round_specs
from arshjul.calendar.rules import MissingMeeting
from arshjul.logging import log_event
from arshjul.models.plans import QUERY_CYCLE_PLAN, CyclePlanStatus, plan_slots
from arshjul.models.rounds import (
    UPDATE_CYCLE_CONFIG,
    CycleConfigInput,
    CycleConfigResult,
    RoundSpec,
    cycle_workflow_id,
)
from arshjul.plans import PlanStore

logger = logging.getLogger(__name__)


async def apply_config(
    client: Client,
    workflow_id: str,
    specs: list[RoundSpec],
    plans: PlanStore,
    year: int,
    *,
    actor: str,
) -> CycleConfigResult | None:
    """Hands a running cycle the plan of `specs`; None when it does not run, the plan is
    unchanged or Temporal refused (logged)."""
    handle = client.get_workflow_handle(workflow_id)
    try:
        if (await handle.describe()).status != WorkflowExecutionStatus.RUNNING:
            return None
        status = await handle.query(QUERY_CYCLE_PLAN, result_type=CyclePlanStatus)
        if status.plan is None:  # a cycle started by release 0.1 takes every spec
            update = CycleConfigInput(specs=specs, actor=actor)
        else:
            plan = plans.save(status.org_id, year, specs)
            if plan == status.plan:
                log_event(logger, "cycle.config_unchanged", workflow_id=workflow_id)
                return None
            update = CycleConfigInput(plan=plan, slots=plan_slots(specs), actor=actor)
        result = await handle.execute_update(
            UPDATE_CYCLE_CONFIG, update, result_type=CycleConfigResult
        )
    except (RPCError, WorkflowUpdateFailedError) as exc:
        if isinstance(exc, RPCError) and exc.status == RPCStatusCode.NOT_FOUND:
            return None  # no cycle for that year: nothing runs that the change could reach
        log_event(
            logger,
            "cycle.config_not_applied",
            level=logging.WARNING,
            workflow_id=workflow_id,
            error=str(exc.cause if isinstance(exc, WorkflowUpdateFailedError) else exc),
        )
        return None
    changed = result.moved or result.signalled or result.added or result.removed
    log_event(
        logger,
        "cycle.config_applied" if changed else "cycle.config_unchanged",
        workflow_id=workflow_id,
        moved=len(result.moved),
        signalled=len(result.signalled),
        added=len(result.added),
        removed=len(result.removed),
    )
    return result


@dataclass
class Applied:
    """What a configuration change did to the running cycles, year by year."""

    results: dict[int, CycleConfigResult] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)  # periods left out: a meeting is missing


def years_around(today: dt.date) -> list[int]:
    """The years whose cycle may run on `today`: last year's closes its December rounds in
    January, next year's may have been started early."""
    return [today.year - 1, today.year, today.year + 1]


async def apply_to_cycles(
    client: Client, config: ArshjulConfig, plans: PlanStore, today: dt.date, *, actor: str
) -> Applied:
    """Hands every running cycle of the organisation its year's plan from `config`."""
    applied = Applied()
    for year in years_around(today):
        missing: list[MissingMeeting] = []
        specs = round_specs(config, year, missing)
        applied.skipped.extend(str(m) for m in missing)
        workflow_id = cycle_workflow_id(config.organisation.id, year)
        result = await apply_config(client, workflow_id, specs, plans, year, actor=actor)
        if result is not None:
            applied.results[year] = result
    return applied
