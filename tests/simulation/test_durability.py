"""Durability of the year.

A worker replaced mid-year, a cycle started twice or mid-year, a configuration changed mid-year.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from temporalio.client import WorkflowUpdateFailedError
from temporalio.exceptions import WorkflowAlreadyStartedError
from temporalio.testing import WorkflowEnvironment

from arshjul.models.cycle import CycleInput
from arshjul.models.plans import plan_slots
from arshjul.models.rounds import (
    CYCLE_WORKFLOW,
    QUERY_STATUS,
    ROUND_WORKFLOW,
    UPDATE_CYCLE_CONFIG,
    CycleConfigInput,
    CycleConfigResult,
    RoundSpec,
    RoundStatus,
    cycle_workflow_id,
)
from arshjul.simulation.driver import Simulation
from arshjul.simulation.timeline import Timeline
from tests.simulation.conftest import cycle_status, lines, run_subset, subset

CYCLE = cycle_workflow_id("hedemora", 2026)
APRIL = "round/hedemora/manadsrapport/2026-04/kfo"
SEPTEMBER = "round/hedemora/manadsrapport/2026-09/kfo"


@pytest.fixture(scope="module")
async def baseline(specs_2026: list[RoundSpec]) -> Timeline:
    """The subset's year with one worker throughout."""
    timeline, _ = await run_subset(subset(specs_2026))
    return timeline


async def test_worker_replaced_mid_year_gives_the_same_timeline(
    specs_2026: list[RoundSpec], baseline: Timeline
) -> None:
    # The first worker keeps no workflow cache: on the test server, a task waiting on a stopped
    # worker's sticky queue blocks time skipping. The new worker replays every history.
    timeline, sim = await run_subset(
        subset(specs_2026),
        pause=dt.date(2026, 4, 15),
        restart_worker=True,
        first_worker_options={"max_cached_workflows": 0},
    )
    assert lines(timeline) == lines(baseline)
    assert len(lines(baseline)) > 100 and sim.problems == []


async def test_second_start_is_harmless_and_the_query_lists_every_round(
    specs_2026: list[RoundSpec],
) -> None:
    specs = subset(specs_2026)
    seen: dict[str, Any] = {}

    async def start_again(sim: Simulation, env: WorkflowEnvironment) -> None:
        again = CycleInput(
            org_id="hedemora",
            year=2026,
            start=dt.date(2026, 1, 1),
            plan=sim.plans.save("hedemora", 2026, sim.specs_list()),
            slots=plan_slots(sim.specs_list()),
        )
        with pytest.raises(WorkflowAlreadyStartedError):
            await env.client.start_workflow(
                CYCLE_WORKFLOW, again, id=CYCLE, task_queue=sim.task_queue
            )
        opened = sim.specs["round/hedemora/manadsrapport/2026-02/sof"]
        with pytest.raises(WorkflowAlreadyStartedError):
            await env.client.start_workflow(
                ROUND_WORKFLOW, opened, id=opened.workflow_id, task_queue=sim.task_queue
            )
        seen["rounds"] = await cycle_status(sim)

    timeline, _ = await run_subset(specs, pause=dt.date(2026, 3, 20), at_pause=start_again)
    rounds = {r.workflow_id: r for r in seen["rounds"]}
    assert len(rounds) == len(specs)
    feb = rounds["round/hedemora/manadsrapport/2026-02/sof"]
    assert (feb.status, feb.state, feb.meeting) == ("opened", "on_agenda", dt.date(2026, 4, 7))
    assert rounds["round/hedemora/manadsrapport/2026-03/sof"].status == "scheduled"
    requests = [r for _, r, e in lines(timeline) if e == "request"]
    assert len(requests) == len(set(requests)) == len(specs) + 1  # + the åtgärdsplan


async def test_cycle_started_mid_year_leaves_past_rounds_out(specs_2026: list[RoundSpec]) -> None:
    seen: dict[str, Any] = {}

    async def query(sim: Simulation, env: WorkflowEnvironment) -> None:
        seen["rounds"] = await cycle_status(sim)

    specs = [s for s in subset(specs_2026) if s.opens < dt.date(2026, 6, 1)]
    timeline, _ = await run_subset(
        specs, start=dt.date(2026, 4, 15), at_end=query, until=dt.date(2026, 6, 1)
    )
    status = {(r.period, r.unit_id): r.status for r in seen["rounds"]}
    assert status[("2026-02", "sof")] == "before_start"  # due 13 March
    assert status[("2026-03", "sof")] == "opened"  # due 16 April: still open on the 15th
    assert status[("2026-04", "sof")] == "opened"
    assert not [r for _, r, _ in lines(timeline) if "2026-02" in r]
    # Opened at once, not on 7 April: nothing before the start, the first request at its minute
    # (a unit's scripted submission may share that minute, so order within it is not asserted).
    assert min(line[0] for line in lines(timeline)) == "2026-04-15 00:00"
    assert next(line for line in lines(timeline) if line[2] == "request")[0] == "2026-04-15 00:00"


async def test_configuration_change_moves_only_the_affected_deadlines(
    specs_2026: list[RoundSpec], baseline: Timeline
) -> None:
    seen: dict[str, Any] = {}

    async def change(sim: Simulation, env: WorkflowEnvironment) -> None:
        new = []
        for spec in sim.specs_list():
            if spec.workflow_id == APRIL:  # running: due 18 May -> 20 May
                spec = spec.model_copy(update={"due": dt.date(2026, 5, 20)})
            if spec.workflow_id == SEPTEMBER:  # not opened yet: due 14 Oct -> 16 Oct
                spec = spec.model_copy(update={"due": dt.date(2026, 10, 16)})
            new.append(spec)
        handle = env.client.get_workflow_handle(CYCLE)
        with pytest.raises(WorkflowUpdateFailedError):  # a planned cycle takes a plan
            await handle.execute_update(UPDATE_CYCLE_CONFIG, CycleConfigInput(specs=new))
        plan = CycleConfigInput(plan=sim.plans.save("hedemora", 2026, new), slots=plan_slots(new))
        seen["result"] = await handle.execute_update(
            UPDATE_CYCLE_CONFIG, plan, result_type=CycleConfigResult
        )

    async def final(sim: Simulation, env: WorkflowEnvironment) -> None:
        seen["april"] = await env.client.get_workflow_handle(APRIL).query(
            QUERY_STATUS, result_type=RoundStatus
        )
        seen["sept"] = await env.client.get_workflow_handle(SEPTEMBER).query(
            QUERY_STATUS, result_type=RoundStatus
        )

    timeline, _ = await run_subset(
        subset(specs_2026), pause=dt.date(2026, 5, 7), at_pause=change, at_end=final
    )
    result = seen["result"]
    assert (result.moved, result.signalled, result.added, result.removed) == (
        [SEPTEMBER],
        [APRIL],
        [],
        [],
    )
    assert seen["sept"].spec.due == dt.date(2026, 10, 16)
    extended = [h for h in seen["april"].history if h.event == "extended"]
    assert [(h.actor, h.detail) for h in extended] == [("configuration", "ny sista dag 2026-05-20")]
    before, after = lines(baseline), lines(timeline)
    untouched = {r for _, r, _ in before} - {APRIL, SEPTEMBER}
    assert [x for x in after if x[1] in untouched] == [x for x in before if x[1] in untouched]
    # September: the reminder 3 working days before 14/10 (9/10) now falls on 13/10, after the
    # unit submitted on 12/10 — so it is never sent.
    assert ("2026-10-09 08:00", SEPTEMBER, "reminder") in before
    assert [x for x in after if x[1] == SEPTEMBER and x[2] == "reminder"] == []
    assert ("2026-05-07 00:00", APRIL, "extended") in after
