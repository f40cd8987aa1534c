"""`/sammanstallning`: the ekonomichef compiles a report period to Word or HTML and downloads it."""

from __future__ import annotations

import logging
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.demo import DEMO_REPORT_ID, demo_report
from arshjul.compile.gather import CompileError, find_report
from arshjul.compile.html import with_way_back
from arshjul.compile.model import CompileReportInput
from arshjul.compile.service import MEDIA_TYPES, compile_and_store
from arshjul.store.repositories import CompilationRepository
from arshjul.store.rounds import demo_periods
from arshjul.swedish import month_sv
from arshjul.web.auth.csrf import check_csrf
from arshjul.web.auth.current import require_roles
from arshjul.web.auth.user import WebUser
from arshjul.web.core.clock import today_local
from arshjul.web.core.deps import WebState, web_state
from arshjul.web.core.inputs import CleanText, period_choices
from arshjul.web.pages.templating import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
ROLES = ("ekonomichef",)
FORMATS = {
    "docx": "Word (.docx) för vidare redigering",
    "html": "Webbsida (HTML), för utskrift som PDF",
}


def _compilation(session: Session, compilation_id: int) -> Any:
    return CompilationRepository(session).get(compilation_id=compilation_id)


def compilable_reports(config: ArshjulConfig) -> list[Any]:
    """Lists the reports that can be compiled: units submit them for periods of the year."""
    return [r for r in config.reports if r.period_months and r.submitters.units]


def _stored(session: Session, **where: str) -> list[Any]:
    return CompilationRepository(session).list(**where)


async def _page(
    request: Request,
    state: WebState,
    *,
    report_id: str = "",
    period: str = "",
    fmt: str = "docx",
    error: str | None = None,
    status: int = 200,
) -> Response:
    config = state.config
    # The demonstration `up` opened compiles like a report of the configuration.
    demo = await state.db(demo_periods, config.organisation.id)
    reports = compilable_reports(config) + ([demo_report(config)] if demo else [])
    report = next((r for r in reports if r.id == report_id), None)
    today = today_local(state)
    periods = period_choices(sorted(report.period_months), today) if report is not None else []
    if report is not None and report.id == DEMO_REPORT_ID:
        periods = [(p, month_sv(p)) for p in demo]
    stored = []
    if report is not None and period:
        org_id = config.organisation.id
        stored = await state.db(_stored, report_id=report_id, period=period, org_id=org_id)
    return render(
        request,
        "sammanstallning.html",
        status,
        title="Sammanställning",
        reports=reports,
        report=report,
        periods=periods,
        formats=FORMATS,
        report_id=report_id,
        period=period,
        fmt=fmt,
        error=error,
        stored=stored,
        report_title=report.title if report is not None else report_id,
    )


@router.get("/sammanstallning")
async def page(
    request: Request,
    report: str = "",
    period: str = "",
    user: WebUser = Depends(require_roles(*ROLES)),
    state: WebState = Depends(web_state),
) -> Response:
    """Shows the report choice, then that report's periods and its compilations."""
    return await _page(request, state, report_id=report, period=period)


@router.post("/sammanstallning", dependencies=[Depends(check_csrf)])
async def compile_now(
    request: Request,
    report: Annotated[CleanText, Form(max_length=64)] = "",
    period: Annotated[CleanText, Form(max_length=7)] = "",
    format: Annotated[CleanText, Form(max_length=8)] = "docx",
    user: WebUser = Depends(require_roles(*ROLES)),
    state: WebState = Depends(web_state),
) -> Response:
    """Compiles the chosen report period, stores it, and opens it (HTML) or downloads it (Word)."""
    config = state.config
    if format not in FORMATS:
        return await _page(
            request,
            state,
            report_id=report,
            period=period,
            error="Välj Word eller HTML.",
            status=400,
        )
    try:
        find_report(config, report, period)
    except CompileError:
        return await _page(
            request,
            state,
            report_id=report,
            period=period,
            fmt=format,
            error="Välj en rapport och en av dess perioder.",
            status=400,
        )
    request_model = CompileReportInput.model_validate(
        {"report_id": report, "period": period, "format": format, "requested_by": user.email}
    )
    # Seconds of charts and tables: in a database thread, committed when it returns.
    result = await state.db(compile_and_store, config, request_model, today=today_local(state))
    log.info(
        "compiled %s %s as %s: compilation %s (draft=%s) by %s",
        report,
        period,
        format,
        result.compilation_id,
        result.draft,
        user.email,
    )
    # The document itself: an empty one says so on its first page; the list keeps every one.
    return RedirectResponse(f"/sammanstallning/{result.compilation_id}", 303)


@router.get("/sammanstallning/{compilation_id}")
async def download(
    compilation_id: int,
    user: WebUser = Depends(require_roles(*ROLES)),
    state: WebState = Depends(web_state),
) -> Response:
    """Serves a stored compilation: HTML to read and print, DOCX to download."""
    row = await state.db(_compilation, compilation_id)
    if row is None or row.org_id != state.config.organisation.id:
        raise HTTPException(404, "no such compilation")
    name = f"{row.report_id}-{row.period}-{row.id}.{row.format}"
    disposition = "attachment" if row.format == "docx" else "inline"
    content = row.content
    if row.format == "html":
        back = f"/sammanstallning?{urlencode({'report': row.report_id, 'period': row.period})}"
        content = with_way_back(content, back, "Tillbaka till Sammanställning")
    return Response(
        content,
        media_type=MEDIA_TYPES.get(row.format, "application/octet-stream"),
        headers={"Content-Disposition": f'{disposition}; filename="{name}"'},
    )
