"""From the store to an archive package: a justerat protocol, or a closed case.

Every refusal is an ArchiveError with an English message for the command line, raised before
anything is written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

import arshjul
from arshjul.archive.package import (
    JSON,
    PDFA_2U,
    XML,
    Agent,
    ContentFile,
    Event,
    FileFormat,
    Package,
)
from arshjul.archive.records import audit_xml, case_xml, meeting_xml
from arshjul.archive.render import render_version_pdf, version_view
from arshjul.calendar.config import ArshjulConfig
from arshjul.models.rounds import CLOSED_STATES
from arshjul.protocol.gather import find_committee, load_protocol, person_name
from arshjul.protocol.seal import sealed_by
from arshjul.store.db import utc_now
from arshjul.store.models import CASE_ROUND, Attachment, Decision, Round
from arshjul.store.repositories import (
    AttachmentRepository,
    AuditRepository,
    CaseNumberRepository,
    DecisionRepository,
    MeetingRepository,
    RoundRepository,
    SubmissionRepository,
)
from arshjul.store.retention import ARCHIVED
from arshjul.store.submissions import RoundIdError, parse_round_id

PROTOCOL_FILE = "protokoll.pdf"
MEETING_FILE = "sammantrade.xml"
CASE_FILE = "arende.xml"
AUDIT_FILE = "handelselogg.xml"
ORG_AGENT = "agent-organisation"
SOFTWARE_AGENT = "agent-arshjul"
PACKAGE_EVENT = "information package creation"  # PREMIS event type vocabulary (id.loc.gov)


class ArchiveError(ValueError):
    """An export that cannot be made (unknown meeting, protocol not justerat, round open)."""


class _People:
    """The package's agents: the organisation, arshjul, and every person named in an event."""

    def __init__(self, config: ArshjulConfig, names: dict[str, str] | None = None) -> None:
        self.config = config
        self.names = {k.lower(): v for k, v in (names or {}).items()}
        self.agents: dict[str, Agent] = {
            ORG_AGENT: Agent(ORG_AGENT, config.organisation.name, "organization"),
            SOFTWARE_AGENT: Agent(
                SOFTWARE_AGENT, "arshjul", "software", version=arshjul.__version__
            ),
        }

    def person(self, email: str) -> str:
        """Returns the agent id of a person (by address), adding the person once."""
        email = email.lower()
        if email in ("system", ""):
            return SOFTWARE_AGENT
        agent_id = "agent-" + re.sub(r"[^a-z0-9]+", "-", email).strip("-")
        if agent_id not in self.agents:
            name = self.names.get(email) or person_name(self.config, email)
            self.agents[agent_id] = Agent(agent_id, name, "person", email=email)
        return agent_id


def _slug(*parts: str) -> str:
    return "-".join(re.sub(r"[^A-Za-z0-9]+", "-", p).strip("-").lower() for p in parts)


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def _day(day: dt.date | None) -> str:
    return day.isoformat() if day else "–"


def _local_day(config: ArshjulConfig, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(config.organisation.timezone))


def meeting_package_id(org_id: str, committee_id: str, meeting: dt.date) -> str:
    """The package id (and folder name) of a meeting's protocol."""
    return _slug(org_id, committee_id, meeting.isoformat(), "protokoll")


def round_package_id(row: Round) -> str:
    """The package id (and folder name) of a case."""
    return _slug(row.org_id, row.report_id, row.period, row.unit_id, "arende")


def meeting_package(
    session: Session,
    config: ArshjulConfig,
    committee_id: str,
    meeting: dt.date,
    *,
    now: dt.datetime | None = None,
) -> Package:
    """The package of a justerat protocol with its anslag: the archive PDF/A and the decisions."""
    committee = find_committee(config, committee_id)
    if committee is None:
        ids = ", ".join(c.id for c in config.committees)
        raise ArchiveError(
            f"no committee {committee_id!r} in the configuration (committees: {ids})"
        )
    org_id = config.organisation.id
    repo = MeetingRepository(session)
    row = repo.get(org_id=org_id, committee_id=committee_id, meeting=meeting)
    held = row is not None or bool(
        DecisionRepository(session).list_for_meeting(
            committee_id=committee_id, meeting=meeting, org_id=org_id
        )
    )
    if not held and committee.meeting(meeting) is None:
        listed = ", ".join(d.isoformat() for d in committee.dates if d.year == meeting.year)
        raise ArchiveError(
            f"{committee_id} has no meeting on {meeting.isoformat()} "
            f"(its meetings in {meeting.year}: {listed or 'none'})"
        )
    if row is None or row.justerat_at is None:
        raise ArchiveError(
            f"the protocol of {committee_id} on {meeting.isoformat()} is not justerat yet; "
            "it can be archived once justerat and its anslag recorded"
        )
    archive = repo.archive(meeting_id=row.id)
    if archive is None or row.anslag_date is None:
        raise ArchiveError(
            f"the protocol of {committee_id} on {meeting.isoformat()} is justerat but its anslag "
            "is not recorded; the archive copy (PDF/A) is made with the anslag"
        )
    if hashlib.sha256(archive.content).hexdigest() != archive.sha256:
        raise ArchiveError(
            f"the stored archive copy of {committee_id} on {meeting.isoformat()} does not match "
            "its recorded SHA-256; it is not exported"
        )
    doc = load_protocol(session, config, committee_id=committee_id, meeting=meeting)
    meeting_dnr = CaseNumberRepository(session).meeting_number(
        org_id=org_id, committee_id=committee_id, meeting=meeting
    )
    now = now or utc_now()
    names = {s.email: s.name for s in doc.signatures}
    for person in (*doc.attendance.present, *doc.adjusters, doc.chair, doc.secretary):
        if person is not None and person.email:
            names.setdefault(person.email, person.name)
    people = _People(config, names)
    seals = sealed_by(archive.content)
    pdf = ContentFile(
        "rep1",
        PROTOCOL_FILE,
        archive.content,
        archive.media_type,
        PDFA_2U,
        _utc(archive.created_at),
    )
    details = ContentFile(
        "rep1",
        MEETING_FILE,
        meeting_xml(
            doc,
            protocol_file=PROTOCOL_FILE,
            protocol_sha256=archive.sha256,
            sealed_by=seals,
            diarienummer=meeting_dnr,
        ),
        "application/xml",
        XML,
        now,
    )
    title = f"Protokoll {committee.name} {meeting.isoformat()}"
    events = [
        Event(
            "event-justering",
            "justering",
            _utc(row.justerat_at),
            f"Protokollet justerades ({doc.paragraph_range}); justerat innehåll SHA-256 "
            f"{doc.content_sha256()}",
            tuple(
                (people.person(s.email), "ordförande" if s.role == "ordforande" else "justerare")
                for s in doc.signatures
                if s.current
            ),
            (pdf.path,),
        ),
        Event(
            "event-creation",
            "creation",
            _utc(archive.created_at),
            "Arkivexemplaret (PDF/A-2u) skapades när anslaget registrerades; "
            + (
                f"förseglat med kommunens elektroniska sigill ({'; '.join(seals)})"
                if seals
                else "inte elektroniskt förseglat"
            ),
            (
                (people.person(archive.created_by), "implementer"),
                (SOFTWARE_AGENT, "executing program"),
            ),
            (pdf.path,),
        ),
        Event(
            "event-anslag",
            "anslag",
            _local_day(config, row.anslag_date),
            f"Justeringen tillkännagavs på anslagstavlan {row.anslag_date.isoformat()}; "
            f"sista dag för överklagande {_day(row.appeal_until)}",
            ((people.person(row.anslag_by or ""), "implementer"),),
            (pdf.path,),
        ),
        _package_event(now),
    ]
    return Package(
        id=meeting_package_id(org_id, committee_id, meeting),
        label=title,
        org_name=config.organisation.name,
        created=now,
        record_type="Protokoll",
        description={
            "title": [title],
            "creator": [f"{config.organisation.name}, {committee.name}"],
            "date": [meeting.isoformat()],
            "type": ["Protokoll"],
            "identifier": [
                f"{org_id}/{committee_id}/{meeting.isoformat()}",
                *_dnr(meeting_dnr),
            ],
            "language": ["sv"],
        },
        representations={"rep1": "Protokollet som PDF/A och sammanträdet som XML"},
        files=[pdf, details],
        events=events,
        agents=list(people.agents.values()),
    )


def _package_event(now: dt.datetime) -> Event:
    return Event(
        "event-package",
        PACKAGE_EVENT,
        now,
        "Leveranspaketet (SIP) skapades med arshjul archive export",
        ((SOFTWARE_AGENT, "executing program"), (ORG_AGENT, "authorizer")),
    )


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def _attachment_name(a: Attachment, taken: set[str]) -> str:
    # Plain ASCII, as E-ARK and FGS advise for names in a package ("Åtgärdsplan 2026.pdf" ->
    # "Atgardsplan_2026.pdf"), and unique in the folder; PREMIS keeps the original name.
    ascii_name = unicodedata.normalize("NFKD", a.name).encode("ascii", "ignore").decode()
    name = _UNSAFE.sub("_", ascii_name).strip(" ._") or "bilaga"
    if name.lower() in taken:
        stem, dot, ext = name.rpartition(".")
        name = f"{stem}-{a.sha256[:8]}.{ext}" if dot and stem else f"{name}-{a.sha256[:8]}"
    taken.add(name.lower())
    return name


def find_round(session: Session, config: ArshjulConfig, workflow_id: str) -> Round:
    """The round of this configuration's organisation with this id; ArchiveError otherwise."""
    try:
        org_id, _, _, _ = parse_round_id(workflow_id)
    except RoundIdError as exc:
        raise ArchiveError(
            f"{workflow_id!r} is not a round id (round/ORG/REPORT/YYYY-MM/UNIT)"
        ) from exc
    if org_id != config.organisation.id:
        raise ArchiveError(
            f"{workflow_id} belongs to {org_id!r}, not to {config.organisation.id!r} "
            "of this configuration"
        )
    row = RoundRepository(session).get(workflow_id=workflow_id)
    if row is None:
        raise ArchiveError(f"no round {workflow_id} in the store")
    return row


@dataclass
class CaseRecords:
    """Every record of a case as files (with what each is, in Swedish), and their events."""

    row: Round
    diarienummer: str | None
    files: list[ContentFile]
    events: list[Event]
    people: _People
    decisions: list[Decision]


def case_records(
    session: Session, config: ArshjulConfig, row: Round, now: dt.datetime
) -> CaseRecords:
    """Reads a case's versions (JSON and PDF/A), attachments, decisions and audit log as files."""
    workflow_id = row.workflow_id
    people = _People(config)
    number = CaseNumberRepository(session).get(
        org_id=row.org_id, kind=CASE_ROUND, case_key=workflow_id
    )
    versions = SubmissionRepository(session).versions(workflow_id=workflow_id)
    attachments = AttachmentRepository(session).list_for_round(workflow_id=workflow_id)
    decisions = DecisionRepository(session).list_for_round(workflow_id=workflow_id)
    audit = AuditRepository(session).list_for_round(workflow_id=workflow_id)
    files: list[ContentFile] = []
    events: list[Event] = []
    listed: list[tuple[object, str, str | None]] = []
    for s in versions:
        # The canonical JSON the workflow's hash was taken over: its SHA-256 is the stored one.
        data = json.dumps(s.content, sort_keys=True, ensure_ascii=False).encode()
        original = ContentFile(
            "rep1",
            f"inlamning-v{s.version}.json",
            data,
            "application/json",
            JSON,
            _utc(s.submitted_at),
            description=f"Inlämnad version {s.version} (JSON, som lämnad)",
        )
        view = version_view(
            org_name=config.organisation.name,
            report_title=row.report_title,
            period=row.period,
            unit_name=row.unit_name,
            version=s.version,
            submitted_at=s.submitted_at,
            submitted_by_name=person_name(config, s.submitted_by),
            sha256=s.sha256,
            content=s.content,
        )
        rendered = ContentFile(
            "rep2",
            f"inlamning-v{s.version}.pdf",
            render_version_pdf(view),
            "application/pdf",
            PDFA_2U,
            now,
            description=f"Inlämnad version {s.version} återgiven som PDF/A",
        )
        files += [original, rendered]
        listed.append((s, original.path, rendered.path))
        events.append(
            Event(
                f"event-submitted-v{s.version}",
                "creation",
                _utc(s.submitted_at),
                f"Version {s.version} lämnades in; SHA-256 {s.sha256} (kanonisk JSON)",
                ((people.person(s.submitted_by), "implementer"),),
                (original.path,),
            )
        )
        events.append(
            Event(
                f"event-rendered-v{s.version}",
                "migration",
                now,
                f"Version {s.version} återgiven som PDF/A-2u från JSON-filen",
                ((SOFTWARE_AGENT, "executing program"),),
                (original.path, rendered.path),
            )
        )
    taken: set[str] = set()
    attachment_rows: list[tuple[str, str, str]] = []
    for a in attachments:
        f = ContentFile(
            "rep1",
            "bilagor/" + _attachment_name(a, taken),
            a.data,
            a.content_type or "application/octet-stream",
            FileFormat(a.content_type or "application/octet-stream"),
            _utc(a.uploaded_at),
            a.name,
            description=f"Bilaga {a.name}",
        )
        files.append(f)
        attachment_rows.append((f.path, a.name, a.sha256))
        events.append(
            Event(
                f"event-attachment-{a.id}",
                "creation",
                _utc(a.uploaded_at),
                f"Bilagan {a.name} laddades upp",
                ((people.person(a.uploaded_by), "implementer"),),
                (f.path,),
            )
        )
    committee_names = {c.id: c.name for c in config.committees}
    case = ContentFile(
        "rep1",
        CASE_FILE,
        case_xml(
            config.organisation.name,
            row,
            listed,  # type: ignore[arg-type]
            [(d, committee_names.get(d.committee_id, d.committee_id)) for d in decisions],
            attachment_rows,
            diarienummer=number.number if number else None,
        ),
        "application/xml",
        XML,
        now,
        description="Ärendet: uppgifter, versioner, beslut och bilagor (XML)",
    )
    log = ContentFile(
        "rep1",
        AUDIT_FILE,
        audit_xml(workflow_id, audit),
        "application/xml",
        XML,
        now,
        description="Ärendets händelselogg (XML)",
    )
    files += [case, log]
    for d in decisions:
        events.append(
            Event(
                f"event-decision-{d.id}",
                "decision",
                _utc(d.decided_at),
                f"{committee_names.get(d.committee_id, d.committee_id)} "
                f"{d.meeting.isoformat()} § {d.paragraph}: {d.outcome}",
                ((people.person(d.decided_by), "implementer"),),
                (case.path,),
            )
        )
    return CaseRecords(row, number.number if number else None, files, events, people, decisions)


def case_title(row: Round) -> str:
    """A case's title as packages and lists name it."""
    return f"{row.report_title} {row.period} – {row.unit_name}"


def round_package(
    session: Session,
    config: ArshjulConfig,
    workflow_id: str,
    *,
    now: dt.datetime | None = None,
) -> Package:
    """The package of a closed case: every version as JSON and PDF/A, attachments, decisions and
    the audit log."""
    row = find_round(session, config, workflow_id)
    if row.state not in CLOSED_STATES:
        *first, last = sorted(s.value for s in CLOSED_STATES)
        closed = f"{', '.join(first)} or {last}"
        raise ArchiveError(
            f"the round {workflow_id} is not closed (state {row.state}); a case is archived "
            f"once it is {closed}"
        )
    now = now or utc_now()
    records = case_records(session, config, row, now)
    title = case_title(row)
    return Package(
        id=round_package_id(row),
        label=title,
        org_name=config.organisation.name,
        created=now,
        record_type="Ärende",
        description={
            "title": [title],
            "creator": [f"{config.organisation.name}, {row.unit_name}"],
            "date": [row.period],
            "type": ["Ärende"],
            "identifier": [workflow_id, *_dnr(records.diarienummer)],
            "language": ["sv"],
        },
        representations={
            "rep1": "Inlämnade versioner som JSON, bilagor, ärendet och händelseloggen",
            "rep2": "Inlämnade versioner som PDF/A",
        },
        files=records.files,
        events=[*records.events, _package_event(now)],
        agents=list(records.people.agents.values()),
    )


def _dnr(number: str | None) -> list[str]:
    # The registry's number as Swedish records write it: "Dnr KS 2026/123".
    return [f"Dnr {number}"] if number else []


@dataclass
class Sweep:
    """What `export_all` did: packages written, found already there, and refusals."""

    written: list[Path] = field(default_factory=list)
    present: int = 0
    refused: list[str] = field(default_factory=list)


def export_all(session: Session, config: ArshjulConfig, out: Path) -> Sweep:
    """Writes the package of every protocol with its anslag and every closed case that `out`
    does not hold yet (by package id); a refusal is noted and the others still written."""
    sweep = Sweep()
    org_id = config.organisation.id
    meetings = MeetingRepository(session)
    for committee in config.committees:
        for row in meetings.list_for_committee(org_id=org_id, committee_id=committee.id):
            if row.justerat_at is None or row.anslag_date is None:
                continue
            _sweep_one(
                sweep,
                out / meeting_package_id(org_id, committee.id, row.meeting),
                partial(export_meeting, session, config, committee.id, row.meeting, out),
            )
    for case in RoundRepository(session).list(org_id=org_id, states=sorted(CLOSED_STATES)):
        _sweep_one(
            sweep,
            out / round_package_id(case),
            partial(export_round, session, config, case.workflow_id, out),
        )
    return sweep


def _sweep_one(sweep: Sweep, target: Path, write: Callable[[], Path]) -> None:
    if target.exists():
        sweep.present += 1
        return
    try:
        sweep.written.append(write())
    except ArchiveError as exc:
        sweep.refused.append(str(exc))


def export_meeting(
    session: Session, config: ArshjulConfig, committee_id: str, meeting: dt.date, out: Path
) -> Path:
    """Writes the package of a justerat protocol under `out`; returns its folder."""
    return meeting_package(session, config, committee_id, meeting).write(out)


def export_round(session: Session, config: ArshjulConfig, workflow_id: str, out: Path) -> Path:
    """Writes the package of a closed case under `out` and audits that it was archived (what
    lets gallring touch the case's records); returns its folder."""
    folder = round_package(session, config, workflow_id).write(out)
    AuditRepository(session).append(
        actor="system", action=ARCHIVED, workflow_id=workflow_id, detail=folder.name
    )
    return folder
