"""A review chain in a round: nämnd → KSAU → KS → KF, each committee deciding at its own meeting.

Approvals pass the report on; an återremiss restarts the chain as the review says; a committee
forwards with a reason where it may; a round that misses its target meeting says so; a wrong step
is refused before it enters the history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from temporalio.client import WorkflowHandle

from arshjul.models.rounds import (
    UPDATE_DECIDE,
    UPDATE_KS_DECIDE,
    UPDATE_SUBMIT,
    DecideInput,
    KsDecideInput,
    RoundStatus,
)
from tests.workflows.conftest import Rig, chain_review, make_spec
from tests.workflows.scenarios import approve_at as approve
from tests.workflows.scenarios import decide_at as scenario_decide_at
from tests.workflows.test_round_transitions import SUBMISSION, rejected, status, update

D = dt.date
T = dt.datetime
TARGET_KS = {"ks": D(2027, 4, 20)}


async def chain_round(rig: Rig, **review: Any) -> tuple[WorkflowHandle[Any, Any], float]:
    """Starts a delårsrapport-like round with the chain and submits it on 10 March 2027."""
    offset = await rig.offset_to(T(2027, 3, 1, 7, 0))
    spec = make_spec(opens=D(2027, 3, 1), due=D(2027, 3, 12), offset=offset, escalation=False)
    spec = spec.model_copy(update={"review": chain_review(**review)})
    handle = await rig.start(spec)
    await rig.advance_to(T(2027, 3, 10, 10, 0), offset)
    await update(handle, UPDATE_SUBMIT, SUBMISSION)
    return handle, offset


async def decide_at(
    rig: Rig, handle: WorkflowHandle[Any, Any], offset: float, day: dt.date, inp: DecideInput
) -> RoundStatus:
    """The committee decides at 13.00 on its meeting day; returns the round's status after."""
    await scenario_decide_at(rig, handle, offset, day, inp)
    return await status(handle)


async def test_a_report_passes_four_committees_up_to_fullmaktige(rig: Rig) -> None:
    handle, offset = await chain_round(rig, targets=TARGET_KS)
    st = await status(handle)
    # Due 12 March, five days before a meeting: the nämnd on 18 March.
    assert (st.state, st.committee_id, st.meeting) == ("on_agenda", "socialnamnd", D(2027, 3, 18))
    assert (st.route, st.step) == (["socialnamnd", "ksau", "ks", "kf"], 0)

    st = await decide_at(rig, handle, offset, D(2027, 3, 18), approve("socialnamnd"))
    assert (st.committee_id, st.meeting, st.step) == ("ksau", D(2027, 3, 23), 1)
    st = await decide_at(rig, handle, offset, D(2027, 3, 23), approve("ksau"))
    # KS's target is 20 April: it waits for it although KS also meets on 13 April.
    assert (st.committee_id, st.meeting, st.target_meeting, st.missed_target) == (
        "ks",
        D(2027, 4, 20),
        D(2027, 4, 20),
        False,
    )
    st = await decide_at(rig, handle, offset, D(2027, 4, 20), approve("ks"))
    assert (st.committee_id, st.meeting) == ("kf", D(2027, 4, 26))
    st = await decide_at(rig, handle, offset, D(2027, 4, 26), approve("kf"))
    assert st.state == "approved"

    assert [(h.event, h.detail) for h in st.history if h.event != "reminder"] == [
        ("request", None),
        ("submitted", "version 1"),
        ("on_agenda", "Socialnämnden 2027-03-18"),
        ("passed_on", "Socialnämnden → Kommunstyrelsens arbetsutskott"),
        ("on_agenda", "Kommunstyrelsens arbetsutskott 2027-03-23"),
        ("passed_on", "Kommunstyrelsens arbetsutskott → Kommunstyrelsen"),
        ("on_agenda", "Kommunstyrelsen 2027-04-20"),
        ("passed_on", "Kommunstyrelsen → Kommunfullmäktige"),
        ("on_agenda", "Kommunfullmäktige 2027-04-26"),
        ("approved", "Kommunfullmäktige"),
    ]
    decisions = sorted(
        (d.meeting, d.committee_id, d.outcome, d.to_committee_id)
        for d in rig.timeline.decisions.values()
    )
    assert decisions == [
        (D(2027, 3, 18), "socialnamnd", "passed_on", "ksau"),
        (D(2027, 3, 23), "ksau", "passed_on", "ks"),
        (D(2027, 4, 20), "ks", "passed_on", "kf"),
        (D(2027, 4, 26), "kf", "approved", None),
    ]
    # The unit hears of every step, from the committee that decided, and where it goes next.
    wid = st.workflow_id
    passed = rig.timeline.mails[f"{wid}/passed_on/3/0"]
    assert (passed.template, passed.committee_name, passed.to_committee_name, passed.meeting) == (
        "passed_on",
        "Kommunstyrelsen",
        "Kommunfullmäktige",
        D(2027, 4, 26),
    )
    assert rig.timeline.mails[f"{wid}/approved"].committee_name == "Kommunfullmäktige"


async def test_a_wrong_step_is_refused_before_history(rig: Rig) -> None:
    handle, offset = await chain_round(rig, forward={"socialnamnd": ["ks"]})
    await rig.advance_to(T(2027, 3, 18, 13, 0), offset)
    en, sv = await rejected(handle, UPDATE_DECIDE, approve("ks"))
    assert en == "The report is on the agenda of socialnamnd, not of ks."
    assert sv == "Ärendet står på föredragningslistan hos Socialnämnden, inte hos Kommunstyrelsen."
    bad = DecideInput(outcome="refer", actor="x@y.se", reason="Skäl", forward_to="kf")
    en, sv = await rejected(handle, UPDATE_DECIDE, bad)
    assert en == "socialnamnd cannot forward this report to kf."
    assert sv == "Socialnämnden kan inte lämna ärendet vidare dit."
    no_reason = DecideInput(outcome="refer", actor="x@y.se", forward_to="ks")
    _, sv = await rejected(handle, UPDATE_DECIDE, no_reason)
    assert sv == "Skäl måste anges för att lämna ärendet vidare."
    # The first release's KS update has nothing to decide in a chain.
    await rejected(handle, UPDATE_KS_DECIDE, KsDecideInput(outcome="approve", actor="ks@x.se"))


async def test_remit_at_ks_restarts_at_the_nämnd_and_the_missed_target_is_told(rig: Rig) -> None:
    handle, offset = await chain_round(rig, targets=TARGET_KS)
    for day, committee in ((D(2027, 3, 18), "socialnamnd"), (D(2027, 3, 23), "ksau")):
        await decide_at(rig, handle, offset, day, approve(committee))
    remit = DecideInput(
        outcome="remit", actor="ks@x.se", reason="Prognosen saknas", new_due=D(2027, 4, 30),
        committee_id="ks",
    )  # fmt: skip
    st = await decide_at(rig, handle, offset, D(2027, 4, 20), remit)
    assert (st.state, st.due, st.step, st.committee_id) == ("remitted", D(2027, 4, 30), 0, None)
    assert rig.timeline.mails[f"{st.workflow_id}/remitted/1"].committee_name == "Kommunstyrelsen"

    await rig.advance_to(T(2027, 4, 28, 10, 0), offset)
    await update(handle, UPDATE_SUBMIT, SUBMISSION.model_copy(update={"version": 2}))
    st = await status(handle)
    assert (st.committee_id, st.meeting) == ("socialnamnd", D(2027, 5, 20))  # from the start
    await decide_at(rig, handle, offset, D(2027, 5, 20), approve("socialnamnd"))
    st = await decide_at(rig, handle, offset, D(2027, 5, 25), approve("ksau"))
    # KS's 20 April is gone: the next KS meeting, marked, in the history and to the owners.
    assert (st.committee_id, st.meeting, st.missed_target) == ("ks", D(2027, 6, 1), True)
    assert [h.event for h in st.history][-3:] == ["passed_on", "target_missed", "on_agenda"]
    assert st.history[-2].detail == "Kommunstyrelsen 2027-04-20"
    told = rig.timeline.mails[f"{st.workflow_id}/target-missed/2/1"]
    assert ([p.email for p in told.to], told.target_meeting, told.meeting) == (
        ["eva@example.org"],
        D(2027, 4, 20),
        D(2027, 6, 1),
    )


async def test_after_remit_same_step_goes_back_to_the_remitting_committee(rig: Rig) -> None:
    handle, offset = await chain_round(rig, after_remit="same_step")
    await decide_at(rig, handle, offset, D(2027, 3, 18), approve("socialnamnd"))
    remit = DecideInput(outcome="remit", actor="a@x.se", reason="Komplettera", committee_id="ksau")
    await decide_at(rig, handle, offset, D(2027, 3, 23), remit)
    await rig.advance_to(T(2027, 3, 26, 10, 0), offset)
    await update(handle, UPDATE_SUBMIT, SUBMISSION.model_copy(update={"version": 2}))
    st = await status(handle)
    assert (st.committee_id, st.meeting, st.step) == ("ksau", D(2027, 4, 6), 1)


async def test_forward_skips_ahead_in_the_chain_or_ends_outside_it(rig: Rig) -> None:
    revision = {"revision": ("Revisionen", [D(2027, 4, 8)])}
    handle, offset = await chain_round(
        rig, forward={"socialnamnd": ["ks"], "ks": ["revision"]}, others=revision
    )
    forward = DecideInput(
        outcome="refer", actor="n@x.se", reason="Brådskande", forward_to="ks",
        committee_id="socialnamnd",
    )  # fmt: skip
    st = await decide_at(rig, handle, offset, D(2027, 3, 18), forward)
    # Past KSAU straight to KS (its next meeting five days on), then on to KF as the chain says.
    assert (st.committee_id, st.meeting, st.step) == ("ks", D(2027, 4, 13), 2)
    assert st.history[-2].detail == "Socialnämnden → Kommunstyrelsen"
    referred = rig.timeline.mails[f"{st.workflow_id}/referred/2/0"]
    assert (referred.committee_name, referred.to_committee_name, referred.reason) == (
        "Socialnämnden",
        "Kommunstyrelsen",
        "Brådskande",
    )
    to_revision = DecideInput(
        outcome="refer", actor="k@x.se", reason="Granskning", committee_id="ks"
    )  # its only forward target
    st = await decide_at(rig, handle, offset, D(2027, 4, 13), to_revision)
    # Outside the chain the forward target's decision is the last.
    assert (st.route, st.step, st.committee_id) == (
        ["socialnamnd", "ksau", "ks", "revision"],
        3,
        "revision",
    )
    assert st.state == "awaiting_meeting"  # Revisionen met on 8 April, before the referral
