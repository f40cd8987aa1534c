"""What a committee may decide on a round, and the workflow update that records it.

The one place where a committee's decision becomes an update: the committee pages offer the
`choices`, `check` the answer, and send what `update_for` returns. The round's validator has the
last word (a wrong step is refused before it enters the history).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from pydantic import BaseModel

from arshjul.models.rounds import (
    UPDATE_DECIDE,
    UPDATE_KS_DECIDE,
    DecideInput,
    KsDecideInput,
    RoundState,
)
from arshjul.web.core.inputs import due_from_form
from arshjul.web.core.roundview import RoundView

APPROVE, REMIT, FORWARD = "approve", "remit", "forward:"
TABLE, WITHDRAW = "table", "withdraw"
WAITING = (RoundState.ON_AGENDA, RoundState.REFERRED)


@dataclass(frozen=True)
class Choice:
    """One decision the committee may take: its form value and its Swedish label."""

    value: str  # "approve", "remit" or "forward:<committee id>"
    label: str
    needs_reason: bool = False


def waits_for(view: RoundView, committee_id: str) -> bool:
    """Tells whether the round waits for this committee's decision."""
    return view.state in WAITING and view.committee_id == committee_id


def choices(view: RoundView, committee_id: str) -> list[Choice]:
    """Lists what the committee may decide on the round now (nothing when it is elsewhere)."""
    review = view.spec.review
    if not waits_for(view, committee_id) or review is None:
        return []
    remit = Choice(REMIT, "Återremittera för komplettering", True)
    if view.route is None or view.step is None:  # a round from before review chains
        found = [Choice(APPROVE, "Godkänn"), remit]
        if view.state == RoundState.ON_AGENDA and review.refers_to is not None:
            target = review.refers_to
            found.append(Choice(FORWARD + target.id, f"Lämna ärendet till {target.name}", True))
        return found
    committees = review.committees()
    after = view.route[view.step + 1 :]
    approve = f"Godkänn och överlämna till {committees[after[0]].name}" if after else "Godkänn"
    step = next((s for s in review.steps() if s.committee.id == committee_id), None)
    forwards = [
        Choice(FORWARD + f, f"Lämna ärendet till {committees[f].name}", True)
        for f in (step.forward_to if step else [])
        if f in committees
    ]
    # What the meeting may do instead of deciding (rounds in a review chain).
    table = Choice(TABLE, "Bordlägg till nästa sammanträde")
    withdraw = Choice(
        WITHDRAW, "Ärendet utgår från dagordningen (tas upp på ett senare sammanträde)"
    )
    return [Choice(APPROVE, approve), remit, *forwards, table, withdraw]


def check(
    offered: list[Choice], value: str, reason: str, new_due: str, today: dt.date
) -> str | None:
    """Returns the Swedish problem with a decision form, or None when it can be sent.

    With nothing offered (the round does not wait for this committee) the form still goes to the
    round, whose refusal says why. A new due date must be one the round takes (`today` is the
    round's): after today and at most five years ahead.
    """
    choice = next((c for c in offered if c.value == value), None)
    if choice is None and offered:
        return "Välj ett beslut."
    if choice is not None and choice.needs_reason and not reason.strip():
        return "Skäl måste anges för återremiss och när ärendet lämnas vidare (de protokollförs)."
    if new_due.strip():
        return due_from_form(new_due, today)[1]
    return None


def update_for(
    view: RoundView,
    committee_id: str,
    value: str,
    actor: str,
    reason: str,
    new_due: dt.date | None,
    shorten: bool = False,
) -> tuple[str, BaseModel]:
    """Returns the update (name, input) that records the committee's decision on the round."""
    text = reason.strip() or None
    forward = value.removeprefix(FORWARD) if value.startswith(FORWARD) else None
    outcome = "refer" if forward else value
    if view.state == RoundState.REFERRED:
        # A round referred before review chains existed waits in `referred` for its KS.
        return UPDATE_KS_DECIDE, KsDecideInput(
            outcome=outcome, actor=actor, reason=text, new_due=new_due, shorten=shorten
        )
    return UPDATE_DECIDE, DecideInput(
        outcome=outcome,
        actor=actor,
        reason=text,
        new_due=new_due,
        committee_id=committee_id,
        forward_to=forward,
        shorten=shorten,
    )
