"""One compilation from start to end: gather from the store, build, render, and optionally store."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig
from arshjul.compile.build import build_document
from arshjul.compile.gather import CompileError, gather_inputs, rebuild_inputs
from arshjul.compile.html import render_html
from arshjul.compile.model import (
    CompiledDocument,
    CompileInputs,
    CompileReportInput,
    CompileReportResult,
    OutputFormat,
    UnitStatus,
)
from arshjul.compile.word import render_docx
from arshjul.store.db import utc_now
from arshjul.store.repositories import CompilationRepository

MEDIA_TYPES: dict[str, str] = {
    "html": "text/html; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@dataclass(frozen=True)
class Rendered:
    """A rendered compilation with the inputs and document it came from."""

    inputs: CompileInputs
    document: CompiledDocument
    format: OutputFormat
    content: bytes

    @property
    def sha256(self) -> str:
        """The content's SHA-256 in hex."""
        return hashlib.sha256(self.content).hexdigest()

    def filename(self) -> str:
        """A file name for downloads, e.g. "delarsrapport-2026-08.docx"."""
        return f"{self.document.report_id}-{self.document.period}.{self.format}"


def render(
    document: CompiledDocument, fmt: OutputFormat, *, created: dt.datetime | None = None
) -> bytes:
    """Renders a compiled document in the given format (`created` goes into a DOCX's metadata)."""
    if fmt == "docx":
        return render_docx(document, created=created)
    return render_html(document).encode()


def compile_report(
    session: Session,
    config: ArshjulConfig,
    report_id: str,
    period: str,
    fmt: OutputFormat,
    *,
    today: dt.date,
    now: dt.datetime | None = None,
) -> Rendered:
    """Compiles a report period from the store; raises CompileError for a bad report or period."""
    inputs = gather_inputs(session, config, report_id, period, today=today)
    document = build_document(inputs)
    return Rendered(inputs, document, fmt, render(document, fmt, created=now))


def provenance(rendered: Rendered, today: dt.date) -> dict[str, Any]:
    """Returns what a stored compilation was built from: every version used, every unit's state."""
    units = rendered.inputs.units
    return {
        "submissions": [
            {
                "id": u.submission.submission_id,
                "version": u.submission.version,
                "sha256": u.submission.sha256,
                "unit_id": u.unit_id,
                "approved": u.submission.approved,
            }
            for u in units
            if u.submission is not None
        ],
        "units": [
            {
                "unit_id": u.unit_id,
                "state": u.state.value if u.state else None,
                "due": u.due.isoformat() if u.due else None,
                "late": u.late,
            }
            for u in units
        ],
        "forecast_history": [p.model_dump(mode="json") for p in rendered.inputs.forecast_history],
        "today": today.isoformat(),
        "draft": rendered.document.draft,
    }


def compile_and_store(
    session: Session, config: ArshjulConfig, request: CompileReportInput, *, today: dt.date
) -> CompileReportResult:
    """Compiles and stores the result with its inputs' versions; the caller commits."""
    now = utc_now()
    rendered = compile_report(
        session, config, request.report_id, request.period, request.format, today=today, now=now
    )
    row = CompilationRepository(session).add(
        org_id=config.organisation.id,
        report_id=request.report_id,
        period=request.period,
        format=request.format,
        content=rendered.content,
        sha256=rendered.sha256,
        inputs={**provenance(rendered, today), "key": request.key},
        created_by=request.requested_by,
        created_at=now,
    )
    return CompileReportResult(
        compilation_id=row.id,
        format=request.format,
        sha256=rendered.sha256,
        size=len(rendered.content),
        draft=rendered.document.draft,
        empty=rendered.document.empty,
        not_approved=[
            s.unit_name for s in rendered.document.status if s.status != UnitStatus.APPROVED
        ],
    )


def reproduce(session: Session, config: ArshjulConfig, compilation_id: int) -> Rendered:
    """Renders a stored compilation again from the exact versions and states it was built from."""
    row = CompilationRepository(session).get(compilation_id=compilation_id)
    if row is None:
        raise CompileError(f"no compilation {compilation_id}")
    inputs = rebuild_inputs(session, config, row.report_id, row.period, row.inputs)
    document = build_document(inputs)
    fmt: OutputFormat = "docx" if row.format == "docx" else "html"
    return Rendered(inputs, document, fmt, render(document, fmt, created=row.created_at))
