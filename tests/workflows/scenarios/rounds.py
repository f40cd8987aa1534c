"""The golden scenarios of a single report round: chase, extension, cancel, review by KSAU and KS,
återremiss, follow-up child, meetings that move, bordläggning.
"""

from __future__ import annotations

import asyncio

from temporalio.worker import Worker

from arshjul.models.rounds import (
    ROUND_WORKFLOW,
    SIGNAL_ROUND_SPEC,
    UPDATE_CANCEL,
    UPDATE_CORRECT,
    UPDATE_DECIDE,
    UPDATE_EXTEND,
    UPDATE_KS_DECIDE,
    UPDATE_SUBMIT,
    UPDATE_TAKE_BACK,
    CancelInput,
    DecideInput,
    ExtendInput,
    KsDecideInput,
    TakeBackInput,
)
from arshjul.worker import RUNNER, WORKFLOWS
from tests.workflows.conftest import Rig
from tests.workflows.steps import (
    KS,
    KSAU,
    ORG,
    SUBMISSION,
    D,
    Handles,
    HeldMail,
    T,
    approve,
    history_has,
    idle,
    ks_decides,
    refused,
    reviewed_round,
    scenario,
    spec,
    state_is,
    update,
)


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


@scenario
async def round_configured_due_mailed(rig: Rig) -> Handles:
    """Since `configured-due-mails-unit`: a due date moved by the configuration mails the unit
    its new date, with the calendar event moved; the chase aims at the new date."""
    offset = await rig.offset_to(T(2027, 3, 1, 7, 0))
    first = spec(offset)
    handle = await rig.start(first)
    await rig.advance_to(T(2027, 3, 2, 9, 0), offset)
    await idle(handle)
    await handle.signal(SIGNAL_ROUND_SPEC, first.model_copy(update={"due": D(2027, 3, 19)}))
    await history_has(handle, "extended")
    await rig.advance_to(T(2027, 3, 18, 10, 0), offset)
    await update(handle, UPDATE_SUBMIT, SUBMISSION)
    await handle.result()
    return {"round/configured-due-mailed": handle}


@scenario
async def round_withdraw_mailed(rig: Rig) -> Handles:
    """Since `withdrawn-mails-unit`: the bordläggning and the "utgår" both mail the unit."""
    handles = await round_table_withdraw(rig)
    return {"round/withdraw-mailed": handles["round/table-withdraw"]}


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
