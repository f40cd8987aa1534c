"""What a round's mail needs from the store at the moment it is sent: who answers for the unit
that day (deputies, extra recipients), whom to ask, the deadline's calendar version, and why an
åtgärdsplan was asked for. Read at send time, so the workflow's commands never change for it;
the worker's activities and the web's own mails read it alike."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from email.utils import parseaddr

from sqlalchemy.orm import Session

from arshjul.forms.content import ReportContent
from arshjul.models.effects import NotificationRequest
from arshjul.models.rounds import Recipient, RoundSpec
from arshjul.notifications.render import Contact, FollowupCause, Invitation
from arshjul.store.models import Round
from arshjul.store.repositories import (
    OrganisationRepository,
    PeopleRepository,
    RoundRepository,
    SubmissionRepository,
    UnitPeopleRepository,
)


@dataclass
class MailContext:
    """The store's part of one mail."""

    to: list[Recipient]
    contact: Contact | None
    invitation: Invitation
    followup: FollowupCause | None


def organizer(mail_from: str) -> Recipient:
    """Returns the calendar ORGANIZER: the address mails come from (answers go nowhere personal)."""
    name, email = parseaddr(mail_from)
    return Recipient(name=name or email, email=email)


def contact_for(session: Session, org_id: str) -> Contact | None:
    """Returns the first holder of the organisation's contact role, with the role's title."""
    org = OrganisationRepository(session).get(org_id=org_id)
    if org is None or org.contact_role is None:
        return None
    found = PeopleRepository(session).first_holder(org_id=org_id, role_id=org.contact_role)
    if found is None:
        return None
    member, person = found
    return Contact(name=person.name, title=member.ref_title, email=person.email)


def responsible_to(
    session: Session, spec: RoundSpec, to: list[Recipient], day: dt.date
) -> list[Recipient]:
    """Replaces the unit's configured recipients in `to` by whoever answers for it on `day`."""
    unit_people = {r.email.lower() for r in spec.recipients}
    if not any(r.email.lower() in unit_people for r in to):
        return to  # a mail to others (escalation, owners): nobody to replace
    today = UnitPeopleRepository(session).responsible_on(
        org_id=spec.org_id, unit_id=spec.unit_id, day=day
    )
    if not today:
        return to  # the store does not know the unit: keep what the round was given
    result = {p.email: Recipient(name=p.name, email=p.email) for p in today}
    for person in to:
        if person.email.lower() not in unit_people:
            result.setdefault(person.email.lower(), person)
    return list(result.values())


def followup_cause(session: Session, spec: RoundSpec) -> FollowupCause | None:
    """For a follow-up round (åtgärdsplan): the report whose deviation opened it, else None."""
    rounds = RoundRepository(session).list(
        org_id=spec.org_id, period=spec.period, unit_id=spec.unit_id
    )
    for row in rounds:
        followup = (row.spec or {}).get("followup") or {}
        if followup.get("report_id") != spec.report_id or row.workflow_id == spec.workflow_id:
            continue
        latest = SubmissionRepository(session).latest(workflow_id=row.workflow_id)
        if latest is None:
            continue
        deviation = ReportContent.model_validate(latest.content).forecast_deviation_tkr()
        if deviation is None:
            continue
        return FollowupCause(
            report_title=row.report_title,
            deviation_tkr=float(deviation),
            threshold_tkr=float(followup.get("deviation_threshold_tkr", 0)),
        )
    return None


def mail_context(
    session: Session, request: NotificationRequest, *, day: dt.date, mail_from: str
) -> MailContext:
    """Gathers the store's part of a mail for the day it is sent."""
    spec = request.round
    row: Round | None = None
    to, followup = request.to, None
    if spec is not None:
        row = RoundRepository(session).get(workflow_id=spec.workflow_id)
        to = responsible_to(session, spec, request.to, day)
        if request.template == "request":
            followup = followup_cause(session, spec)
    org_id = spec.org_id if spec is not None else _org_of(session, request)
    invitation = Invitation(
        sequence=row.due_sequence if row is not None else 0,
        modified=row.due_changed_at if row is not None else None,
        organizer=organizer(mail_from),
    )
    return MailContext(
        to=to,
        contact=contact_for(session, org_id) if org_id else None,
        invitation=invitation,
        followup=followup,
    )


def _org_of(session: Session, request: NotificationRequest) -> str | None:
    # A mail without a round (a login link): the organisation of its first recipient.
    if not request.to:
        return None
    return PeopleRepository(session).org_of(email=request.to[0].email)
