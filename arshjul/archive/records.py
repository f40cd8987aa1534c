"""The case's records as plain XML: a protocol's meeting and decisions, a case, its audit log.

Element names say what they hold, so the files read without arshjul (or its database).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from lxml import etree

from arshjul.protocol.model import ProtocolDocument
from arshjul.store.models import AuditEntry, Decision, Round, Submission
from arshjul.text import clean_text


def _iso(value: dt.datetime | dt.date) -> str:
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:  # SQLite gives naive times; the store keeps UTC
            value = value.replace(tzinfo=dt.UTC)
        return value.isoformat(timespec="seconds")
    return value.isoformat()


def _el(
    parent: etree._Element, tag: str, text: str | None = None, **attrs: object
) -> etree._Element:
    element = etree.SubElement(parent, tag)
    for key, value in attrs.items():
        if value is not None and value != "":
            element.set(key.replace("_", "-"), _value(value))
    if text:
        # Typed or pasted text may hold control characters XML cannot carry.
        element.text = clean_text(text)
    return element


def _opt(parent: etree._Element, tag: str, text: str | None) -> None:
    # An optional text: no element at all when there is none (not an empty one).
    if text:
        _el(parent, tag, text)


def _value(value: object) -> str:
    if isinstance(value, dt.datetime | dt.date):
        return _iso(value)
    return clean_text(str(value))


def _document(root: etree._Element) -> bytes:
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def meeting_xml(
    doc: ProtocolDocument,
    *,
    protocol_file: str,
    protocol_sha256: str,
    sealed_by: Iterable[str] = (),
    diarienummer: str | None = None,
) -> bytes:
    """The meeting as recorded: attendance, justering, anslag, the protocol file (and who
    sealed it, if anyone) and every decision with its §."""
    root = etree.Element("meeting")
    for key, value in (
        ("organisation", doc.org_name),
        ("committee-id", doc.committee_id),
        ("committee", doc.committee_name),
        ("date", doc.meeting.isoformat()),
        ("diarienummer", diarienummer or ""),
    ):
        if value:
            root.set(key, clean_text(value))
    _opt(root, "starts", doc.starts_at)
    _opt(root, "ends", doc.ends_at)
    _opt(root, "place", doc.place)
    if doc.chair:
        _el(root, "chair", doc.chair.name, email=doc.chair.email)
    if doc.secretary:
        _el(root, "secretary", doc.secretary.name, email=doc.secretary.email)
    attendance = _el(root, "attendance")
    for kind, people in (
        ("present", doc.attendance.present),
        ("substitute", doc.attendance.substitutes),
        ("other", doc.attendance.others),
    ):
        for person in people:
            _el(attendance, kind, person.name, email=person.email, role=person.role)
    adjusters = _el(root, "adjusters")
    for person in doc.adjusters:
        _el(adjusters, "adjuster", person.name, email=person.email)
    justering = _el(root, "justering", at=doc.justerat_at, content_sha256=doc.content_sha256())
    for s in doc.signatures:
        if s.current:
            _el(justering, "signature", s.name, role=s.role, email=s.email, signed_at=s.signed_at)
    if doc.anslag_date:
        _el(root, "anslag", date=doc.anslag_date, appeal_until=doc.appeal_until)
    seals = list(sealed_by)
    protocol = _el(
        root,
        "protocol",
        file=protocol_file,
        sha256=protocol_sha256,
        sealed="true" if seals else "false",
    )
    for name in seals:  # a PAdES signature in the PDF (arshjul.protocol.seal)
        _el(protocol, "seal", name)
    decisions = _el(root, "decisions", paragraphs=doc.paragraph_range)
    for p in doc.paragraphs:
        decision = _el(
            decisions,
            "decision",
            paragraph=p.number,
            outcome=p.outcome,
            case=p.workflow_id,
            diarienummer=p.diarienummer,
            decided_at=p.decided_at,
            recorded_by=p.recorded_by,
        )
        _el(decision, "report", p.report_title, period=p.period)
        _el(decision, "unit", p.unit_name)
        _el(decision, "text", p.decision_text)
        _opt(decision, "reason", p.reason)
    return _document(root)


def case_xml(
    org_name: str,
    row: Round,
    versions: Iterable[tuple[Submission, str, str | None]],
    decisions: Iterable[tuple[Decision, str]],
    attachments: Iterable[tuple[str, str, str]],
    *,
    diarienummer: str | None = None,
) -> bytes:
    """A closed case: the round's facts, its versions (with their files), decisions, attachments.

    `versions` are (submission, JSON file, PDF file or None); `decisions` (decision, committee
    name); `attachments` (file, original name, sha256).
    """
    root = etree.Element("case")
    root.set("id", row.workflow_id)
    root.set("organisation", clean_text(org_name))
    _opt(root, "diarienummer", diarienummer)
    _el(root, "report", row.report_title, id=row.report_id, period=row.period)
    _el(root, "unit", row.unit_name, id=row.unit_id)
    _el(root, "state", row.state, last_event=row.last_event, updated_at=row.updated_at)
    _el(root, "opens", row.opens.isoformat())
    _el(root, "due", row.due.isoformat())
    listed = _el(root, "versions")
    for s, json_file, pdf_file in versions:
        _el(
            listed,
            "version",
            number=s.version,
            submitted_at=s.submitted_at,
            submitted_by=s.submitted_by,
            sha256=s.sha256,
            json=json_file,
            pdf=pdf_file,
        )
    taken = _el(root, "decisions")
    for d, committee_name in decisions:
        decision = _el(
            taken,
            "decision",
            committee_id=d.committee_id,
            committee=committee_name,
            meeting=d.meeting,
            paragraph=d.paragraph,
            outcome=d.outcome,
            decided_at=d.decided_at,
            recorded_by=d.decided_by,
            to_committee=d.to_committee_id,
        )
        _opt(decision, "text", d.decision_text)
        _opt(decision, "reason", d.reason)
    files = _el(root, "attachments")
    for path, name, sha in attachments:
        _el(files, "attachment", name, file=path, sha256=sha)
    return _document(root)


def audit_xml(workflow_id: str, entries: Iterable[AuditEntry]) -> bytes:
    """The case's audit log, entry by entry in the order they happened."""
    root = etree.Element("audit-log")
    root.set("case", workflow_id)
    for e in entries:
        entry = _el(root, "entry", time=e.time, actor=e.actor, action=e.action, seq=e.seq)
        _opt(entry, "reason", e.reason)
        _opt(entry, "detail", e.detail)
    return _document(root)
