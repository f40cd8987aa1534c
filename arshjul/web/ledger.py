"""`/ekonomi/import`: the ekonomichef reads a ledger file (SIE 4, CSV, XLSX) for a period.

The figures go into the economic section of each unit's form; a refused file changes nothing
and every problem is listed with its line or row.
"""

from __future__ import annotations

import logging
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, HTTPException, Query, Request, UploadFile
from fastapi.responses import Response
from sqlalchemy.orm import Session

from arshjul.calendar.config import OWNER_ROLE
from arshjul.ledger.errors import LedgerError
from arshjul.ledger.figures import economic_periods
from arshjul.ledger.sample import sample_csv
from arshjul.ledger.service import ImportOutcome, import_file
from arshjul.store.ledger import LedgerRepository
from arshjul.web.auth.csrf import check_csrf
from arshjul.web.auth.current import require_roles
from arshjul.web.auth.user import WebUser
from arshjul.web.core.clock import today_local
from arshjul.web.core.deps import WebState, web_state
from arshjul.web.core.inputs import period_choices
from arshjul.web.pages.templating import render

router = APIRouter(prefix="/ekonomi", include_in_schema=False)
log = logging.getLogger(__name__)
NO_CODES_SV = (
    "Ingen enhet har koder för ekonomisystemet i konfigurationen, så en fil har inget att fylla "
    "i. Enheterna fyller i budget och utfall själva."
)


def _recent(session: Session, org_id: str) -> list[Any]:
    return LedgerRepository(session).recent(org_id=org_id)


async def _page(
    request: Request,
    state: WebState,
    *,
    status: int = 200,
    period: str = "",
    outcome: ImportOutcome | None = None,
    problems: list[str] | None = None,
) -> Response:
    config = state.config
    names = {u.id: u.name for u in config.units}
    figures: list[dict[str, Any]] = []
    if outcome is not None:
        figures = [
            {
                "name": names.get(f.unit_id, f.unit_id),
                "codes": ", ".join(f.codes),
                "budget": f.budget_tkr,
                "utfall": f.utfall_tkr,
            }
            for f in outcome.figures
        ]
    recent = await state.db(_recent, config.organisation.id)
    today = today_local(state)
    periods = period_choices(sorted(economic_periods(config), reverse=True), today)  # newest first
    return render(
        request,
        "ledger_import.html",
        status,
        title="Ekonomidata från ekonomisystemet",
        periods=periods,
        # In the demonstration (`arshjul up`, mail kept on disk) a made-up export of the newest
        # period begun, whose rounds are open, lets a newcomer try the import.
        sample_period=next((p for p, _ in periods if p <= f"{today:%Y-%m}"), None)
        if state.settings.dev_maildir is not None
        else None,
        period=period,
        outcome=outcome,
        figures=figures,
        problems=problems or [],
        recent=recent,
        without_codes=[u.name for u in config.units if not u.ledger_codes],
        # With no codes at all every file would be refused: the page says what to configure.
        any_codes=any(u.ledger_codes for u in config.units),
    )


@router.get("/import")
async def page(
    request: Request,
    user: WebUser = Depends(require_roles(OWNER_ROLE)),
    state: WebState = Depends(web_state),
) -> Response:
    """Shows the upload form and the latest imports."""
    return await _page(request, state)


@router.get("/exempel.csv")
async def sample(
    period: Annotated[str, Query(pattern=r"^\d{4}-(0[1-9]|1[0-2])$")],
    user: WebUser = Depends(require_roles(OWNER_ROLE)),
    state: WebState = Depends(web_state),
) -> Response:
    """Downloads the demonstration's made-up ledger export for a period (only in the demo)."""
    if state.settings.dev_maildir is None:
        raise HTTPException(404, "samples are only served in the demonstration")
    name = f"exempel-{state.config.organisation.id}-{period}.csv"
    return Response(
        sample_csv(state.config, period),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/import", dependencies=[Depends(check_csrf)])
async def upload(
    request: Request,
    file: Annotated[UploadFile, File()],
    period: Annotated[str, Form(max_length=7)] = "",
    user: WebUser = Depends(require_roles(OWNER_ROLE)),
    state: WebState = Depends(web_state),
) -> Response:
    """Imports the file for the period; a refused file is listed problem by problem."""
    if not any(u.ledger_codes for u in state.config.units):
        return await _page(request, state, status=400, period=period, problems=[NO_CODES_SV])
    name = (file.filename or "fil").rsplit("/", 1)[-1].rsplit("\\", 1)[-1][:200]
    data = await file.read(state.limits.max_request_bytes + 1)
    if len(data) > state.limits.max_request_bytes:
        too_big = f"{name}: filen är större än {state.limits.max_request_bytes // 1_000_000} MB. "
        too_big += "Läs in den med kommandot arshjul import economy, eller exportera SIE typ 3."
        return await _page(request, state, status=413, period=period, problems=[too_big])
    try:
        # Parsing and storing in one database thread: committed only when the whole file is good.
        outcome = await state.db(
            import_file, state.config, data=data, file_name=name, period=period, actor=user.email
        )
    except LedgerError as err:
        log.info("ledger file refused: %s", err.english().replace("\n", "; "))
        return await _page(request, state, status=400, period=period, problems=err.swedish())
    return await _page(request, state, period=period, outcome=outcome)
