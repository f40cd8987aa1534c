"""Anmälan av delegationsbeslut (KL 6 kap. 40 §): the decisions the secretary enters or imports
for a meeting, checked as a whole before anything is written.

A CSV file has a header line in Swedish (Datum; Beslutsfattare; Ärende; Beteckning, in any order,
other columns ignored), separated by semicolons (as Excel writes it in Swedish) or commas, in
UTF-8 or Windows-1252. Every bad line is named with its number and what is wrong; one bad line
and nothing of the file is imported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass

from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig
from arshjul.protocol.justering import ProtocolError, ensure_meeting
from arshjul.store.repositories import DelegationEntry, DelegationRepository
from arshjul.swedish import date_sv

MAX_ROWS = 500
MAX_FILE_BYTES = 1024 * 1024
LIMITS = {"decided_by": 300, "matter": 2000, "reference": 100}
# The columns a file must have, by their Swedish headers (and the names registers export).
HEADERS: dict[str, tuple[str, ...]] = {
    "decided_on": ("datum", "beslutsdatum"),
    "decided_by": ("beslutsfattare", "delegat"),
    "matter": ("ärende", "ärendemening", "beslut"),
    "reference": ("beteckning", "diarienummer", "dnr", "referens"),
}
HEADER_SV = "Datum;Beslutsfattare;Ärende;Beteckning"
LABELS_SV = {
    "decided_on": "datum",
    "decided_by": "beslutsfattare",
    "matter": "ärende",
    "reference": "beteckning",
}


class DelegationRefused(ProtocolError):
    """Delegationsbeslut not taken in: `problems` names each bad line (or field) in Swedish."""

    def __init__(self, message: str, problems: list[str], message_sv: str) -> None:
        super().__init__(message, message_sv)
        self.problems = problems


@dataclass(frozen=True)
class RawEntry:
    """One decision as typed or read from a file, before it is checked."""

    decided_on: str
    decided_by: str
    matter: str
    reference: str


def _check(raw: RawEntry, meeting: dt.date) -> tuple[DelegationEntry | None, list[str]]:
    problems = []
    values = {
        "decided_by": raw.decided_by.strip(),
        "matter": raw.matter.strip(),
        "reference": raw.reference.strip(),
    }
    day: dt.date | None = None
    text = raw.decided_on.strip()
    if not text:
        problems.append("datum saknas")
    else:
        try:
            day = dt.date.fromisoformat(text) if len(text) == 10 else None
        except ValueError:
            day = None
        if day is None:
            problems.append(f"datumet ”{text[:20]}” ska skrivas ÅÅÅÅ-MM-DD")
        elif day > meeting:
            problems.append(
                f"beslutet är daterat {date_sv(day)}, efter sammanträdet {date_sv(meeting)}"
            )
    for name, value in values.items():
        if not value:
            problems.append(f"{LABELS_SV[name]} saknas")
        elif len(value) > LIMITS[name]:
            problems.append(f"{LABELS_SV[name]} är längre än {LIMITS[name]} tecken")
        elif any(ord(c) < 32 and c not in "\t" for c in value):
            problems.append(f"{LABELS_SV[name]} innehåller otillåtna tecken")
    if problems or day is None:
        return None, problems
    return DelegationEntry(decided_on=day, **values), []


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Excel's "CSV" on Swedish Windows writes Windows-1252.
        return data.decode("cp1252", errors="replace")


def read_csv(data: bytes) -> tuple[list[tuple[int, RawEntry]], list[str]]:
    """Reads a file of delegationsbeslut: each row with its line number, or the file's problems."""
    if len(data) > MAX_FILE_BYTES:
        return [], [f"Filen är större än {MAX_FILE_BYTES // 1024} kB."]
    text = _decode(data)
    if "\x00" in text:
        return [], ["Filen är inte en CSV-fil (textfil med semikolon mellan kolumnerna)."]
    lines = text.splitlines()
    first = next((line for line in lines if line.strip()), "")
    if not first:
        return [], ["Filen är tom."]
    delimiter = ";" if first.count(";") >= first.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error:
        return [], [
            f"Rad {reader.line_num}: raden kan inte läsas (citattecken som inte avslutas?)."
        ]
    header_line, header = next(((n, r) for n, r in rows if any(c.strip() for c in r)), (0, []))
    names = [c.strip().lower() for c in header]
    columns: dict[str, int] = {}
    for field, accepted in HEADERS.items():
        found = [i for i, name in enumerate(names) if name in accepted]
        if found:
            columns[field] = found[0]
    if missing := [LABELS_SV[f] for f in HEADERS if f not in columns]:
        return [], [
            f"Rad {header_line}: rubrikraden saknar kolumnen {', '.join(missing)}. "
            f"Första raden ska vara {HEADER_SV}."
        ]
    entries = []
    for number, row in rows:
        if number <= header_line or not any(c.strip() for c in row):
            continue
        cells = {f: (row[i] if i < len(row) else "") for f, i in columns.items()}
        entries.append((number, RawEntry(**cells)))
    if not entries:
        return [], ["Filen har inga delegationsbeslut under rubrikraden."]
    if len(entries) > MAX_ROWS:
        return [], [f"Filen har {len(entries)} beslut; högst {MAX_ROWS} kan läsas in åt gången."]
    return entries, []


def _refuse_if_locked(
    session: Session, config: ArshjulConfig, committee_id: str, meeting: dt.date
) -> None:
    row = ensure_meeting(session, config, committee_id, meeting)
    if row.justerat_at is not None:
        raise ProtocolError(
            "the protocol is justerat",
            "Protokollet är justerat; inga delegationsbeslut kan anmälas eller tas bort.",
        )


def add_delegations(
    session: Session,
    config: ArshjulConfig,
    committee_id: str,
    meeting: dt.date,
    rows: list[tuple[int | None, RawEntry]],
    *,
    by: str,
) -> int:
    """Checks every decision, then adds them all to the meeting's delegation §; returns how
    many. `rows` carry their file line numbers (None for one typed on the page)."""
    _refuse_if_locked(session, config, committee_id, meeting)
    repo = DelegationRepository(session)
    org_id = config.organisation.id
    paragraph = repo.paragraph(org_id=org_id, committee_id=committee_id, meeting=meeting)
    known = (
        {e.reference.casefold() for e in repo.entries(paragraph_id=paragraph.id)}
        if paragraph
        else set()
    )
    problems, entries = [], []
    for number, raw in rows:
        entry, wrong = _check(raw, meeting)
        if entry is not None and entry.reference.casefold() in known:
            wrong = [f"beteckningen {entry.reference} är redan anmäld vid sammanträdet"]
            entry = None
        if entry is not None:
            known.add(entry.reference.casefold())
            entries.append(entry)
        if wrong:
            where = f"Rad {number}" if number is not None else "Beslutet"
            problems.append(f"{where}: {'; '.join(wrong)}.")
    if problems:
        lead = (
            "Inget av filen är inläst. Rätta raderna och läs in filen igen."
            if any(n is not None for n, _ in rows)
            else "Delegationsbeslutet är inte sparat."
        )
        raise DelegationRefused(f"{len(problems)} bad delegation rows", problems, lead)
    repo.add(org_id=org_id, committee_id=committee_id, meeting=meeting, entries=entries, by=by)
    return len(entries)


def remove_delegation(
    session: Session, config: ArshjulConfig, committee_id: str, meeting: dt.date, entry_id: int
) -> None:
    """Removes one reported decision before justering."""
    _refuse_if_locked(session, config, committee_id, meeting)
    repo = DelegationRepository(session)
    paragraph = repo.paragraph(
        org_id=config.organisation.id, committee_id=committee_id, meeting=meeting
    )
    if paragraph is None or not repo.remove(paragraph_id=paragraph.id, entry_id=entry_id):
        raise ProtocolError(
            f"no delegation decision {entry_id}", "Delegationsbeslutet finns inte vid sammanträdet."
        )
