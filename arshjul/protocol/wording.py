"""How the protocol words a decision: the committee decides, in its own name."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from arshjul.models.effects import DecisionRecord
from arshjul.models.rounds import RoundSpec
from arshjul.store.rounds import RoundRepository

# The outcome in a word, for lists and headings.
OUTCOME_SV: dict[str, str] = {
    "approved": "Godkänns",
    "remitted": "Återremitteras för komplettering",
    "referred": "Lämnas vidare för beslut",
    "ks_approved": "Godkänns",
    "ks_remitted": "Återremitteras för komplettering",
    "tabled": "Bordläggs till nästa sammanträde",
    "withdrawn": "Utgår från dagordningen",
}
_ABBREVIATION = re.compile(r"\s*\([^)]*\)\s*$")


def body_name(committee_name: str) -> str:
    """The committee as a decision's subject: "Kommunstyrelsens arbetsutskott", no "(KSAU)"."""
    return _ABBREVIATION.sub("", committee_name).strip() or committee_name


def _in_text(committee_name: str) -> str:
    # Inside a sentence a body is written in lower case: "… till kommunstyrelsen".
    name = body_name(committee_name)
    return name[:1].lower() + name[1:]


def decision_text(
    outcome: str, committee_name: str, *, unit_name: str, refers_to_name: str | None = None
) -> str:
    """Returns the decision as the protocol states it, e.g. "KS beslutar att godkänna rapporten"."""
    body = body_name(committee_name)
    if outcome in ("approved", "ks_approved"):
        return f"{body} beslutar att godkänna rapporten."
    if outcome in ("remitted", "ks_remitted"):
        return f"{body} beslutar att återremittera rapporten till {unit_name} för komplettering."
    if outcome == "referred":
        target = _in_text(refers_to_name) if refers_to_name else "nästa instans"
        return f"{body} beslutar att lämna ärendet till {target} för beslut."
    if outcome == "tabled":
        return f"{body} beslutar att bordlägga ärendet till nästa sammanträde."
    if outcome == "withdrawn":
        return "Ärendet utgår från dagordningen."
    return f"{body} beslutar: {OUTCOME_SV.get(outcome, outcome)}."


def decision_text_for(session: Session, record: DecisionRecord) -> str | None:
    """Words a decision being recorded, with the committee's name as the round knows it."""
    row = RoundRepository(session).get(workflow_id=record.workflow_id)
    if row is None:
        return None  # worded from the configuration when the protocol is read
    spec = RoundSpec.model_validate(row.spec)
    review = spec.review
    if review is None:
        return None
    committees = [c for c in (review.committee, review.refers_to) if c is not None]
    committee = next((c for c in committees if c.id == record.committee_id), None)
    if committee is None:
        return None
    refers = review.refers_to.name if review.refers_to else None
    return decision_text(
        record.outcome, committee.name, unit_name=spec.unit_name, refers_to_name=refers
    )
