"""Compiling by itself: the Sammanställning of a report period once every report is in.

Called after each submission. It compiles only when every submitter's round holds a submitted
version, and only once per set of versions: a resubmission (a new version) compiles again, an
approval of the same versions does not.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json

from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig
from arshjul.compile.gather import find_report, submitters
from arshjul.compile.model import CompileReportInput
from arshjul.compile.service import compile_and_store
from arshjul.models.agenda import CompileWhenCompleteResult
from arshjul.models.rounds import RoundState
from arshjul.store.repositories import CompilationRepository, RoundRepository

WAITING = {str(RoundState.OPEN), str(RoundState.REMITTED)}
AUTO_FORMAT = "html"  # readable on the agenda and printable; the ekonomichef makes DOCX on demand


def versions_in(
    session: Session, config: ArshjulConfig, report_id: str, period: str
) -> tuple[list[tuple[str, int]], list[str]]:
    """Returns the (unit, submission id) each round holds, and the submitters still missing."""
    report = find_report(config, report_id, period)
    rounds = {
        r.unit_id: r
        for r in RoundRepository(session).list(
            org_id=config.organisation.id, report_id=report_id, period=period
        )
    }
    held: list[tuple[str, int]] = []
    missing: list[str] = []
    for unit_id, _ in submitters(config, report):
        row = rounds.get(unit_id)
        if row is not None and row.state == str(RoundState.CANCELLED):
            continue  # a cancelled round is not waited for
        if row is None or row.state in WAITING or row.submission_id is None:
            missing.append(unit_id)
        else:
            held.append((unit_id, row.submission_id))
    return held, missing


def versions_key(held: list[tuple[str, int]]) -> str:
    """Returns the key of a set of versions: the same versions give the same key."""
    return hashlib.sha256(json.dumps(sorted(held)).encode()).hexdigest()


def compile_when_complete(
    session: Session, config: ArshjulConfig, report_id: str, period: str, *, today: dt.date
) -> CompileWhenCompleteResult:
    """Compiles the report period if every report is in and these versions have no compilation."""
    held, missing = versions_in(session, config, report_id, period)
    if missing or not held:
        return CompileWhenCompleteResult(complete=False, missing=missing)
    key = versions_key(held)
    repo = CompilationRepository(session)
    existing = repo.find_by_key(
        org_id=config.organisation.id, report_id=report_id, period=period, key=key
    )
    if existing is not None:
        return CompileWhenCompleteResult(complete=True, compilation_id=existing.id)
    request = CompileReportInput(
        report_id=report_id, period=period, format=AUTO_FORMAT, requested_by="system", key=key
    )
    result = compile_and_store(session, config, request, today=today)
    return CompileWhenCompleteResult(
        complete=True, compiled=True, compilation_id=result.compilation_id
    )
