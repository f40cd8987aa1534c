"""The shared steps of the golden scenarios: the registry, the round builders, waiting helpers.

Each scenario module (tests/workflows/scenarios/) registers its scenarios with `@scenario` into
`SCENARIOS`; `tests/workflows/capture.py` runs each one on a fresh time-skipping server and saves
the history of every workflow it names. A scenario returns {file name: workflow handle}; the name
becomes `histories/<release>/<name>.json`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from temporalio import activity
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError

from arshjul.models.effects import (
    ACTIVITY_SEND_NOTIFICATION,
    NotificationRequest,
    NotificationResult,
)
from arshjul.models.rounds import (
    QUERY_STATUS,
    UPDATE_DECIDE,
    UPDATE_KS_DECIDE,
    UPDATE_SUBMIT,
    DecideInput,
    KsDecideInput,
    RoundSpec,
    RoundStatus,
    SubmitInput,
    UpdateResult,
)
from arshjul.simulation.timeline import TimelineActivities
from tests.workflows.conftest import Rig, make_spec

D = dt.date
T = dt.datetime
ORG = "golden"
KSAU = [D(2027, 3, 16), D(2027, 4, 6), D(2027, 4, 27), D(2027, 5, 11)]
KS = [D(2027, 4, 20), D(2027, 5, 18)]
SUBMISSION = SubmitInput(submission_id=7, version=1, sha256="ab", actor="chef@example.org")
WORKFLOW_TASK = {
    EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED,
    EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED,
    EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED,
}
Handles = dict[str, WorkflowHandle[Any, Any]]
Scenario = Callable[[Rig], Awaitable[Handles]]
SCENARIOS: dict[str, Scenario] = {}


def scenario(fn: Scenario) -> Scenario:
    """Registers a scenario under its function name."""
    SCENARIOS[fn.__name__] = fn
    return fn


def spec(offset: float, unit: str = "bildning", **kw: Any) -> RoundSpec:
    """A månadsrapport round of 1–12 March 2027 with a fixed organisation id."""
    kw.setdefault("opens", D(2027, 3, 1))
    kw.setdefault("due", D(2027, 3, 12))
    return make_spec(offset=offset, unit=unit, **kw).model_copy(update={"org_id": ORG})


async def update(handle: WorkflowHandle[Any, Any], name: str, arg: Any) -> UpdateResult:
    """Runs an update that must be accepted."""
    try:
        return await handle.execute_update(name, arg, result_type=UpdateResult)
    except WorkflowUpdateFailedError as exc:
        raise AssertionError(f"{handle.id}: {name} refused: {exc.cause}") from exc


async def state_is(handle: WorkflowHandle[Any, Any], state: str) -> None:
    """Waits until a round reaches `state` (a signal may be taken after time skipped on)."""
    for _ in range(100):
        if (await handle.query(QUERY_STATUS, result_type=RoundStatus)).state == state:
            return
        await asyncio.sleep(0.05)
    status = await handle.query(QUERY_STATUS, result_type=RoundStatus)
    raise AssertionError(f"{handle.id} never reached {state}: {status}")


async def idle(handle: WorkflowHandle[Any, Any]) -> None:
    """Waits until a workflow has no activity or workflow task outstanding.

    Before patch awaiting-meeting-keeps-news, a signal sent while the round still sent its
    awaiting_meeting mail was lost (round_awaiting_news); the older golden runs avoid that race.
    """
    for _ in range(200):
        events = (await handle.fetch_history()).events
        kinds = [e.event_type for e in events]
        task = [k for k in kinds if k in WORKFLOW_TASK]
        done = kinds.count(EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
        if task[-1] == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED and done == kinds.count(
            EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
        ):
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"{handle.id} never went idle")


async def history_has(handle: WorkflowHandle[Any, Any], event: str) -> None:
    """Waits until a round's history has `event`."""
    for _ in range(100):
        status = await handle.query(QUERY_STATUS, result_type=RoundStatus)
        if event in [h.event for h in status.history]:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"{handle.id} never recorded {event}")


async def refused(handle: WorkflowHandle[Any, Any], name: str, arg: Any) -> None:
    """Runs an update that must be rejected (it still leaves a workflow task in the history)."""
    try:
        await handle.execute_update(name, arg, result_type=UpdateResult)
    except WorkflowUpdateFailedError:
        return
    raise AssertionError(f"{name} was accepted")


async def reviewed_round(rig: Rig, **kw: Any) -> tuple[WorkflowHandle[Any, Any], float]:
    """Starts a round reviewed by KSAU (referrals to KS) and submits it on 10 March."""
    offset = await rig.offset_to(T(2027, 3, 1, 7, 0))
    handle = await rig.start(spec(offset, ksau=KSAU, ks=KS, **kw))
    await rig.advance_to(T(2027, 3, 10, 10, 0), offset)
    await update(handle, UPDATE_SUBMIT, SUBMISSION)  # on the agenda of 6 April
    return handle, offset


def approve(actor: str = "ksau@example.org") -> DecideInput:
    """KSAU approves."""
    return DecideInput(outcome="approve", actor=actor)


async def ks_decides(handle: WorkflowHandle[Any, Any], decision: KsDecideInput) -> None:
    """KS decides a referred report: with `ks_decide` in rounds from before review chains
    (state referred), with `decide` as the chain's forward target since."""
    st = await handle.query(QUERY_STATUS, result_type=RoundStatus)
    if st.state == "referred":
        await update(handle, UPDATE_KS_DECIDE, decision)
        return
    await update(handle, UPDATE_DECIDE, DecideInput(committee_id="ks", **decision.model_dump()))


class HeldMail(TimelineActivities):
    """The in-memory activities, with the "no meeting left" mail held until `release` is set."""

    def __init__(self, rig: Rig) -> None:
        super().__init__(rig.timeline)
        self.sending = asyncio.Event()
        self.release = asyncio.Event()

    @activity.defn(name=ACTIVITY_SEND_NOTIFICATION)
    async def send_notification(self, request: NotificationRequest) -> NotificationResult:
        """Holds the awaiting_meeting mail; every other mail goes through at once."""
        if request.template == "awaiting_meeting":
            self.sending.set()
            await self.release.wait()
        return await super().send_notification(request)


async def decide_at(
    rig: Rig, handle: WorkflowHandle[Any, Any], offset: float, day: dt.date, inp: DecideInput
) -> None:
    """The committee decides at 13.00 on its meeting day."""
    await rig.advance_to(T(day.year, day.month, day.day, 13, 0), offset)
    await update(handle, UPDATE_DECIDE, inp)


def approve_at(committee: str) -> DecideInput:
    """The committee approves (on to the next step, or done)."""
    return DecideInput(outcome="approve", actor=f"{committee}@example.org", committee_id=committee)


async def every_run(rig: Rig, cycle: WorkflowHandle[Any, Any], name: str) -> Handles:
    """Handles of every run of a cycle that continued as new, named name1, name2, ..."""
    handles: Handles = {}
    run_id = cycle.result_run_id
    while run_id is not None:
        handle = rig.client.get_workflow_handle(cycle.id, run_id=run_id)
        handles[f"{name}{len(handles) + 1}"] = handle
        last = (await handle.fetch_history()).events[-1]
        attrs = last.workflow_execution_continued_as_new_event_attributes
        run_id = attrs.new_execution_run_id or None
    return handles
