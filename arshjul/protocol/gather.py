"""Reading a meeting's protocol from the store: decisions, the meeting row and its signatures."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig, Committee
from arshjul.calendar.demo import DEMO_PLACE
from arshjul.models.rounds import RoundSpec
from arshjul.protocol.model import (
    Attendance,
    Attendee,
    DelegationItem,
    DelegationSection,
    Paragraph,
    ProtocolDocument,
    SignatureLine,
)
from arshjul.protocol.motion_report import load_section
from arshjul.protocol.proceedings import (
    Participant,
    Proceedings,
    after_decision_sv,
    serving,
    wording_sv,
)
from arshjul.protocol.wording import decision_text, delegation_decision_text, in_text
from arshjul.store.models import CASE_ROUND, Decision, Meeting
from arshjul.store.repositories import (
    CaseNumberRepository,
    DecisionRepository,
    DelegationRepository,
    MeetingRepository,
    ProceedingsRepository,
    RoundRepository,
)
from arshjul.store.submissions import parse_round_id


def case_path(committee_id: str, workflow_id: str) -> str:
    """The case page of a round in a committee's pages."""
    return f"/{committee_id}/arenden/{workflow_id.removeprefix('round/')}"


def protocol_path(committee_id: str, meeting: dt.date) -> str:
    """The protocol page of a committee's meeting."""
    return f"/{committee_id}/protokoll/{meeting.isoformat()}"


def find_committee(config: ArshjulConfig, committee_id: str) -> Committee | None:
    """Returns the configured committee, or None if the configuration no longer names it."""
    return next((c for c in config.committees if c.id == committee_id), None)


def person_name(config: ArshjulConfig, email: str | None) -> str:
    """Returns the configured name of an address (the address itself when unknown)."""
    return config.person_name(email) or (email or "")


def to_committee_name(
    config: ArshjulConfig, spec: RoundSpec | None, committee_id: str | None
) -> str | None:
    """The name of the committee a decision sends the report on to, if any."""
    review = spec.review if spec else None
    if not committee_id:
        # A referral recorded before review chains named no target: it went to `refers_to`.
        return review.refers_to.name if review and review.refers_to else None
    known = review.committees() if review else {}
    if committee_id in known:
        return known[committee_id].name
    found = find_committee(config, committee_id)
    return found.name if found else committee_id


def _attendee(config: ArshjulConfig, email: str | None) -> Attendee | None:
    return Attendee(name=person_name(config, email), email=email) if email else None


def participants(
    session: Session, config: ArshjulConfig, committee_id: str, meeting: dt.date
) -> list[Participant]:
    """Who serves at the meeting as the secretary recorded the närvaro (empty before)."""
    row = MeetingRepository(session).get(
        org_id=config.organisation.id, committee_id=committee_id, meeting=meeting
    )
    attendance = Attendance.model_validate((row.attendance if row else None) or {})
    return serving(
        [(a.email, a.name) for a in attendance.present if a.email],
        [s.name for s in attendance.substitutes],
    )


def chair_key(
    session: Session, config: ArshjulConfig, committee: Committee, meeting: dt.date
) -> str | None:
    """The address of who presided: the one recorded for the meeting, else the configured one."""
    row = MeetingRepository(session).get(
        org_id=config.organisation.id, committee_id=committee.id, meeting=meeting
    )
    email = (row.chair_email if row else None) or (
        committee.chair.email if committee.chair else None
    )
    return email.lower() if email else None


def _paragraphs(
    session: Session, config: ArshjulConfig, committee_id: str, name: str, meeting: dt.date
) -> list[Paragraph]:
    decisions: list[Decision] = DecisionRepository(session).list_for_meeting(
        committee_id=committee_id, meeting=meeting, org_id=config.organisation.id
    )
    rounds = RoundRepository(session)
    by_case: dict[str, list[int]] = defaultdict(list)
    for d in decisions:
        by_case[d.workflow_id].append(d.paragraph)
    handled = {
        wid: Proceedings.model_validate(detail)
        for wid, detail in ProceedingsRepository(session)
        .for_meeting(org_id=config.organisation.id, committee_id=committee_id, meeting=meeting)
        .items()
    }
    body = in_text(name)
    present = participants(session, config, committee_id, meeting) if handled else []
    committee = find_committee(config, committee_id)
    chair = chair_key(session, config, committee, meeting) if handled and committee else None
    numbers = CaseNumberRepository(session).numbers(
        org_id=config.organisation.id, kind=CASE_ROUND, case_keys=by_case
    )
    paragraphs = []
    for d in decisions:
        row = rounds.get(workflow_id=d.workflow_id)
        spec = RoundSpec.model_validate(row.spec) if row is not None else None
        _, report_id, period, unit_id = parse_round_id(d.workflow_id)
        unit_name = spec.unit_name if spec else unit_id
        target = to_committee_name(config, spec, d.to_committee_id)
        text = d.decision_text or decision_text(
            d.outcome, name, unit_name=unit_name, refers_to_name=target
        )
        last = d.workflow_id in handled and d.paragraph == max(by_case[d.workflow_id])
        paragraphs.append(
            Paragraph(
                number=d.paragraph,
                workflow_id=d.workflow_id,
                report_title=spec.report_title if spec else report_id,
                period=period,
                unit_name=unit_name,
                outcome=d.outcome,
                decision_text=text,
                reason=d.reason,
                recorded_by=person_name(config, d.decided_by),
                decided_at=d.decided_at,
                case_path=case_path(committee_id, d.workflow_id),
                related=[n for n in by_case[d.workflow_id] if n != d.paragraph],
                # What was recorded for the case belongs to its last § of the meeting.
                proceedings=wording_sv(handled[d.workflow_id], body, present, chair, d.outcome)
                if last
                else [],
                afterwards=after_decision_sv(handled[d.workflow_id]) if last else [],
                diarienummer=numbers.get(d.workflow_id),
            )
        )
    return paragraphs


def _delegation(
    session: Session, config: ArshjulConfig, committee_id: str, name: str, meeting: dt.date
) -> DelegationSection | None:
    repo = DelegationRepository(session)
    row = repo.paragraph(org_id=config.organisation.id, committee_id=committee_id, meeting=meeting)
    if row is None:
        return None
    return DelegationSection(
        number=row.paragraph,
        decision_text=delegation_decision_text(name),
        items=[
            DelegationItem(
                id=e.id,
                decided_on=e.decided_on,
                decided_by=e.decided_by,
                matter=e.matter,
                reference=e.reference,
            )
            for e in repo.entries(paragraph_id=row.id)
        ],
    )


def _meeting_details(doc: ProtocolDocument, config: ArshjulConfig, row: Meeting) -> None:
    doc.starts_at, doc.ends_at, doc.place = row.starts_at, row.ends_at, row.place
    doc.chair = _attendee(config, row.chair_email) or doc.chair
    doc.secretary = _attendee(config, row.secretary_email) or doc.secretary
    doc.attendance = Attendance.model_validate(row.attendance or {})
    doc.adjusters = [a for e in row.adjusters or [] if (a := _attendee(config, e)) is not None]
    doc.justerat_at, doc.anslag_date, doc.appeal_until = (
        row.justerat_at,
        row.anslag_date,
        row.appeal_until,
    )


def load_protocol(
    session: Session,
    config: ArshjulConfig,
    *,
    committee_id: str,
    meeting: dt.date,
    base_url: str = "",
) -> ProtocolDocument:
    """Builds the protocol of one meeting from the store and the configuration."""
    committee = find_committee(config, committee_id)
    name = committee.name if committee else committee_id
    doc = ProtocolDocument(
        org_name=config.organisation.name,
        committee_id=committee_id,
        committee_name=name,
        meeting=meeting,
        chair=Attendee(name=committee.chair.name, email=committee.chair.email)
        if committee and committee.chair
        else None,
        secretary=Attendee(name=committee.secretary.name, email=committee.secretary.email)
        if committee and committee.secretary
        else None,
        paragraphs=_paragraphs(session, config, committee_id, name, meeting),
        delegation=_delegation(session, config, committee_id, name, meeting),
        motions=load_section(session, config, committee_id, name, meeting),
        kept_at=config.organisation.protocol_kept_at_sv(),
        base_url=base_url.rstrip("/"),
        protocol_url=base_url.rstrip("/") + protocol_path(committee_id, meeting),
    )
    planned = committee.meeting(meeting) if committee else None
    if planned is not None:  # the configured time and place, until the secretary records them
        doc.starts_at = planned.time.strftime("%H:%M") if planned.time else None
        doc.place = planned.place
    rounds = RoundRepository(session)
    doc.demo = bool(doc.paragraphs) and all(
        (row := rounds.get(workflow_id=p.workflow_id)) is not None and row.demo
        for p in doc.paragraphs
    )
    if doc.demo and planned is None:
        doc.place = DEMO_PLACE  # the demonstration meeting the demo round gave the committee
    meetings = MeetingRepository(session)
    row = meetings.get(org_id=config.organisation.id, committee_id=committee_id, meeting=meeting)
    if row is None:
        return doc
    _meeting_details(doc, config, row)
    current = doc.content_sha256()
    doc.signatures = [
        SignatureLine(
            role=s.role,  # type: ignore[arg-type]
            name=s.name,
            email=s.email,
            signed_at=s.signed_at,
            # Once justerat the database locks the text; names read from the configuration
            # may still change, so the signatures of the locked text stay the valid ones.
            current=row.justerat_at is not None or s.content_sha256 == current,
        )
        for s in meetings.signatures(meeting_id=row.id)
    ]
    return doc
