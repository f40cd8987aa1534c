"""Importing a ledger file: read and check it, then store its figures once."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig
from arshjul.ledger.errors import LedgerWarnings
from arshjul.ledger.figures import UnitFigures
from arshjul.ledger.reader import ReadFile, read_figures
from arshjul.store.ledger import LedgerRepository
from arshjul.store.models import LedgerImport
from arshjul.store.rounds import AuditRepository


@dataclass(frozen=True)
class ImportOutcome:
    """What an import did: the record, the figures, whether the file was already in, and the
    lines it did not read (warnings, shown beside the figures)."""

    record: LedgerImport
    figures: list[UnitFigures]
    already_imported: bool
    warnings: LedgerWarnings


def import_file(
    session: Session,
    config: ArshjulConfig,
    *,
    data: bytes,
    file_name: str,
    period: str,
    actor: str,
) -> ImportOutcome:
    """Reads a ledger file and stores its figures for the period (once per file and period).

    Raises LedgerError, with nothing stored, when the file cannot be used. The caller commits.
    """
    read = read_figures(config, data, file_name, period)
    sha256 = hashlib.sha256(data).hexdigest()
    org_id = config.organisation.id
    repo = LedgerRepository(session)
    existing = repo.find(org_id=org_id, period=period, sha256=sha256)
    if existing is not None:
        return ImportOutcome(existing, read.figures, True, read.warnings)
    try:
        with session.begin_nested():
            record = _store(repo, read, org_id, period, file_name, sha256, actor)
    except IntegrityError:
        # The same file for the same period, imported a moment ago by someone else.
        existing = repo.find(org_id=org_id, period=period, sha256=sha256)
        if existing is None:
            raise
        return ImportOutcome(existing, read.figures, True, read.warnings)
    unread = f", {_unread(read)} lines of other years not read" if read.warnings else ""
    AuditRepository(session).append(
        actor=actor,
        action="ledger_imported",
        detail=f"{read.source}: period {period}, {len(read.figures)} units{unread}, "
        f"sha256 {sha256[:16]}",
    )
    return ImportOutcome(record, read.figures, False, read.warnings)


def _unread(read: ReadFile) -> int:
    # The first warning is the summary of the others.
    return max(0, len(read.warnings) - 1)


def _store(
    repo: LedgerRepository,
    read: ReadFile,
    org_id: str,
    period: str,
    file_name: str,
    sha256: str,
    actor: str,
) -> LedgerImport:
    return repo.add(
        org_id=org_id,
        period=period,
        file_name=file_name,
        file_format=read.file_format,
        sha256=sha256,
        source=read.source,
        generated_on=read.generated_on,
        imported_by=actor,
        figures=read.figures,
        warning_count=_unread(read),
        warnings=read.warnings.swedish() if read.warnings else (),
    )
