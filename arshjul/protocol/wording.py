"""How the protocol words a decision: the committee decides, in its own name."""

from __future__ import annotations

import re

from sqlalchemy.orm import Session

from arshjul.models.effects import DecisionRecord
from arshjul.models.rounds import RoundSpec
from arshjul.store.rounds import RoundRepository

# The outcome in a word, for lists and headings.
OUTCOMES_SV: dict[str, str] = {
    "approved": "Godkänns",
    "remitted": "Återremitteras för komplettering",
    "referred": "Lämnas vidare för beslut",
    "ks_approved": "Godkänns",
    "ks_remitted": "Återremitteras för komplettering",
    "passed_on": "Godkänns och överlämnas",
    "tabled": "Bordläggs till nästa sammanträde",
    "withdrawn": "Utgår från dagordningen",
}
# With the committee the report goes to ("överlämnas till kommunfullmäktige").
OUTCOMES_TO_SV = {
    "referred": "Lämnas till {to} för beslut",
    "passed_on": "Godkänns och överlämnas till {to}",
}
_ABBREVIATION = re.compile(r"\s*\([^)]*\)\s*$")


def body_name(committee_name: str) -> str:
    """The committee as a decision's subject: "Kommunstyrelsens arbetsutskott", no "(KSAU)"."""
    return _ABBREVIATION.sub("", committee_name).strip() or committee_name


def in_text(committee_name: str) -> str:
    """The committee inside a sentence, in lower case: "… till kommunstyrelsen"."""
    name = body_name(committee_name)
    return name[:1].lower() + name[1:]


def decision_sv(outcome: str, to_committee_name: str | None = None) -> str:
    """Returns a decision in a few words, naming the committee it goes to when it goes on."""
    if to_committee_name and outcome in OUTCOMES_TO_SV:
        return OUTCOMES_TO_SV[outcome].format(to=in_text(to_committee_name))
    return OUTCOMES_SV.get(outcome, outcome)


def decision_text(
    outcome: str, committee_name: str, *, unit_name: str, refers_to_name: str | None = None
) -> str:
    """Returns the decision as the protocol states it, e.g. "KS beslutar att godkänna rapporten".

    `refers_to_name` is the committee the report goes on to (referred or passed on).
    """
    body = body_name(committee_name)
    if outcome in ("approved", "ks_approved"):
        return f"{body} beslutar att godkänna rapporten."
    if outcome == "passed_on":
        target = in_text(refers_to_name) if refers_to_name else "nästa instans"
        return f"{body} beslutar att godkänna rapporten och överlämna ärendet till {target}."
    if outcome in ("remitted", "ks_remitted"):
        return f"{body} beslutar att återremittera rapporten till {unit_name} för komplettering."
    if outcome == "referred":
        target = in_text(refers_to_name) if refers_to_name else "nästa instans"
        return f"{body} beslutar att lämna ärendet till {target} för beslut."
    if outcome == "tabled":
        return f"{body} beslutar att bordlägga ärendet till nästa sammanträde."
    if outcome == "withdrawn":
        return "Ärendet utgår från dagordningen."
    return f"{body} beslutar: {OUTCOMES_SV.get(outcome, outcome)}."


def decision_text_for(session: Session, record: DecisionRecord) -> str | None:
    """Words a decision being recorded, with the committee's name as the round knows it."""
    row = RoundRepository(session).get(workflow_id=record.workflow_id)
    if row is None:
        return None  # worded from the configuration when the protocol is read
    spec = RoundSpec.model_validate(row.spec)
    committees = spec.review.committees() if spec.review else {}
    committee = committees.get(record.committee_id)
    if committee is None:
        return None
    target = committees.get(record.to_committee_id or "")
    if target is None and record.outcome == "referred" and spec.review is not None:
        target = spec.review.refers_to  # a round from before review chains
    return decision_text(
        record.outcome,
        committee.name,
        unit_name=spec.unit_name,
        refers_to_name=target.name if target else None,
    )


DELEGATION_TITLE_SV = "Anmälan av delegationsbeslut"


def delegation_decision_text(committee_name: str) -> str:
    """The decision of the delegation §: the committee takes note of the reported decisions."""
    return (
        f"{body_name(committee_name)} beslutar att lägga anmälan av delegationsbesluten "
        "till handlingarna."
    )


def motions_title(citizen_proposals: bool = True) -> str:
    """The heading of the § that reports the motions (and medborgarförslag) not yet beredda."""
    what = "motioner och medborgarförslag" if citizen_proposals else "motioner"
    return f"Redovisning av {what} som inte har beretts färdigt"


def motions_decision_text(committee_name: str) -> str:
    """The decision of that §: the committee takes note of the report (KL 5 kap. 35 §)."""
    return f"{body_name(committee_name)} beslutar att lägga redovisningen till handlingarna."
