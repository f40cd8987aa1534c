"""The twice-yearly report to fullmäktige of the motions and medborgarförslag whose beredning is
not finished (KL 5 kap. 35 §), as one § of each reporting meeting's protocol.

The configuration names the reporting meetings (`motions.report_at`). The § is made, with the
committee's next number of the year, when the meeting's protocol is first written to (the
secretary records attendance or delegationsbeslut, or puts it on the protocol from the meeting
page). Until justering the list is read from the motions as they stand, so a reason the
responsible unit gives the day before is in it; at justering the list is kept as signed and the
database locks it with the rest of the protocol.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.motions import is_report_meeting, report_lines
from arshjul.protocol.model import MotionReportItem, MotionReportSection, ProtocolDocument
from arshjul.protocol.wording import motions_decision_text, motions_title
from arshjul.store.models import Meeting, Motion
from arshjul.store.repositories import MotionRepository

DEFAULT_LIMIT_MONTHS = 12


def is_reporting(config: ArshjulConfig, committee_id: str, meeting: dt.date) -> bool:
    """Tells whether the meeting is one at which the undecided motions are reported."""
    motions = config.motions
    if motions is None or motions.committee != committee_id:
        return False
    committee = next((c for c in config.committees if c.id == committee_id), None)
    return committee is not None and is_report_meeting(motions, committee.dates, meeting)


def responsible_name(config: ArshjulConfig, row: Motion) -> str:
    """The committee or unit that bereder the motion, by its configured name (else as stored)."""
    for item in (*config.committees, *config.units):
        if item.id == row.responsible_id:
            return item.name
    return row.responsible_name


def report_items(
    session: Session, config: ArshjulConfig, committee_id: str, meeting: dt.date
) -> list[MotionReportItem]:
    """The motions under beredning on the meeting day, as the report lists them now."""
    months = config.motions.limit_months if config.motions else DEFAULT_LIMIT_MONTHS
    rows = MotionRepository(session).motions(
        org_id=config.organisation.id, committee_id=committee_id
    )
    return [
        MotionReportItem(
            kind=line.motion.kind,
            number=line.motion.number,
            title=line.motion.title,
            vackt_on=line.motion.vackt_on,
            responsible=responsible_name(config, line.motion),
            limit_on=line.limit,
            past_limit=line.past_limit,
            days_over=line.days_over,
            reason=line.motion.delay_reason,
        )
        for line in report_lines(rows, meeting, months)
    ]


def load_section(
    session: Session,
    config: ArshjulConfig,
    committee_id: str,
    committee_name: str,
    meeting: dt.date,
) -> MotionReportSection | None:
    """The meeting's report § once made: the list as signed, or as it stands before justering."""
    row = MotionRepository(session).report(
        org_id=config.organisation.id, committee_id=committee_id, meeting=meeting
    )
    if row is None:
        return None
    if row.items is not None:
        items = [MotionReportItem.model_validate(i) for i in row.items]
    else:
        items = report_items(session, config, committee_id, meeting)
    return MotionReportSection(
        number=row.paragraph,
        title=motions_title(config.motions.citizen_proposals if config.motions else True),
        decision_text=motions_decision_text(committee_name),
        limit_months=config.motions.limit_months if config.motions else DEFAULT_LIMIT_MONTHS,
        motions=items,
    )


def ensure_section(
    session: Session, config: ArshjulConfig, meeting_row: Meeting, *, by: str = "system"
) -> bool:
    """Makes the report § of a reporting meeting not yet justerat; tells whether it has one."""
    committee_id, meeting = meeting_row.committee_id, meeting_row.meeting
    repo = MotionRepository(session)
    org_id = config.organisation.id
    if repo.report(org_id=org_id, committee_id=committee_id, meeting=meeting) is not None:
        return True
    if meeting_row.justerat_at is not None or not is_reporting(config, committee_id, meeting):
        return False
    repo.ensure_report(org_id=org_id, committee_id=committee_id, meeting=meeting, by=by)
    return True


def freeze_section(session: Session, config: ArshjulConfig, doc: ProtocolDocument) -> None:
    """Keeps the § list as `doc` shows it (the text being justerat)."""
    if doc.motions is None:
        return
    repo = MotionRepository(session)
    org_id = config.organisation.id
    row = repo.report(org_id=org_id, committee_id=doc.committee_id, meeting=doc.meeting)
    if row is not None and row.items is None:
        repo.freeze(row, [i.model_dump(mode="json") for i in doc.motions.motions])
