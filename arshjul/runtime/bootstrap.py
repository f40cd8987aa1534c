"""What `up` asks of Temporal once the parts run: this year's cycle, and the demo on first start."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import BaseModel
from temporalio.client import (
    Client,
    WorkflowExecutionStatus,
    WorkflowQueryFailedError,
)
from temporalio.common import WorkflowIDReusePolicy
from temporalio.contrib.pydantic import pydantic_data_converter
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.service import RPCError

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.demo import demo_rounds, open_real_rounds, with_meeting_on
from arshjul.logging import log_event
from arshjul.models.cycle import CycleInput
from arshjul.models.plans import plan_slots
from arshjul.models.rounds import (
    CYCLE_WORKFLOW,
    QUERY_STATUS,
    ROUND_WORKFLOW,
    SIGNAL_ROUND_SPEC,
    RoundSpec,
    RoundStatus,
    cycle_workflow_id,
)
from arshjul.plans import PlanStore
from arshjul.runtime.agendas import start_agendas
from arshjul.runtime.digest import start_digest
from arshjul.runtime.reconfigure import apply_config
from arshjul.runtime.retention import start_retention

logger = logging.getLogger(__name__)


class BootstrapResult(BaseModel):
    """What `up` started (or found already started)."""

    cycle_id: str
    cycle_started: bool
    open_rounds: int
    demo_id: str | None = None
    demo_started: bool = False


def cycle_input(
    *, config: ArshjulConfig, year: int, plan: str, slots: list[dt.datetime], start: dt.date
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


async def connect(address: str, namespace: str, timeout: float = 30.0) -> Client:
    """Connects to Temporal with the pydantic converter, retrying while the server comes up."""
    deadline = asyncio.get_running_loop().time() + timeout
    while True:
        try:
            return await Client.connect(
                address, namespace=namespace, data_converter=pydantic_data_converter
            )
        except Exception:  # noqa: BLE001 - retried until the deadline, then raised
            if asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.3)


async def start_cycle(
    client: Client,
    config: ArshjulConfig,
    specs: list[RoundSpec],
    today: dt.date,
    task_queue: str,
    plans: PlanStore,
    year: int | None = None,
) -> bool:
    """Starts the year's AnnualCycleWorkflow unless it runs or ran; True if it started it.

    The year's specs are stored as a plan first; the cycle carries only the plan's hash.
    """
    year = today.year if year is None else year
    workflow_id = cycle_workflow_id(config.organisation.id, year)
    plan = plans.save(config.organisation.id, year, specs)
    inp = cycle_input(config=config, year=year, plan=plan, slots=plan_slots(specs), start=today)
    try:
        await client.start_workflow(
            CYCLE_WORKFLOW,
            inp,
            id=workflow_id,
            task_queue=task_queue,
            # A finished cycle is not started again; a failed or terminated one may be.
            id_reuse_policy=WorkflowIDReusePolicy.ALLOW_DUPLICATE_FAILED_ONLY,
        )
    except WorkflowAlreadyStartedError:
        log_event(logger, "cycle.already_started", workflow_id=workflow_id)
        await apply_config(client, workflow_id, specs, plans, year, actor="arshjul up")
        return False
    log_event(logger, "cycle.started", workflow_id=workflow_id, rounds=len(specs), plan=plan)
    return True


async def meet_again_today(client: Client, workflow_id: str, today: dt.date) -> bool:
    """Gives a still-open demo round a demonstration meeting today, or on the next working day
    (a newcomer back on another day walks on without a new data dir); returns whether the round
    took a new meeting."""
    handle = client.get_workflow_handle(workflow_id)
    try:
        if (await handle.describe()).status != WorkflowExecutionStatus.RUNNING:
            return False
        status = await handle.query(QUERY_STATUS, result_type=RoundStatus)
        spec = with_meeting_on(status.spec, today)
        if spec == status.spec:
            return False
        # The same signal the cycle sends for a configuration change: no new workflow command.
        await handle.signal(SIGNAL_ROUND_SPEC, spec)
    except (RPCError, WorkflowQueryFailedError) as exc:
        # Gone (retention), closed meanwhile, or the server busy: the demo stays as it was and
        # `up` starts all the same.
        log_event(
            logger, "demo.unchanged", level=logging.WARNING, round_id=workflow_id, error=str(exc)
        )
        return False
    log_event(logger, "demo.meets_today", round_id=workflow_id, meeting=today.isoformat())
    return True


async def start_demo_once(
    client: Client,
    config: ArshjulConfig,
    today: dt.date,
    marker: Path,
    task_queue: str,
) -> tuple[str, bool]:
    """Opens the demonstration rounds unless they were opened before (then gives those still
    open a meeting on the demo day); returns (the id of the round to walk, started now)."""
    if marker.exists():
        previous = json.loads(marker.read_text())
        # A marker written before the waiting and at-risk rounds names only the first.
        ids = [str(i) for i in previous.get("workflow_ids") or [previous["workflow_id"]]]
        for workflow_id in ids:
            await meet_again_today(client, workflow_id, today)
        return ids[0], False
    specs = demo_rounds(config, today)
    started = []
    for spec in specs:
        try:
            await client.start_workflow(
                ROUND_WORKFLOW,
                spec,
                id=spec.workflow_id,
                task_queue=task_queue,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            )
            started.append(True)
        except WorkflowAlreadyStartedError:
            started.append(False)
        log_event(
            logger,
            "demo.started" if started[-1] else "demo.already_started",
            round_id=spec.workflow_id,
            due=spec.due.isoformat(),
        )
    # Written after the starts: a crash in between starts nothing twice (same ids, rejected).
    marker.parent.mkdir(parents=True, exist_ok=True)
    marker.write_text(
        json.dumps(
            {
                "workflow_id": specs[0].workflow_id,
                "workflow_ids": [s.workflow_id for s in specs],
                "opened": today.isoformat(),
            }
        )
    )
    return specs[0].workflow_id, started[0]


async def bootstrap(
    *,
    address: str,
    namespace: str,
    task_queue: str,
    config: ArshjulConfig,
    specs: list[RoundSpec],
    now: dt.datetime,
    demo_marker: Path | None,
    plans: PlanStore,
    next_year: list[RoundSpec] | None = None,
) -> BootstrapResult:
    """Starts the cycle, and on the first start the demo round (its committees meet today).

    `demo_marker=None` only makes sure of the cycle (the nightly check at a new year);
    `next_year` are next year's specs once its meeting plan is complete (autumn on).
    """
    today = now.astimezone(ZoneInfo(config.organisation.timezone)).date()
    client = await connect(address, namespace)
    cycle_started = await start_cycle(client, config, specs, today, task_queue, plans)
    if next_year is not None:
        # Next year's plan is complete: its cycle waits for its first opening day from now on.
        await start_cycle(client, config, next_year, today, task_queue, plans, year=today.year + 1)
    await start_digest(client, config, task_queue)
    await start_retention(client, config, task_queue)
    await start_agendas(client, config, today.year, task_queue)
    open_now = open_real_rounds(specs, now)
    result = BootstrapResult(
        cycle_id=cycle_workflow_id(config.organisation.id, today.year),
        cycle_started=cycle_started,
        open_rounds=len(open_now),
    )
    # Real rounds are decided at real meetings, weeks away; the demo can be walked today. A demo
    # opened on an earlier start is reported again (and never opened twice).
    if demo_marker is not None:
        result.demo_id, result.demo_started = await start_demo_once(
            client, config, today, demo_marker, task_queue
        )
    return result
