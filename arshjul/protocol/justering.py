"""The life of a protocol after the meeting: details, justering by signature, anslag, archive.

Callers commit (end of request or command). Every refusal is a ProtocolError with a Swedish text
for the page; nothing is written when one is raised.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from arshjul.calendar.appeal import last_day_for_appeal
from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.workdays import WorkingDays
from arshjul.protocol.gather import find_committee, load_protocol
from arshjul.protocol.model import Attendee
from arshjul.protocol.motion_report import ensure_section, freeze_section
from arshjul.protocol.render import PDF_MEDIA_TYPE, render_protocol_pdf
from arshjul.protocol.seal import NOT_CONFIGURED, Seal, SealError
from arshjul.store.db import utc_now
from arshjul.store.models import Meeting, ProtocolArchive
from arshjul.store.repositories import MeetingRepository
from arshjul.swedish import weekday_date_sv

logger = logging.getLogger(__name__)
_TIME = re.compile(r"^([01]\d|2[0-3])[:.][0-5]\d$")
MAX_ADJUSTERS = 2


class ProtocolError(ValueError):
    """A protocol action that cannot be done; `message_sv` says why to the person."""

    def __init__(self, message: str, message_sv: str) -> None:
        super().__init__(message)
        self.message_sv = message_sv


@dataclass
class MeetingDetails:
    """What the secretary records about a meeting besides the decisions."""

    starts_at: str = ""
    ends_at: str = ""
    place: str = ""
    present: list[str] = field(default_factory=list)  # member emails
    substitutes: list[Attendee] = field(default_factory=list)
    others: list[Attendee] = field(default_factory=list)
    adjusters: list[str] = field(default_factory=list)  # justerare, member emails
    # Who presided: a present member; empty keeps the one named before (the configured chair).
    chair: str = ""


NO_CHAIR_SV = (
    "Ordföranden är inte angiven. Sekreteraren anger vem som var ordförande "
    "tillsammans med närvaron innan protokollet justeras."
)


@dataclass(frozen=True)
class SignResult:
    """After a signature: whether the protocol is now justerat, and who still has to sign."""

    justerat: bool
    missing: list[str]


def ensure_meeting(
    session: Session, config: ArshjulConfig, committee_id: str, meeting: dt.date
) -> Meeting:
    """Returns the meeting row, created with the configured ordförande and secretary; a
    reporting meeting gets its § of the motions not yet beredda (motion_report)."""
    committee = find_committee(config, committee_id)
    planned = committee.meeting(meeting) if committee else None
    row = MeetingRepository(session).get_or_create(
        org_id=config.organisation.id,
        committee_id=committee_id,
        meeting=meeting,
        chair_email=committee.chair.email.lower() if committee and committee.chair else None,
        secretary_email=(
            committee.secretary.email.lower() if committee and committee.secretary else None
        ),
        starts_at=planned.time.strftime("%H:%M") if planned and planned.time else None,
        place=planned.place if planned else None,
    )
    ensure_section(session, config, row)
    return row


def is_locked(session: Session, org_id: str, committee_id: str, meeting: dt.date) -> bool:
    """Tells whether the meeting's protocol is justerat (no further § may be added)."""
    row = MeetingRepository(session).get(org_id=org_id, committee_id=committee_id, meeting=meeting)
    return row is not None and row.justerat_at is not None


LOCKED_SV = "Protokollet för sammanträdet är justerat; inga fler beslut kan protokollföras där."


def _refuse_if_locked(row: Meeting) -> None:
    if row.justerat_at is not None:
        raise ProtocolError(
            "the protocol is justerat and cannot be changed",
            "Protokollet är justerat och kan inte ändras.",
        )


def _time(value: str, label: str) -> str | None:
    value = value.strip()
    if not value:
        return None
    if not _TIME.match(value):
        raise ProtocolError(f"bad {label} {value!r}", f"Ange {label} som TT:MM, t.ex. 08:30.")
    return value.replace(".", ":")


def save_details(
    session: Session,
    config: ArshjulConfig,
    committee_id: str,
    meeting: dt.date,
    details: MeetingDetails,
) -> Meeting:
    """Records time, place, attendance and the chosen justerare (refused once justerat)."""
    committee = find_committee(config, committee_id)
    members = {m.email.lower(): m.name for m in committee.members} if committee else {}
    present = [e.lower() for e in details.present]
    adjusters = [e.lower() for e in details.adjusters]
    if unknown := [e for e in present + adjusters if e not in members]:
        raise ProtocolError(
            f"not members: {unknown}", "Välj närvarande och justerare bland utskottets ledamöter."
        )
    if len(adjusters) > MAX_ADJUSTERS or len(set(adjusters)) != len(adjusters):
        raise ProtocolError("one or two justerare", "Välj en eller två justerare.")
    if any(a not in present for a in adjusters):
        raise ProtocolError("justerare not present", "Justerarna ska vara närvarande ledamöter.")
    chair = details.chair.strip().lower()
    if chair and chair not in members:
        raise ProtocolError(f"chair {chair} not a member", "Välj ordföranden bland ledamöterna.")
    if chair and chair not in present:
        raise ProtocolError("chair not present", "Ordföranden ska vara en närvarande ledamot.")
    row = ensure_meeting(session, config, committee_id, meeting)
    _refuse_if_locked(row)
    if chair:
        row.chair_email = chair
    if row.chair_email and row.chair_email in adjusters:
        raise ProtocolError("chair as justerare", "Ordföranden kan inte vara justerare.")
    row.starts_at = _time(details.starts_at, "starttid")
    row.ends_at = _time(details.ends_at, "sluttid")
    row.place = details.place.strip()[:300] or None
    row.attendance = {
        "present": [Attendee(name=members[e], email=e).model_dump() for e in present],
        "substitutes": [a.model_dump() for a in details.substitutes if a.name.strip()],
        "others": [a.model_dump() for a in details.others if a.name.strip()],
    }
    row.adjusters = adjusters
    session.flush()
    return row


def sign(
    session: Session,
    config: ArshjulConfig,
    committee_id: str,
    meeting: dt.date,
    *,
    email: str,
    name: str,
    now: dt.datetime | None = None,
) -> SignResult:
    """Signs the protocol's current text as ordförande or justerare; justerat when all have."""
    email = email.lower()
    repo = MeetingRepository(session)
    row = repo.get(org_id=config.organisation.id, committee_id=committee_id, meeting=meeting)
    if row is None or not row.adjusters:
        raise ProtocolError("no justerare chosen", "Justerare är inte valda ännu.")
    _refuse_if_locked(row)
    if not row.chair_email:  # a protocol is justerat by its ordförande and the justerare
        raise ProtocolError("no ordförande named", NO_CHAIR_SV)
    if email == row.chair_email:
        role = "ordforande"
    elif email in row.adjusters:
        role = "justerare"
    else:
        raise ProtocolError(
            f"{email} is neither ordförande nor justerare",
            "Bara ordföranden och de valda justerarna signerar protokollet.",
        )
    doc = load_protocol(session, config, committee_id=committee_id, meeting=meeting)
    if not doc.numbers:
        raise ProtocolError("no paragraphs", "Protokollet har inga paragrafer att justera.")
    sha = doc.content_sha256()
    signed = {s.email for s in repo.signatures(meeting_id=row.id) if s.content_sha256 == sha}
    if email not in signed:
        repo.add_signature(
            meeting=row, role=role, email=email, name=name, content_sha256=sha, at=now
        )
        signed.add(email)
    required = [e for e in (row.chair_email, *row.adjusters) if e]
    missing = [e for e in required if e not in signed]
    if not missing:
        freeze_section(session, config, doc)  # the list as signed, before the lock
        row.justerat_at = now or utc_now()
        session.flush()
    names = {a.email: a.name for a in (*doc.adjusters, *([doc.chair] if doc.chair else []))}
    return SignResult(justerat=not missing, missing=[names.get(e, e) for e in missing])


def record_anslag(
    session: Session,
    config: ArshjulConfig,
    committee_id: str,
    meeting: dt.date,
    *,
    anslag_date: dt.date,
    by: str,
    base_url: str = "",
    seal: Seal | None = None,
) -> ProtocolArchive:
    """Records the anslag date, the last day for appeal, and stores the PDF/A archive copy,
    sealed with the kommun's seal when one is configured (arshjul.protocol.seal says why a seal)."""
    repo = MeetingRepository(session)
    row = repo.get(org_id=config.organisation.id, committee_id=committee_id, meeting=meeting)
    if row is None or row.justerat_at is None:
        raise ProtocolError(
            "not justerat", "Protokollet måste vara justerat innan anslaget registreras."
        )
    if row.anslag_date is not None:
        raise ProtocolError("anslag already recorded", "Anslaget är redan registrerat.")
    justerat_day = row.justerat_at.astimezone(ZoneInfo(config.organisation.timezone)).date()
    wd = WorkingDays(config.working_days.non_working_eves)
    why = wd.why_not_working(anslag_date)
    if why is not None:
        raise ProtocolError(
            "anslag on a day that is not a working day",
            f"Anslaget sätts upp på en arbetsdag: {weekday_date_sv(anslag_date)} är ingen "
            f"arbetsdag ({why}). Närmaste arbetsdag efter är "
            f"{weekday_date_sv(wd.next_or_same(anslag_date))}.",
        )
    if anslag_date < justerat_day:
        raise ProtocolError(
            "anslag before the justering",
            "Anslaget kan inte sättas upp före den dag protokollet justerades.",
        )
    row.anslag_date, row.anslag_by = anslag_date, by.lower()
    row.appeal_until = last_day_for_appeal(anslag_date)
    session.flush()
    doc = load_protocol(
        session, config, committee_id=committee_id, meeting=meeting, base_url=base_url
    )
    pdf = render_protocol_pdf(doc)
    what = f"archive copy of {committee_id} {meeting.isoformat()}"
    if seal is None:
        logger.warning("%s stored unsigned: %s", what, NOT_CONFIGURED)
    else:
        try:
            pdf = seal.apply(pdf, doc, config.organisation.timezone)
        except SealError as exc:
            # The anslag stands: the copy is stored unsigned rather than the anslag refused.
            logger.error("%s stored UNSIGNED: %s", what, exc)
        else:
            logger.info("%s sealed by %s", what, seal.subject)
    return repo.add_archive(meeting=row, content=pdf, media_type=PDF_MEDIA_TYPE, created_by=by)
