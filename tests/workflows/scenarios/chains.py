"""The golden scenarios of review chains (patch review-chain): nämnd → KSAU → KS → KF."""

from __future__ import annotations

from typing import Any

from temporalio.client import WorkflowHandle

from arshjul.models.rounds import UPDATE_DECIDE, UPDATE_SUBMIT, DecideInput
from tests.workflows.conftest import Rig, chain_review
from tests.workflows.steps import (
    SUBMISSION,
    D,
    Handles,
    T,
    approve_at,
    decide_at,
    refused,
    scenario,
    spec,
    update,
)


async def chain_round(rig: Rig, **review: Any) -> tuple[WorkflowHandle[Any, Any], float]:
    """Starts a round reviewed by nämnd → KSAU → KS (target 20 April) → KF; submits 10 March."""
    offset = await rig.offset_to(T(2027, 3, 1, 7, 0))
    first = spec(offset, escalation=False)
    review.setdefault("targets", {"ks": D(2027, 4, 20)})
    handle = await rig.start(first.model_copy(update={"review": chain_review(**review)}))
    await rig.advance_to(T(2027, 3, 10, 10, 0), offset)
    await update(handle, UPDATE_SUBMIT, SUBMISSION)  # the nämnd's agenda of 18 March
    return handle, offset


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
