"""Wrong and right round transitions.

Wrong transitions are rejected before history with an English and a Swedish message;
right ones move.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

import pytest
from temporalio.client import WorkflowHandle, WorkflowUpdateFailedError
from temporalio.exceptions import ApplicationError

from arshjul.models.rounds import (
    QUERY_STATUS,
    REJECTED_ERROR_TYPE,
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
    RoundStatus,
    SubmitInput,
    TakeBackInput,
    UpdateResult,
)
from tests.workflows.conftest import Rig, make_spec

D = dt.date
T = dt.datetime
SUBMISSION = SubmitInput(submission_id=7, version=1, sha256="ab", actor="chef@example.org")
KSAU_MEETINGS = [D(2027, 3, 16), D(2027, 4, 6), D(2027, 4, 27), D(2027, 5, 11)]
KS_MEETINGS = [D(2027, 4, 20), D(2027, 5, 18)]


async def status(handle: WorkflowHandle[Any, Any]) -> RoundStatus:
    """Queries a round's status."""
    return await handle.query(QUERY_STATUS, result_type=RoundStatus)


async def update(handle: WorkflowHandle[Any, Any], name: str, arg: Any) -> UpdateResult:
    """Runs an update and returns its result."""
    return await handle.execute_update(name, arg, result_type=UpdateResult)


async def rejected(handle: WorkflowHandle[Any, Any], name: str, arg: Any) -> tuple[str, str]:
    """Runs an update that must be rejected without changing the round.

    Returns (English, Swedish).
    """
    before = await status(handle)
    with pytest.raises(WorkflowUpdateFailedError) as info:
        await handle.execute_update(name, arg, result_type=UpdateResult)
    cause = info.value.cause
    assert isinstance(cause, ApplicationError) and cause.type == REJECTED_ERROR_TYPE
    after = await status(handle)
    assert after == before  # nothing changed: state, due, meeting, history
    return cause.message, str(cause.details[0])


async def open_round(rig: Rig, **kw: Any) -> tuple[WorkflowHandle[Any, Any], float]:
    """Starts a reviewed round opening 1 March 2027 and waits until its request went out."""
    offset = await rig.offset_to(T(2027, 3, 1, 7, 0))
    spec = make_spec(
        opens=D(2027, 3, 1),
        due=D(2027, 3, 12),
        offset=offset,
        ksau=KSAU_MEETINGS,
        ks=KS_MEETINGS,
        **kw,
    )
    handle = await rig.start(spec)
    await rig.advance_to(T(2027, 3, 1, 9, 0), offset)
    return handle, offset


async def test_decisions_need_the_right_state_and_a_reason(rig: Rig) -> None:
    handle, offset = await open_round(rig)
    en, sv = await rejected(handle, UPDATE_DECIDE, DecideInput(outcome="approve", actor="o@x.se"))
    assert en == "Cannot decide: the report is not on the agenda: the round is open."
    assert sv.startswith("Det går inte att besluta om rapporten eftersom den inte står på")
    await rejected(handle, UPDATE_KS_DECIDE, KsDecideInput(outcome="approve", actor="o@x.se"))

    await rig.advance_to(T(2027, 3, 10, 10, 0), offset)
    await update(handle, UPDATE_SUBMIT, SUBMISSION)
    st = await status(handle)
    # 16 March is 6 days away (< 7): the next KSAU meeting is 6 April.
    assert (st.state, st.meeting, st.committee_id) == ("on_agenda", D(2027, 4, 6), "ksau")
    await rejected(handle, UPDATE_SUBMIT, SUBMISSION)  # already in
    await rejected(handle, UPDATE_KS_DECIDE, KsDecideInput(outcome="approve", actor="o@x.se"))
    en, sv = await rejected(
        handle, UPDATE_DECIDE, DecideInput(outcome="remit", actor="o@x.se", reason=" ")
    )
    assert (en, sv) == (
        "A reason is required to remit a report.",
        "Skäl måste anges för att återremittera rapporten.",
    )
    await rejected(handle, UPDATE_DECIDE, DecideInput(outcome="refer", actor="o@x.se"))

    await rig.advance_to(T(2027, 4, 6, 13, 0), offset)
    r = await update(
        handle, UPDATE_DECIDE, DecideInput(outcome="refer", actor="o@x.se", reason="Stor avvikelse")
    )
    assert r.message == "Rapporten är överlämnad till Kommunstyrelsen, sammanträdet 20 april 2027."
    st = await status(handle)
    # Forwarded: on the agenda of KS's next meeting, a step of its own after KSAU.
    assert (st.state, st.meeting, st.committee_id) == ("on_agenda", D(2027, 4, 20), "ks")
    assert (st.route, st.step) == (["ksau", "ks"], 1)
    await rejected(handle, UPDATE_DECIDE, DecideInput(outcome="approve", actor="o@x.se"))
    await rejected(handle, UPDATE_KS_DECIDE, KsDecideInput(outcome="remit", actor="ks@x.se"))
    await rig.advance_to(T(2027, 4, 20, 15, 0), offset)
    en, sv = await rejected(
        handle, UPDATE_DECIDE, DecideInput(outcome="approve", actor="o@x.se", committee_id="ksau")
    )
    assert en == "The report is on the agenda of ks, not of ksau."
    assert sv == (
        "Ärendet står på föredragningslistan hos Kommunstyrelsen, inte hos "
        "Kommunstyrelsens arbetsutskott."
    )
    approve = DecideInput(outcome="approve", actor="ks@x.se", committee_id="ks")
    assert (await update(handle, UPDATE_DECIDE, approve)).message == (
        "Kommunstyrelsen har godkänt rapporten."
    )
    st = await status(handle)
    assert st.state == "approved"
    assert [h.event for h in st.history] == [
        "request",
        "reminder",
        "submitted",
        "on_agenda",
        "referred",
        "on_agenda",
        "approved",
    ]
    assert st.history[4].reason == "Stor avvikelse"
    assert st.history[4].detail == "Kommunstyrelsens arbetsutskott → Kommunstyrelsen"

    en, _ = await rejected(handle, UPDATE_SUBMIT, SUBMISSION)
    assert en == "Cannot submit: the round is approved."
    en, sv = await rejected(
        handle, UPDATE_EXTEND, ExtendInput(new_due=D(2027, 6, 1), actor="eva@x.se")
    )
    assert (en, sv) == (
        "Cannot extend the deadline: the round is approved.",
        "Det går inte att förlänga tiden: rapporten är godkänd.",
    )
    await rejected(handle, UPDATE_CANCEL, CancelInput(actor="admin@x.se", reason="fel"))
    decisions = sorted(
        (d.outcome, d.committee_id, d.meeting) for d in rig.timeline.decisions.values()
    )
    assert decisions == [("approved", "ks", D(2027, 4, 20)), ("referred", "ksau", D(2027, 4, 6))]
    referred = next(d for d in rig.timeline.decisions.values() if d.outcome == "referred")
    assert referred.to_committee_id == "ks"


async def test_decisions_wait_for_the_meeting_day(rig: Rig) -> None:
    handle, offset = await open_round(rig)
    await rig.advance_to(T(2027, 3, 10, 10, 0), offset)
    await update(handle, UPDATE_SUBMIT, SUBMISSION)  # on the agenda of 6 April

    # The evening before the meeting: refused with the meeting's date, nothing changes.
    await rig.advance_to(T(2027, 4, 5, 23, 30), offset)
    en, sv = await rejected(handle, UPDATE_DECIDE, DecideInput(outcome="approve", actor="o@x.se"))
    assert en == (
        "The decision is taken at the meeting on 2027-04-06; it cannot be recorded before "
        "that day (today is 2027-04-05)."
    )
    assert (
        sv == "Ärendet avgörs på sammanträdet 6 april 2027; beslut kan registreras från den dagen."
    )
    refer = DecideInput(outcome="refer", actor="o@x.se", reason="Stor avvikelse")
    _, sv = await rejected(handle, UPDATE_DECIDE, refer)
    assert sv.startswith("Ärendet avgörs på sammanträdet 6 april 2027;")
    assert (await status(handle)).state == "on_agenda"

    # The meeting day (Stockholm), just after midnight: accepted.
    await rig.advance_to(T(2027, 4, 6, 0, 5), offset)
    assert (await update(handle, UPDATE_DECIDE, refer)).state == "on_agenda"
    assert (await status(handle)).meeting == D(2027, 4, 20)

    # KS likewise decides at its own meeting, 20 April.
    await rig.advance_to(T(2027, 4, 19, 16, 0), offset)
    ks_remit = DecideInput(
        outcome="remit", actor="ks@x.se", reason="Komplettera", committee_id="ks"
    )
    _, sv = await rejected(handle, UPDATE_DECIDE, ks_remit)
    assert (
        sv == "Ärendet avgörs på sammanträdet 20 april 2027; beslut kan registreras från den dagen."
    )
    await rig.advance_to(T(2027, 4, 20, 8, 0), offset)
    assert (await update(handle, UPDATE_DECIDE, ks_remit)).state == "remitted"
    assert [h.event for h in (await status(handle)).history][-3:] == [
        "referred",
        "on_agenda",
        "remitted",
    ]


async def test_late_decisions_and_a_referral_to_a_committee_without_meetings(rig: Rig) -> None:
    offset = await rig.offset_to(T(2027, 3, 1, 7, 0))
    spec = make_spec(
        opens=D(2027, 3, 1), due=D(2027, 3, 12), offset=offset, ksau=KSAU_MEETINGS, ks=[]
    )
    handle = await rig.start(spec)
    await rig.advance_to(T(2027, 3, 10, 10, 0), offset)
    await update(handle, UPDATE_SUBMIT, SUBMISSION)  # on the agenda of 6 April
    # Recorded two days after the meeting (a protocol written late): still accepted.
    await rig.advance_to(T(2027, 4, 8, 10, 0), offset)
    refer = DecideInput(outcome="refer", actor="o@x.se", reason="Stor avvikelse")
    assert (await update(handle, UPDATE_DECIDE, refer)).state == "awaiting_meeting"
    st = await status(handle)
    # KS has no meeting configured: the report waits for one and the owners are told.
    assert (st.state, st.meeting, st.committee_id) == ("awaiting_meeting", None, "ks")
    mail = rig.timeline.mails[f"{spec.workflow_id}/awaiting/1/0"]
    assert [p.email for p in mail.to] == ["eva@example.org"]
    assert mail.committee_name == "Kommunstyrelsen"
    await rejected(handle, UPDATE_DECIDE, DecideInput(outcome="approve", actor="ks@x.se"))


async def test_remit_restarts_the_chase_toward_the_new_due_date(rig: Rig) -> None:
    handle, offset = await open_round(rig)
    await rig.advance_to(T(2027, 3, 10, 10, 0), offset)
    await update(handle, UPDATE_SUBMIT, SUBMISSION)
    await rig.advance_to(T(2027, 4, 6, 13, 0), offset)
    await rejected(
        handle,
        UPDATE_DECIDE,
        DecideInput(outcome="remit", actor="o@x.se", reason="x", new_due=D(2027, 4, 6)),
    )
    await update(
        handle, UPDATE_DECIDE, DecideInput(outcome="remit", actor="o@x.se", reason="Analys saknas")
    )
    st = await status(handle)
    assert (st.state, st.due) == ("remitted", D(2027, 4, 20))  # 10 working days after 6 April
    await rig.advance_to(T(2027, 4, 21, 9, 0), offset)
    events = [
        (e.event, e.time.strftime("%m-%d %H:%M")) for e in rig.timeline.of_round(st.workflow_id)
    ]
    assert events[-4:] == [
        ("remitted", "04-06 13:00"),
        ("reminder", "04-13 08:00"),
        ("reminder", "04-19 08:00"),
        ("overdue", "04-21 08:00"),
    ]
    await update(handle, UPDATE_SUBMIT, SUBMISSION.model_copy(update={"version": 2}))
    st = await status(handle)
    assert (st.state, st.meeting, st.submission_version) == (
        "on_agenda",
        D(2027, 5, 11),
        2,
    )  # 27 April is 6 days away
    remit_mail = rig.timeline.mails[f"{st.workflow_id}/remitted/1"]
    assert (
        remit_mail.reason == "Analys saknas"
        and remit_mail.with_link
        and remit_mail.due == D(2027, 4, 20)
    )


async def test_a_remit_never_shortens_the_time_unless_the_decision_says_so(rig: Rig) -> None:
    handle, offset = await open_round(rig)
    await rig.advance_to(T(2027, 3, 3, 10, 0), offset)
    extend = ExtendInput(new_due=D(2027, 4, 30), actor="eva@x.se", reason="Semester")
    await update(handle, UPDATE_EXTEND, extend)
    await update(handle, UPDATE_SUBMIT, SUBMISSION)  # on the agenda of 6 April
    await rig.advance_to(T(2027, 4, 6, 13, 0), offset)
    _, sv = await rejected(
        handle,
        UPDATE_DECIDE,
        DecideInput(outcome="remit", actor="o@x.se", reason="x", new_due=D(2027, 4, 23)),
    )
    assert sv.startswith("Det nya sista datumet 2027-04-23 är tidigare än nuvarande sista dag")
    # Ten working days would be 20 April: the due date of 30 April stays.
    await update(
        handle, UPDATE_DECIDE, DecideInput(outcome="remit", actor="o@x.se", reason="Analys saknas")
    )
    st = await status(handle)
    assert (st.state, st.due) == ("remitted", D(2027, 4, 30))
    await update(handle, UPDATE_SUBMIT, SUBMISSION.model_copy(update={"version": 2}))
    assert (await status(handle)).meeting == D(2027, 4, 27)
    await rig.advance_to(T(2027, 4, 27, 13, 0), offset)
    shorter = DecideInput(
        outcome="remit", actor="o@x.se", reason="Brådskar", new_due=D(2027, 4, 29), shorten=True
    )
    await update(handle, UPDATE_DECIDE, shorter)  # said explicitly: it may be earlier
    assert (await status(handle)).due == D(2027, 4, 29)


async def test_a_report_is_corrected_or_taken_back_until_a_committee_decides(rig: Rig) -> None:
    handle, offset = await open_round(rig)
    await rig.advance_to(T(2027, 3, 10, 10, 0), offset)
    await update(handle, UPDATE_SUBMIT, SUBMISSION)
    placed = await status(handle)
    fixed = SUBMISSION.model_copy(update={"version": 2, "sha256": "cd", "submission_id": 8})
    await update(handle, UPDATE_CORRECT, fixed)
    st = await status(handle)
    assert (st.state, st.meeting, st.submission_version) == ("on_agenda", placed.meeting, 2)
    _, sv = await rejected(handle, UPDATE_CORRECT, fixed.model_copy(update={"version": 3}))
    assert sv == "Rättelsen är likadan som den inlämnade versionen."
    await update(handle, UPDATE_TAKE_BACK, TakeBackInput(actor="chef@x.se", reason="Fel period"))
    assert (await status(handle)).state == "open"
    again = SUBMISSION.model_copy(update={"version": 3, "sha256": "ef", "submission_id": 9})
    await update(handle, UPDATE_SUBMIT, again)
    await rig.advance_to(T(2027, 4, 6, 13, 0), offset)
    await update(handle, UPDATE_DECIDE, DecideInput(outcome="approve", actor="o@x.se"))
    late = again.model_copy(update={"version": 4, "sha256": "gh"})
    await rejected(handle, UPDATE_CORRECT, late)  # approved: too late to correct
    events = [h.event for h in (await status(handle)).history]
    assert events[-7:] == [
        "submitted",
        "on_agenda",
        "corrected",
        "taken_back",
        "submitted",
        "on_agenda",
        "approved",
    ]


async def test_extend_and_cancel(rig: Rig) -> None:
    handle, offset = await open_round(rig)
    await rejected(handle, UPDATE_EXTEND, ExtendInput(new_due=D(2027, 3, 1), actor="eva@x.se"))
    await rejected(handle, UPDATE_EXTEND, ExtendInput(new_due=D(2027, 3, 12), actor="eva@x.se"))
    await update(
        handle,
        UPDATE_EXTEND,
        ExtendInput(new_due=D(2027, 3, 19), actor="eva@x.se", reason="Sjukdom"),
    )
    await rig.advance_to(T(2027, 3, 22, 9, 0), offset)
    st = await status(handle)
    times = [(h.event, h.time.astimezone(dt.UTC).strftime("%m-%d")) for h in st.history]
    # The reminders toward 12 March never go out; the new chase aims at 19 March.
    assert times == [
        ("request", "03-01"),
        ("extended", "03-01"),
        ("reminder", "03-12"),
        ("reminder", "03-18"),
        ("overdue", "03-22"),
    ]
    # The unit heard of the new date, with a link and the reason.
    moved = rig.timeline.mails[f"{st.workflow_id}/extended/1"]
    assert (moved.template, moved.due, moved.reason, moved.with_link) == (
        "extended",
        D(2027, 3, 19),
        "Sjukdom",
        True,
    )
    en, sv = await rejected(
        handle, UPDATE_EXTEND, ExtendInput(new_due=D(2027, 4, 2), actor="e@x.se")
    )
    assert sv == "Skäl måste anges för att förlänga tiden."
    await rejected(handle, UPDATE_CANCEL, CancelInput(actor="admin@x.se", reason=""))
    await update(handle, UPDATE_CANCEL, CancelInput(actor="admin@x.se", reason="Enheten avvecklad"))
    await rig.advance_to(T(2027, 4, 15, 9, 0), offset)
    st = await status(handle)
    assert st.state == "cancelled" and st.history[-1].event == "cancelled"  # no escalation after it
    cancelled = rig.timeline.mails[f"{st.workflow_id}/cancelled"]
    assert (cancelled.template, cancelled.reason) == ("cancelled", "Enheten avvecklad")
    await rejected(handle, UPDATE_EXTEND, ExtendInput(new_due=D(2027, 6, 1), actor="eva@x.se"))


async def test_no_meeting_left_waits_until_the_configuration_adds_one(rig: Rig) -> None:
    offset = await rig.offset_to(T(2027, 3, 1, 7, 0))
    spec = make_spec(opens=D(2027, 3, 1), due=D(2027, 3, 12), offset=offset, ksau=[D(2027, 3, 5)])
    handle = await rig.start(spec)
    await rig.advance_to(T(2027, 3, 2, 9, 0), offset)
    await update(handle, UPDATE_SUBMIT, SUBMISSION)
    st = await status(handle)
    assert st.state == "awaiting_meeting" and st.meeting is None
    key = f"{spec.workflow_id}/awaiting/0/0"
    for _ in range(100):  # the state is set before the owners' mail goes out
        if key in rig.timeline.mails:
            break
        await asyncio.sleep(0.05)
    mail = rig.timeline.mails[key]
    assert [p.email for p in mail.to] == ["eva@example.org"]
    await rejected(handle, UPDATE_DECIDE, DecideInput(outcome="approve", actor="o@x.se"))
    # A configuration with a new meeting releases it.
    review = spec.review.model_copy(
        update={
            "committee": spec.review.committee.model_copy(
                update={"meetings": [D(2027, 3, 5), D(2027, 3, 30)]}
            )
        }
    )  # type: ignore[union-attr]
    await handle.signal(SIGNAL_ROUND_SPEC, spec.model_copy(update={"review": review}))
    await rig.advance_to(T(2027, 3, 2, 10, 0), offset)
    st = await status(handle)
    assert (st.state, st.meeting) == ("on_agenda", D(2027, 3, 30))
    assert [h.event for h in st.history][-2:] == ["awaiting_meeting", "on_agenda"]


async def test_large_negative_forecast_opens_a_followup_round_once(rig: Rig) -> None:
    offset = await rig.offset_to(T(2027, 3, 1, 7, 0))
    spec = make_spec(
        opens=D(2027, 3, 1), due=D(2027, 3, 12), offset=offset, ksau=KSAU_MEETINGS, followup=True
    )
    handle = await rig.start(spec)
    await rig.advance_to(T(2027, 3, 2, 9, 0), offset)
    small = SUBMISSION.model_copy(update={"forecast_deviation_tkr": -900})
    await update(handle, UPDATE_SUBMIT, small)  # within the 1 000 tkr threshold: no action plan
    assert "followup_opened" not in [h.event for h in (await status(handle)).history]
    await rig.advance_to(T(2027, 4, 6, 13, 0), offset)
    await update(
        handle, UPDATE_DECIDE, DecideInput(outcome="remit", actor="o@x.se", reason="Prognos")
    )
    await rig.advance_to(T(2027, 4, 8, 10, 0), offset)
    big = SUBMISSION.model_copy(update={"version": 2, "forecast_deviation_tkr": -2500})
    await update(handle, UPDATE_SUBMIT, big)
    st = await status(handle)
    plan_id = f"round/{spec.org_id}/atgardsplan/{spec.period}/bildning"
    # 30 days after 8 April is Saturday 8 May: moved to the working day before.
    assert (st.history[-1].event, st.history[-1].detail) == (
        "followup_opened",
        f"{plan_id} (sista dag 2027-05-07)",
    )
    plan = await status(rig.client.get_workflow_handle(plan_id))
    assert (plan.spec.report_id, plan.due, plan.history[0].event) == (
        "atgardsplan",
        D(2027, 5, 7),
        "request",
    )
