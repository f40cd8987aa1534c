"""Gathering a meeting's decisions from the store into a protocol extract."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from arshjul.models.rounds import RoundSpec
from arshjul.notifications.protocol import ProtocolExtract, ProtocolItem
from arshjul.store.records import DecisionRepository
from arshjul.store.rounds import RoundRepository
from arshjul.store.submissions import parse_round_id


def _committee_name(spec: RoundSpec | None, committee_id: str | None) -> str | None:
    review = spec.review if spec else None
    found = review.committees().get(committee_id or "") if review else None
    return found.name if found else None


def load_protocol(
    session: Session, *, committee_id: str, meeting: dt.date, committee_name: str | None = None
) -> ProtocolExtract:
    """Builds the protocol extract of one meeting from the decisions and round rows."""
    decisions = DecisionRepository(session).list_for_meeting(
        committee_id=committee_id, meeting=meeting
    )
    rounds = RoundRepository(session)
    items: list[ProtocolItem] = []
    org_name = ""
    for decision in decisions:
        row = rounds.get(workflow_id=decision.workflow_id)
        spec = RoundSpec.model_validate(row.spec) if row is not None else None
        _, report_id, period, unit_id = parse_round_id(decision.workflow_id)
        org_name = org_name or (spec.org_name if spec else decision.org_id)
        committee_name = committee_name or _committee_name(spec, committee_id)
        items.append(
            ProtocolItem(
                paragraph=decision.paragraph,
                report_title=spec.report_title if spec else report_id,
                period=period,
                unit_name=spec.unit_name if spec else unit_id,
                outcome=decision.outcome,
                reason=decision.reason,
                decided_by=decision.decided_by,
                decided_at=decision.decided_at,
                to_committee_name=_committee_name(spec, decision.to_committee_id)
                or decision.to_committee_id,
            )
        )
    return ProtocolExtract(
        org_name=org_name,
        committee_id=committee_id,
        committee_name=committee_name or committee_id,
        meeting=meeting,
        items=items,
    )
