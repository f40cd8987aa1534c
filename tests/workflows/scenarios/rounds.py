"""The golden scenarios: every path of a round and of the annual cycle, run on real servers.

`tests/workflows/capture.py` runs each one on a fresh time-skipping server and saves the history
of every workflow it names; `test_replay.py` replays those files on today's code. A scenario
returns {file name: workflow handle}; the name becomes `histories/<release>/<name>.json`.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Awaitable, Callable
from typing import Any

from temporalio import activity
from temporalio.api.enums.v1 import EventType
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle, WorkflowUpdateFailedError
from temporalio.worker import Worker

from arshjul.models.agenda import AGENDA_WORKFLOW, SIGNAL_AGENDA_SPEC, AgendaSpec
from arshjul.models.effects import (
    ACTIVITY_SEND_NOTIFICATION,
    NotificationRequest,
    NotificationResult,
)
from arshjul.models.plans import plan_slots
from arshjul.models.rounds import (
    CYCLE_WORKFLOW,
    QUERY_CYCLE,
    QUERY_STATUS,
    ROUND_WORKFLOW,
    SIGNAL_ROUND_SPEC,
    UPDATE_CANCEL,
    UPDATE_CORRECT,
    UPDATE_CYCLE_CONFIG,
    UPDATE_DECIDE,
    UPDATE_EXTEND,
    UPDATE_KS_DECIDE,
    UPDATE_SUBMIT,
    UPDATE_TAKE_BACK,
    CancelInput,
    CycleConfigInput,
    CycleConfigResult,
    CycleRound,
    DecideInput,
    ExtendInput,
    KsDecideInput,
    RoundSpec,
    RoundStatus,
    SubmitInput,
    TakeBackInput,
    UpdateResult,
    cycle_workflow_id,
)
from arshjul.simulation.timeline import TimelineActivities
from arshjul.worker import RUNNER, WORKFLOWS
from arshjul.workflows.cycle import CycleInput
from tests.workflows.conftest import Rig, chain_review, make_spec

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


# --- rounds ----------------------------------------------------------------------------------


@scenario
async def round_chase_escalation_cancel(rig: Rig) -> Handles:
    """request, reminders, overdue, two escalations, a refused decision, cancel, linger, end."""
    offset = await rig.offset_to(T(2027, 3, 1, 7, 0))
    handle = await rig.start(spec(offset))
    await rig.advance_to(T(2027, 3, 24, 9, 0), offset)
    await refused(handle, UPDATE_DECIDE, approve())
    await update(handle, UPDATE_CANCEL, CancelInput(actor="admin@example.org", reason="Avvecklad"))
    await handle.result()
    return {"round/chase-escalation-cancel": handle}


@scenario
async def round_extension(rig: Rig) -> Handles:
    """request, a refused and an accepted extension, the new chase, submit, accepted (no review)."""
    offset = await rig.offset_to(T(2027, 3, 1, 7, 0))
    handle = await rig.start(spec(offset))
    await rig.advance_to(T(2027, 3, 2, 9, 0), offset)
    await refused(handle, UPDATE_EXTEND, ExtendInput(new_due=D(2027, 3, 12), actor="eva@x.se"))
    extend = ExtendInput(new_due=D(2027, 3, 19), actor="eva@example.org", reason="Sjukdom")
    await update(handle, UPDATE_EXTEND, extend)
    await rig.advance_to(T(2027, 3, 18, 10, 0), offset)
    await update(handle, UPDATE_SUBMIT, SUBMISSION)
    await handle.result()
    return {"round/extension": handle}


@scenario
async def round_extension_mailed(rig: Rig) -> Handles:
    """Since `extension-mails-unit`: an extension with a reason mails the unit its new date."""
    offset = await rig.offset_to(T(2027, 3, 1, 7, 0))
    handle = await rig.start(spec(offset))
    await rig.advance_to(T(2027, 3, 2, 9, 0), offset)
    extend = ExtendInput(new_due=D(2027, 3, 19), actor="eva@example.org", reason="Sjukdom")
    await update(handle, UPDATE_EXTEND, extend)
    await rig.advance_to(T(2027, 3, 18, 10, 0), offset)
    await update(handle, UPDATE_SUBMIT, SUBMISSION)
    await handle.result()
    return {"round/extension-mailed": handle}


@scenario
async def round_cancel_mailed(rig: Rig) -> Handles:
    """Since `cancel-mails-unit`: cancelling a requested round mails the unit a CANCEL."""
    offset = await rig.offset_to(T(2027, 3, 1, 7, 0))
    handle = await rig.start(spec(offset))
    await rig.advance_to(T(2027, 3, 3, 9, 0), offset)
    await update(handle, UPDATE_CANCEL, CancelInput(actor="admin@example.org", reason="Avvecklad"))
    await handle.result()
    return {"round/cancel-mailed": handle}


@scenario
async def digest_weeks(rig: Rig) -> Handles:
    """The weekly digest: two Mondays' mails, then stopped (it never ends by itself)."""
    offset = await rig.offset_to(T(2027, 3, 3, 7, 0))
    handle = await rig.start_digest(ORG, offset)
    await rig.advance_to(T(2027, 3, 16, 9, 0), offset)
    await handle.terminate("golden history captured")
    return {"digest/two-weeks": handle}


@scenario
async def round_remit_keeps_later_due(rig: Rig) -> Handles:
    """Since `remit-keeps-later-due`: an återremiss without a date keeps a later due date."""
    handle, offset = await reviewed_round(rig)
    extend = ExtendInput(new_due=D(2027, 4, 30), actor="eva@example.org", reason="Semester")
    await update(handle, UPDATE_EXTEND, extend)
    await rig.advance_to(T(2027, 4, 6, 13, 0), offset)
    remit = DecideInput(outcome="remit", actor="ksau@example.org", reason="Analys saknas")
    await update(handle, UPDATE_DECIDE, remit)  # ten working days would be 20 April
    await rig.advance_to(T(2027, 4, 21, 9, 0), offset)
    await update(handle, UPDATE_SUBMIT, SUBMISSION.model_copy(update={"version": 2}))
    await rig.advance_to(T(2027, 5, 11, 13, 0), offset)
    await update(handle, UPDATE_DECIDE, approve())
    await handle.result()
    return {"round/remit-keeps-later-due": handle}


@scenario
async def round_correct_take_back(rig: Rig) -> Handles:
    """A correction on the agenda, the report taken back, a new submission, approve."""
    handle, offset = await reviewed_round(rig)
    fixed = SUBMISSION.model_copy(update={"version": 2, "sha256": "cd", "submission_id": 8})
    await update(handle, UPDATE_CORRECT, fixed)
    await update(handle, UPDATE_TAKE_BACK, TakeBackInput(actor="chef@example.org", reason="Fel"))
    again = SUBMISSION.model_copy(update={"version": 3, "sha256": "ef", "submission_id": 9})
    await update(handle, UPDATE_SUBMIT, again)
    await rig.advance_to(T(2027, 4, 6, 13, 0), offset)
    await update(handle, UPDATE_DECIDE, approve())
    await handle.result()
    return {"round/correct-take-back": handle}


@scenario
async def round_agenda_approve(rig: Rig) -> Handles:
    """submit, on the agenda, a decision refused before the meeting day, approve."""
    handle, offset = await reviewed_round(rig)
    await refused(handle, UPDATE_DECIDE, approve())
    await rig.advance_to(T(2027, 4, 6, 13, 0), offset)
    await update(handle, UPDATE_DECIDE, approve())
    await handle.result()
    return {"round/agenda-approve": handle}


@scenario
async def round_remit_resubmit(rig: Rig) -> Handles:
    """återremiss at KSAU, the chase toward the new due date, resubmission, approve."""
    handle, offset = await reviewed_round(rig)
    await rig.advance_to(T(2027, 4, 6, 13, 0), offset)
    remit = DecideInput(outcome="remit", actor="ksau@example.org", reason="Analys saknas")
    await update(handle, UPDATE_DECIDE, remit)
    await rig.advance_to(T(2027, 4, 21, 9, 0), offset)  # reminders and the overdue notice
    await update(handle, UPDATE_SUBMIT, SUBMISSION.model_copy(update={"version": 2}))
    await rig.advance_to(T(2027, 5, 11, 13, 0), offset)
    await update(handle, UPDATE_DECIDE, approve())
    await handle.result()
    return {"round/remit-resubmit": handle}


@scenario
async def round_refer_ks_approve(rig: Rig) -> Handles:
    """KSAU refers to KS (the next committee), KS approves."""
    handle, offset = await reviewed_round(rig)
    await rig.advance_to(T(2027, 4, 6, 13, 0), offset)
    refer = DecideInput(outcome="refer", actor="ksau@example.org", reason="Stor avvikelse")
    await update(handle, UPDATE_DECIDE, refer)
    await refused(handle, UPDATE_KS_DECIDE, KsDecideInput(outcome="approve", actor="ks@x.se"))
    await rig.advance_to(T(2027, 4, 20, 15, 0), offset)
    await ks_decides(handle, KsDecideInput(outcome="approve", actor="ks@x.se"))
    await handle.result()
    return {"round/refer-ks-approve": handle}


@scenario
async def round_refer_ks_remit(rig: Rig) -> Handles:
    """KS remits a referred report; it is resubmitted and KSAU approves."""
    handle, offset = await reviewed_round(rig)
    await rig.advance_to(T(2027, 4, 6, 13, 0), offset)
    refer = DecideInput(outcome="refer", actor="ksau@example.org", reason="Stor avvikelse")
    await update(handle, UPDATE_DECIDE, refer)
    await rig.advance_to(T(2027, 4, 20, 15, 0), offset)
    ks_remit = KsDecideInput(
        outcome="remit", actor="ks@example.org", reason="Komplettera", new_due=D(2027, 4, 30)
    )
    await ks_decides(handle, ks_remit)
    await rig.advance_to(T(2027, 4, 28, 10, 0), offset)
    await update(handle, UPDATE_SUBMIT, SUBMISSION.model_copy(update={"version": 2}))
    await rig.advance_to(T(2027, 5, 11, 13, 0), offset)
    await update(handle, UPDATE_DECIDE, approve())
    await handle.result()
    return {"round/refer-ks-remit": handle}


@scenario
async def round_followup(rig: Rig) -> Handles:
    """A large deviation opens an åtgärdsplan (child round); both are approved and end."""
    offset = await rig.offset_to(T(2027, 3, 1, 7, 0))
    parent = await rig.start(spec(offset, ksau=KSAU, ks=KS, followup=True))
    await rig.advance_to(T(2027, 3, 2, 10, 0), offset)
    big = SUBMISSION.model_copy(update={"forecast_deviation_tkr": -2500})
    await update(parent, UPDATE_SUBMIT, big)
    child = rig.client.get_workflow_handle(f"round/{ORG}/atgardsplan/2027-02/bildning")
    await rig.advance_to(T(2027, 3, 3, 10, 0), offset)
    await update(child, UPDATE_SUBMIT, SUBMISSION.model_copy(update={"submission_id": 8}))
    await rig.advance_to(T(2027, 3, 16, 13, 0), offset)
    await update(child, UPDATE_DECIDE, approve())
    await rig.advance_to(T(2027, 4, 6, 13, 0), offset)
    await update(parent, UPDATE_DECIDE, approve())
    await parent.result()
    return {"round/followup-parent": parent, "round/followup-child": child}


@scenario
async def round_awaiting_meeting_released(rig: Rig) -> Handles:
    """No meeting left: awaiting_meeting; a spec_changed signal with a new meeting releases it."""
    offset = await rig.offset_to(T(2027, 3, 1, 7, 0))
    first = spec(offset, ksau=[D(2027, 3, 5)])
    handle = await rig.start(first)
    await rig.advance_to(T(2027, 3, 2, 9, 0), offset)
    await update(handle, UPDATE_SUBMIT, SUBMISSION)
    await idle(handle)
    assert first.review is not None
    committee = first.review.committee.model_copy(
        update={"meetings": [D(2027, 3, 5), D(2027, 3, 30)]}
    )
    review = first.review.model_copy(update={"committee": committee})
    await handle.signal(SIGNAL_ROUND_SPEC, first.model_copy(update={"review": review}))
    await state_is(handle, "on_agenda")
    await rig.advance_to(T(2027, 3, 30, 13, 0), offset)
    await update(handle, UPDATE_DECIDE, approve())
    await handle.result()
    return {"round/awaiting-meeting-released": handle}


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


@scenario
async def round_awaiting_news(rig: Rig) -> Handles:
    """New meetings arrive while the round still mails its owners that none is left: it is
    released to the new meeting (it waited for ever before patch awaiting-meeting-keeps-news)."""
    held = HeldMail(rig)
    queue = f"{rig.task_queue}-held"
    async with Worker(
        rig.client,
        task_queue=queue,
        workflows=WORKFLOWS,
        activities=held.all(),
        workflow_runner=RUNNER,
    ):
        offset = await rig.offset_to(T(2027, 3, 1, 7, 0))
        first = spec(offset, ksau=[D(2027, 3, 5)])
        handle = await rig.client.start_workflow(
            ROUND_WORKFLOW, first, id=first.workflow_id, task_queue=queue
        )
        await rig.advance_to(T(2027, 3, 2, 9, 0), offset)
        await update(handle, UPDATE_SUBMIT, SUBMISSION)  # 5 March is too close: none is left
        await asyncio.wait_for(held.sending.wait(), 30)
        assert first.review is not None
        committee = first.review.committee.model_copy(
            update={"meetings": [D(2027, 3, 5), D(2027, 3, 30)]}
        )
        review = first.review.model_copy(update={"committee": committee})
        await handle.signal(SIGNAL_ROUND_SPEC, first.model_copy(update={"review": review}))
        held.release.set()
        await state_is(handle, "on_agenda")
        await rig.advance_to(T(2027, 3, 30, 13, 0), offset)
        await update(handle, UPDATE_DECIDE, approve())
        await handle.result()
    return {"round/awaiting-news": handle}


@scenario
async def round_spec_changed(rig: Rig) -> Handles:
    """A configuration update on a running round: a new due date, then a moved meeting."""
    offset = await rig.offset_to(T(2027, 3, 1, 7, 0))
    first = spec(offset, ksau=KSAU, ks=KS)
    handle = await rig.start(first)
    await rig.advance_to(T(2027, 3, 2, 9, 0), offset)
    later = first.model_copy(update={"due": D(2027, 3, 15)})
    await idle(handle)
    await handle.signal(SIGNAL_ROUND_SPEC, later)
    await history_has(handle, "extended")
    await rig.advance_to(T(2027, 3, 10, 10, 0), offset)
    await update(handle, UPDATE_SUBMIT, SUBMISSION)  # on the agenda of 6 April
    await idle(handle)
    assert later.review is not None
    moved = [D(2027, 3, 16), D(2027, 4, 13), D(2027, 4, 27)]
    committee = later.review.committee.model_copy(update={"meetings": moved})
    review = later.review.model_copy(update={"committee": committee})
    await handle.signal(SIGNAL_ROUND_SPEC, later.model_copy(update={"review": review}))
    await state_is(handle, "on_agenda")  # placed again: 13 April
    await rig.advance_to(T(2027, 4, 13, 13, 0), offset)
    await update(handle, UPDATE_DECIDE, approve())
    await handle.result()
    return {"round/spec-changed": handle}


# --- review chains (patch review-chain) ------------------------------------------------------


async def chain_round(rig: Rig, **review: Any) -> tuple[WorkflowHandle[Any, Any], float]:
    """Starts a round reviewed by nämnd → KSAU → KS (target 20 April) → KF; submits 10 March."""
    offset = await rig.offset_to(T(2027, 3, 1, 7, 0))
    first = spec(offset, escalation=False)
    review.setdefault("targets", {"ks": D(2027, 4, 20)})
    handle = await rig.start(first.model_copy(update={"review": chain_review(**review)}))
    await rig.advance_to(T(2027, 3, 10, 10, 0), offset)
    await update(handle, UPDATE_SUBMIT, SUBMISSION)  # the nämnd's agenda of 18 March
    return handle, offset


async def decide_at(
    rig: Rig, handle: WorkflowHandle[Any, Any], offset: float, day: dt.date, inp: DecideInput
) -> None:
    """The committee decides at 13.00 on its meeting day."""
    await rig.advance_to(T(day.year, day.month, day.day, 13, 0), offset)
    await update(handle, UPDATE_DECIDE, inp)


def approve_at(committee: str) -> DecideInput:
    """The committee approves (on to the next step, or done)."""
    return DecideInput(outcome="approve", actor=f"{committee}@example.org", committee_id=committee)


@scenario
async def round_chain_to_kf(rig: Rig) -> Handles:
    """nämnd, KSAU, KS (waiting for its target meeting) and KF approve in turn; a wrong step and a
    decision before the meeting day are refused."""
    handle, offset = await chain_round(rig)
    await refused(handle, UPDATE_DECIDE, approve_at("socialnamnd"))  # before 18 March
    await rig.advance_to(T(2027, 3, 18, 13, 0), offset)
    await refused(handle, UPDATE_DECIDE, approve_at("ks"))  # not on KS's agenda
    await update(handle, UPDATE_DECIDE, approve_at("socialnamnd"))
    await decide_at(rig, handle, offset, D(2027, 3, 23), approve_at("ksau"))
    await decide_at(rig, handle, offset, D(2027, 4, 20), approve_at("ks"))
    await decide_at(rig, handle, offset, D(2027, 4, 26), approve_at("kf"))
    await handle.result()
    return {"round/chain-to-kf": handle}


@scenario
async def round_chain_remit_restart(rig: Rig) -> Handles:
    """KS remits; the resubmission starts again at the nämnd and misses KS's target meeting."""
    handle, offset = await chain_round(rig)
    await decide_at(rig, handle, offset, D(2027, 3, 18), approve_at("socialnamnd"))
    await decide_at(rig, handle, offset, D(2027, 3, 23), approve_at("ksau"))
    remit = DecideInput(
        outcome="remit", actor="ks@example.org", reason="Prognosen saknas",
        new_due=D(2027, 4, 30), committee_id="ks",
    )  # fmt: skip
    await decide_at(rig, handle, offset, D(2027, 4, 20), remit)
    await rig.advance_to(T(2027, 4, 28, 10, 0), offset)
    await update(handle, UPDATE_SUBMIT, SUBMISSION.model_copy(update={"version": 2}))
    await decide_at(rig, handle, offset, D(2027, 5, 20), approve_at("socialnamnd"))
    await decide_at(rig, handle, offset, D(2027, 5, 25), approve_at("ksau"))
    await decide_at(rig, handle, offset, D(2027, 6, 1), approve_at("ks"))  # target_missed before
    await decide_at(rig, handle, offset, D(2027, 6, 14), approve_at("kf"))
    await handle.result()
    return {"round/chain-remit-restart": handle}


@scenario
async def round_chain_forward(rig: Rig) -> Handles:
    """The nämnd forwards with a reason straight to KS; KS approves, KF approves."""
    handle, offset = await chain_round(rig, targets={}, forward={"socialnamnd": ["ks"]})
    forward = DecideInput(
        outcome="refer", actor="namnd@example.org", reason="Brådskande", forward_to="ks",
        committee_id="socialnamnd",
    )  # fmt: skip
    await decide_at(rig, handle, offset, D(2027, 3, 18), forward)
    await decide_at(rig, handle, offset, D(2027, 4, 13), approve_at("ks"))
    await decide_at(rig, handle, offset, D(2027, 4, 26), approve_at("kf"))
    await handle.result()
    return {"round/chain-forward": handle}


# --- the annual cycle ------------------------------------------------------------------------


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


# --- the annual cycle with a plan (release 0.2) ------------------------------------------------


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


# --- a committee's agenda year (CommitteeAgendaWorkflow) -----------------------------------


def agenda_spec(offset: float, meetings: list[dt.date]) -> AgendaSpec:
    """KSAU's agenda year 2027 of the golden organisation: agendas 7 days before, at 08:00."""
    return AgendaSpec(
        org_id=ORG,
        committee_id="ksau",
        committee_name="Kommunstyrelsens arbetsutskott",
        year=2027,
        meetings=meetings,
        agenda_days_before=7,
        clock_offset_s=offset,
    )


@scenario
async def agenda_year(rig: Rig) -> Handles:
    """A meeting whose agenda is already due, one on its timer, one moved by a signal, the end."""
    offset = await rig.offset_to(T(2027, 3, 12, 9, 0))
    first = agenda_spec(offset, [D(2027, 3, 1), *KSAU[:3]])  # 1 March is past: skipped
    handle = await rig.client.start_workflow(
        AGENDA_WORKFLOW, first, id=first.workflow_id, task_queue=rig.task_queue
    )
    await rig.advance_to(T(2027, 3, 31, 9, 0), offset)  # 16 March (late) and 6 April
    moved = agenda_spec(offset, [*KSAU[:2], D(2027, 5, 4)])  # 27 April moves to 4 May
    await handle.signal(SIGNAL_AGENDA_SPEC, moved)
    await handle.result()
    return {"agenda/agenda-year": handle}


@scenario
async def round_table_withdraw(rig: Rig) -> Handles:
    """submit (the Sammanställning is asked for), bordläggning on 6 April to 27 April, "utgår"
    on 27 April to 11 May, approve; the three in the protocol."""
    handle, offset = await reviewed_round(rig)
    await rig.advance_to(T(2027, 4, 6, 13, 0), offset)
    await update(handle, UPDATE_DECIDE, DecideInput(outcome="table", actor="sekr@example.org"))
    await rig.advance_to(T(2027, 4, 27, 13, 0), offset)
    withdraw = DecideInput(outcome="withdraw", actor="sekr@example.org", reason="Underlag saknas")
    await update(handle, UPDATE_DECIDE, withdraw)
    await rig.advance_to(T(2027, 5, 11, 13, 0), offset)
    await update(handle, UPDATE_DECIDE, approve("sekr@example.org"))
    await handle.result()
    return {"round/table-withdraw": handle}
