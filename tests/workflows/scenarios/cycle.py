"""The golden scenarios of the annual cycle: every spec in its input (release 0.1) and with a stored
plan (release 0.2).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from temporalio.client import WorkflowExecutionStatus, WorkflowHandle

from arshjul.models.cycle import CycleInput
from arshjul.models.plans import plan_slots
from arshjul.models.rounds import (
    CYCLE_WORKFLOW,
    QUERY_CYCLE,
    UPDATE_CYCLE_CONFIG,
    UPDATE_SUBMIT,
    CycleConfigInput,
    CycleConfigResult,
    CycleRound,
    RoundSpec,
    cycle_workflow_id,
)
from tests.workflows.conftest import Rig
from tests.workflows.steps import (
    ORG,
    SUBMISSION,
    D,
    Handles,
    T,
    every_run,
    refused,
    scenario,
    spec,
    update,
)


def cycle_specs(offset: float, units: list[str], opens: dt.date, due: dt.date) -> list[RoundSpec]:
    """One unreviewed round per unit (submitting closes it)."""
    return [spec(offset, unit=u, opens=opens, due=due, escalation=False) for u in units]


async def start_cycle(
    rig: Rig, specs: list[RoundSpec], offset: float, start: dt.date, **kw: Any
) -> WorkflowHandle[Any, Any]:
    """Starts the 2027 cycle of the golden organisation (release 0.1: every spec in its input)."""
    inp = CycleInput(org_id=ORG, year=2027, specs=specs, start=start, clock_offset_s=offset, **kw)
    return await rig.client.start_workflow(
        CYCLE_WORKFLOW, inp, id=cycle_workflow_id(ORG, 2027), task_queue=rig.task_queue
    )


async def start_planned(
    rig: Rig, specs: list[RoundSpec], offset: float, start: dt.date, **kw: Any
) -> WorkflowHandle[Any, Any]:
    """Starts the 2027 cycle of the golden organisation with a stored plan (release 0.2)."""
    inp = CycleInput(
        org_id=ORG,
        year=2027,
        start=start,
        clock_offset_s=offset,
        plan=rig.plans.save(ORG, 2027, specs),
        slots=plan_slots(specs),
        **kw,
    )
    return await rig.client.start_workflow(
        CYCLE_WORKFLOW, inp, id=cycle_workflow_id(ORG, 2027), task_queue=rig.task_queue
    )


def config_change_specs(
    offset: float,
) -> tuple[list[RoundSpec], list[RoundSpec], list[RoundSpec]]:
    """The rounds before an update_config: one running in October, one to be moved (November),
    one to be removed (December)."""
    return (
        cycle_specs(offset, ["bun"], D(2027, 10, 1), D(2027, 10, 12)),
        cycle_specs(offset, ["sof"], D(2027, 11, 1), D(2027, 11, 12)),
        cycle_specs(offset, ["sbf"], D(2027, 12, 1), D(2027, 12, 10)),
    )


def retimed(running: list[RoundSpec], moved: list[RoundSpec]) -> list[RoundSpec]:
    """The update's new dates: the running round due 15 October, the moved one 8–19 November."""
    return [
        running[0].model_copy(update={"due": D(2027, 10, 15)}),
        moved[0].model_copy(update={"opens": D(2027, 11, 8), "due": D(2027, 11, 19)}),
    ]


def assert_one_of_each(result: CycleConfigResult) -> None:
    """The update moved, signalled, added and removed exactly one round each."""
    counts = (len(result.moved), len(result.signalled), len(result.added), len(result.removed))
    assert counts == (1, 1, 1, 1), result


async def submit_all(rig: Rig, specs: list[RoundSpec]) -> None:
    """Hands in every round (each closes as accepted)."""
    for s in specs:
        await update(rig.client.get_workflow_handle(s.workflow_id), UPDATE_SUBMIT, SUBMISSION)


@scenario
async def cycle_start_to_end(rig: Rig) -> Handles:
    """The cycle classifies a before-start round, opens two rounds (children), ends after 31 Dec."""
    offset = await rig.offset_to(T(2027, 9, 1, 7, 0))
    past = cycle_specs(offset, ["sbf"], D(2027, 8, 2), D(2027, 8, 13))
    october = cycle_specs(offset, ["bun", "sof"], D(2027, 10, 1), D(2027, 10, 12))
    cycle = await start_cycle(rig, past + october, offset, D(2027, 9, 1))
    await rig.advance_to(T(2027, 10, 4, 10, 0), offset)
    await submit_all(rig, october)
    await cycle.result()
    child = rig.client.get_workflow_handle(october[0].workflow_id)
    return {"cycle/start-to-end": cycle, "round/child-of-cycle": child}


@scenario
async def cycle_update_config(rig: Rig) -> Handles:
    """update_config: a running round told of a new due date, one moved, one removed, one added."""
    offset = await rig.offset_to(T(2027, 9, 1, 7, 0))
    running, moved, removed = config_change_specs(offset)
    cycle = await start_cycle(rig, running + moved + removed, offset, D(2027, 9, 1))
    await rig.advance_to(T(2027, 10, 2, 9, 0), offset)
    new = [
        *retimed(running, moved),
        *cycle_specs(offset, ["kfo"], D(2027, 11, 1), D(2027, 11, 12)),
    ]
    await refused(cycle, UPDATE_CYCLE_CONFIG, CycleConfigInput(specs=[new[0], new[0]]))
    result = await cycle.execute_update(
        UPDATE_CYCLE_CONFIG, CycleConfigInput(specs=new), result_type=CycleConfigResult
    )
    assert_one_of_each(result)
    await rig.advance_to(T(2027, 10, 4, 9, 0), offset)
    await cycle.query(QUERY_CYCLE, result_type=list[CycleRound])
    return {"cycle/update-config": cycle}


@scenario
async def cycle_continue_as_new(rig: Rig) -> Handles:
    """A small event limit makes the cycle continue-as-new while its rounds report; every run.

    The rounds stay open: on the time-skipping server a child that closes after its parent
    continued-as-new stops time skipping for good (STACK-NOTES).
    """
    offset = await rig.offset_to(T(2027, 9, 1, 7, 0))
    october = cycle_specs(offset, ["bun", "sof", "kfo"], D(2027, 10, 1), D(2027, 10, 12))
    november = cycle_specs(offset, ["sbf"], D(2027, 11, 1), D(2027, 11, 12))
    cycle = await start_cycle(
        rig, october + november, offset, D(2027, 9, 1), continue_as_new_after_events=12
    )
    await rig.advance_to(T(2027, 11, 2, 10, 0), offset)
    handles = await every_run(rig, cycle, "cycle/continue-as-new-run")
    assert len(handles) > 1, "the cycle never continued as new"
    return handles


# --- the annual cycle with a plan (release 0.2) -------------------------------------------------


@scenario
async def plan_start_to_end(rig: Rig) -> Handles:
    """Opens a slot through the activity, leaves a before-start round out, ends once all closed."""
    offset = await rig.offset_to(T(2027, 9, 1, 7, 0))
    past = cycle_specs(offset, ["sbf"], D(2027, 8, 2), D(2027, 8, 13))
    october = cycle_specs(offset, ["bun", "sof"], D(2027, 10, 1), D(2027, 10, 12))
    december = cycle_specs(offset, ["kfo"], D(2027, 12, 1), D(2027, 12, 10))
    cycle = await start_planned(rig, past + october + december, offset, D(2027, 9, 1))
    await rig.advance_to(T(2027, 10, 4, 10, 0), offset)
    await submit_all(rig, october)
    await rig.advance_to(T(2028, 1, 4, 10, 0), offset)  # December's round is still open
    await submit_all(rig, december)
    await cycle.result()
    opened = rig.client.get_workflow_handle(october[0].workflow_id)
    return {"cycle/plan-start-to-end": cycle, "round/opened-by-plan": opened}


@scenario
async def plan_update_config(rig: Rig) -> Handles:
    """update_config with a new plan: one running round told, one moved, one removed, one added."""
    offset = await rig.offset_to(T(2027, 9, 1, 7, 0))
    running, moved, removed = config_change_specs(offset)
    cycle = await start_planned(rig, running + moved + removed, offset, D(2027, 9, 1))
    await rig.advance_to(T(2027, 10, 2, 9, 0), offset)
    new = [
        *retimed(running, moved),
        *cycle_specs(offset, ["kfo"], D(2027, 9, 20), D(2027, 10, 20)),  # opens at once
    ]
    await refused(cycle, UPDATE_CYCLE_CONFIG, CycleConfigInput(specs=new))  # wants a plan
    change = CycleConfigInput(plan=rig.plans.save(ORG, 2027, new), slots=plan_slots(new))
    result = await cycle.execute_update(UPDATE_CYCLE_CONFIG, change, result_type=CycleConfigResult)
    assert_one_of_each(result)
    await rig.advance_to(T(2027, 10, 4, 9, 0), offset)
    return {"cycle/plan-update-config": cycle}


@scenario
async def plan_continue_as_new(rig: Rig) -> Handles:
    """A small event limit and one-round pages: the planned cycle continues as new; every run."""
    offset = await rig.offset_to(T(2027, 9, 1, 7, 0))
    october = cycle_specs(offset, ["bun", "sof", "kfo"], D(2027, 10, 1), D(2027, 10, 12))
    cycle = await start_planned(
        rig, october, offset, D(2027, 9, 1), continue_as_new_after_events=10, open_page=1
    )
    await rig.advance_to(T(2027, 10, 4, 10, 0), offset)
    await submit_all(rig, october)
    # Not result(): on the time-skipping server it gives up on a run that continued as new.
    await rig.advance_to(T(2028, 1, 2, 10, 0), offset)
    last = await rig.client.get_workflow_handle(cycle.id).describe()
    assert last.status == WorkflowExecutionStatus.COMPLETED, last.status
    handles = await every_run(rig, cycle, "cycle/plan-continue-as-new-run")
    assert len(handles) > 1, "the cycle never continued as new"
    return handles
