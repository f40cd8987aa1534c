"""The overview's table as a file: Excel (openpyxl) or CSV, holding the rows the filters keep."""

from __future__ import annotations

import csv
import io
from typing import Any

import anyio
from fastapi import APIRouter, Depends
from fastapi.responses import Response

from arshjul.swedish import month_sv
from arshjul.web.auth.current import require_roles
from arshjul.web.auth.user import WebUser
from arshjul.web.core.clock import today_local, year_of
from arshjul.web.core.deps import WebState, web_state
from arshjul.web.overview.page import filters_from
from arshjul.web.overview.rows import Filters, filtered, status_rows

router = APIRouter(include_in_schema=False)
HEADERS = ("Rapport", "Period", "Enhet", "Öppnar", "Sista dag", "Status", "Sammanträde")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _rows(state: WebState, year: int | None, f: Filters) -> list[dict[str, Any]]:
    rows = await state.db(status_rows, state.config, year_of(state, year), today_local(state))
    return filtered(rows, f)


def _filename(state: WebState, year: int | None, suffix: str) -> str:
    return f"arshjul-{state.config.organisation.id}-{year_of(state, year)}.{suffix}"


@router.get("/oversikt.csv")
async def export_csv(
    year: int | None = None,
    f: Filters = Depends(filters_from),
    user: WebUser = Depends(require_roles()),
    state: WebState = Depends(web_state),
) -> Response:
    """Returns the filtered table as CSV for Swedish Excel (semicolons, UTF-8 with BOM)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for r in await _rows(state, year, f):
        writer.writerow(
            [
                r["report_title"],
                month_sv(r["period"]),
                r["unit_name"],
                r["opens"].isoformat(),
                r["due"].isoformat(),
                r["status_label"],
                r["meeting"].isoformat() if r["meeting"] else "",
            ]
        )
    name = _filename(state, year, "csv")
    return Response(
        "\ufeff" + out.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get("/oversikt.xlsx")
async def export_xlsx(
    year: int | None = None,
    f: Filters = Depends(filters_from),
    user: WebUser = Depends(require_roles()),
    state: WebState = Depends(web_state),
) -> Response:
    """Returns the filtered table as an Excel workbook: real dates, a filter row, frozen header."""
    rows = await _rows(state, year, f)
    data = await anyio.to_thread.run_sync(_workbook, rows, year_of(state, year))
    name = _filename(state, year, "xlsx")
    return Response(
        data,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _workbook(rows: list[dict[str, Any]], year: int) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = f"Årshjul {year}"
    sheet.append(HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for r in rows:
        sheet.append(
            [
                r["report_title"],
                month_sv(r["period"]),
                r["unit_name"],
                r["opens"],
                r["due"],
                r["status_label"],
                r["meeting"],
            ]
        )
    for column in ("D", "E", "G"):
        for cell in sheet[column][1:]:
            cell.number_format = "yyyy-mm-dd"
    for column, width in zip("ABCDEFG", (28, 16, 36, 12, 12, 18, 14), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    data = io.BytesIO()
    book.save(data)
    return data.getvalue()
