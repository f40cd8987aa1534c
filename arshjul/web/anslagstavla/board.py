"""`/anslagstavla`: the kommun's digital anslagstavla, public (no login), with its Atom feed and the
justerade protocols on it to download.

KL 8 kap. 9–12 §§: the anslagstavla announces that a protocol is justerat, where it is kept and
until when it can be appealed, from the anslag day until the appeal time is out. A protocol is
served here only while its notice is on the board; after that the notice is listed under
"Tidigare anslag" and the protocol is read where it is kept (the archive copy stays in the store).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Request
from fastapi.responses import Response

from arshjul.protocol.render import PDF_MEDIA_TYPE
from arshjul.web.anslagstavla.atom import MEDIA_TYPE, board_feed, summary_sv
from arshjul.web.anslagstavla.notices import public_pdf, read_board
from arshjul.web.core.clock import today_local
from arshjul.web.core.deps import WebState, web_state
from arshjul.web.pages.errors import error_response
from arshjul.web.pages.templating import render

router = APIRouter(include_in_schema=False)
# A notice comes down at midnight: no cache may keep serving the protocol or the feed after.
FRESH = {"Cache-Control": "no-cache"}
TAKEN_DOWN_SV = (
    "Anslaget är nedtaget eftersom tiden för överklagande har gått ut. "
    "Protokollet finns kvar i arkivet och kan begäras ut där det förvaras."
)


@router.get("/anslagstavla")
async def board_page(request: Request, state: WebState = Depends(web_state)) -> Response:
    """Shows the notices on the board today and those taken down in the last year."""
    config = state.config
    board = await state.db(read_board, config, today_local(state))
    return render(
        request,
        "anslagstavla.html",
        title="Anslagstavla",
        board=board,
        org_name=config.organisation.name,
        summary_sv=summary_sv,
    )


@router.get("/anslagstavla/atom.xml")
async def board_atom(state: WebState = Depends(web_state)) -> Response:
    """The notices on the board as an Atom feed."""
    config = state.config
    board = await state.db(read_board, config, today_local(state))
    feed = board_feed(
        board,
        org_id=config.organisation.id,
        org_name=config.organisation.name,
        base_url=state.settings.base_url,
        timezone=config.organisation.timezone,
    )
    return Response(feed, media_type=MEDIA_TYPE, headers=FRESH)


@router.get("/anslagstavla/{notice_id}.pdf")
async def board_pdf(
    request: Request,
    notice_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
    state: WebState = Depends(web_state),
) -> Response:
    """The justerat protocol (its archive copy) while its notice is on the board."""
    notice, content = await state.db(public_pdf, state.config, notice_id, today_local(state))
    if notice is None:
        raise HTTPException(404, "no notice on the anslagstavla")
    if content is None:
        return error_response(
            request, 410, "notice taken down", title="Anslaget är nedtaget", text=TAKEN_DOWN_SV
        )
    return Response(
        content,
        media_type=PDF_MEDIA_TYPE,
        headers={"Content-Disposition": f'inline; filename="{notice.pdf_name}"', **FRESH},
    )
