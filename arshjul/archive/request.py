"""Every handling of one case for a public-records request (begäran om allmän handling), as one
ZIP with a förteckning (list of contents: file, what it is, date, SHA-256) in CSV and HTML.

The files are the archive package's (arshjul.archive.export.case_records) plus the justerade
protocols that decide the case. Drafts are not allmänna handlingar and are left out; so are
protocols not yet justerat. Building the ZIP changes nothing; the caller logs the export.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import zipfile
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from arshjul.archive.export import case_records, case_title, find_round, round_package_id
from arshjul.archive.render import ENV
from arshjul.calendar.config import ArshjulConfig
from arshjul.protocol.gather import find_committee, load_protocol
from arshjul.protocol.render import render_protocol_pdf
from arshjul.store.db import utc_now
from arshjul.store.models import Decision
from arshjul.store.repositories import AuditRepository, MeetingRepository
from arshjul.swedish import date_sv

LIST_CSV = "forteckning.csv"
LIST_HTML = "forteckning.html"
ACTION = "records_request_export"
# Fixed in the ZIP so the same handlingar give the same bytes (the date is in the förteckning).
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class Listed:
    """One file of the ZIP as the förteckning lists it."""

    name: str
    description: str
    day: dt.date
    sha256: str
    size: int


@dataclass(frozen=True)
class RecordsRequest:
    """The ZIP of one case's handlingar, its file name and what it lists."""

    workflow_id: str
    filename: str
    data: bytes
    listed: list[Listed]

    @property
    def sha256(self) -> str:
        """The SHA-256 of the ZIP itself, for the audit log."""
        return hashlib.sha256(self.data).hexdigest()


def _local_day(config: ArshjulConfig, value: dt.datetime) -> dt.date:
    if value.tzinfo is None:  # SQLite gives naive times; the store keeps UTC
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(ZoneInfo(config.organisation.timezone)).date()


def _protocols(
    session: Session, config: ArshjulConfig, decisions: list[Decision]
) -> list[tuple[str, str, dt.date, bytes]]:
    # The justerade protocols with a § of the case: the stored PDF/A archive copy once the
    # anslag is recorded, else the justerat (locked) text rendered as PDF/A.
    meetings = MeetingRepository(session)
    found: dict[tuple[str, dt.date], list[int]] = {}
    for d in decisions:
        found.setdefault((d.committee_id, d.meeting), []).append(d.paragraph)
    out = []
    for (committee_id, meeting), numbers in found.items():
        row = meetings.get(
            org_id=config.organisation.id, committee_id=committee_id, meeting=meeting
        )
        if row is None or row.justerat_at is None:
            continue
        archive = meetings.archive(meeting_id=row.id)
        if archive is not None:
            pdf = archive.content
        else:
            doc = load_protocol(session, config, committee_id=committee_id, meeting=meeting)
            pdf = render_protocol_pdf(doc)
        committee = find_committee(config, committee_id)
        name = committee.name if committee else committee_id
        paragraphs = ", ".join(f"§ {n}" for n in sorted(numbers))
        out.append(
            (
                f"protokoll/{committee_id}-{meeting.isoformat()}.pdf",
                f"Justerat protokoll, {name} {date_sv(meeting)} ({paragraphs}), PDF/A",
                meeting,
                pdf,
            )
        )
    return out


def _csv(listed: list[Listed]) -> bytes:
    out = io.StringIO()
    # Semicolons and a BOM: what a Swedish spreadsheet opens as columns, å, ä and ö intact.
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Fil", "Innehåll", "Datum", "Storlek (byte)", "SHA-256"])
    for f in listed:
        writer.writerow([f.name, f.description, f.day.isoformat(), f.size, f.sha256])
    return ("\ufeff" + out.getvalue()).encode()


def records_request(
    session: Session,
    config: ArshjulConfig,
    workflow_id: str,
    *,
    by_name: str,
    now: dt.datetime | None = None,
) -> RecordsRequest:
    """Builds the ZIP of every handling of the case (open or closed); ArchiveError if the case
    is not this organisation's or not in the store."""
    row = find_round(session, config, workflow_id)
    now = now or utc_now()
    records = case_records(session, config, row, now)
    contents: list[tuple[str, str, dt.date, bytes]] = [
        (f.name, f.description, _local_day(config, f.created), f.data) for f in records.files
    ]
    contents += _protocols(session, config, records.decisions)
    listed = [
        Listed(name, what, day, hashlib.sha256(data).hexdigest(), len(data))
        for name, what, day, data in contents
    ]
    html = ENV.get_template("forteckning.html.j2").render(
        org_name=config.organisation.name,
        title=case_title(row),
        diarienummer=records.diarienummer,
        workflow_id=workflow_id,
        made_at=now,
        by_name=by_name,
        listed=listed,
        list_csv=LIST_CSV,
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, _, _, data in contents:
            archive.writestr(zipfile.ZipInfo(name, _ZIP_TIME), data, zipfile.ZIP_DEFLATED)
        for name, data in ((LIST_CSV, _csv(listed)), (LIST_HTML, html.encode())):
            archive.writestr(zipfile.ZipInfo(name, _ZIP_TIME), data, zipfile.ZIP_DEFLATED)
    filename = f"handlingar-{round_package_id(row).removesuffix('-arende')}.zip"
    return RecordsRequest(workflow_id, filename, buffer.getvalue(), listed)


def log_export(session: Session, request: RecordsRequest, *, by: str) -> None:
    """Writes the export to the case's audit log: who took out which case's handlingar, when."""
    AuditRepository(session).append(
        actor=by,
        action=ACTION,
        workflow_id=request.workflow_id,
        detail=f"{request.filename}: {len(request.listed)} filer, SHA-256 {request.sha256}",
    )
