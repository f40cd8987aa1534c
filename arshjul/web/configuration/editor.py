"""`/installningar/yaml`: the newest version's text in a textarea. What does not load is shown
line by line on the same page (the text kept); what loads goes to the preview."""

from __future__ import annotations

from typing import Annotated

import anyio
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from arshjul.calendar.config_text import config_yaml
from arshjul.store import configuration as store
from arshjul.web.auth.csrf import check_csrf
from arshjul.web.auth.user import WebUser
from arshjul.web.configuration.flow import (
    MAX_TEXT,
    Located,
    Proposal,
    load_problems,
    owner,
    preview_page,
)
from arshjul.web.core.deps import WebState, web_state
from arshjul.web.pages.templating import render

router = APIRouter(include_in_schema=False)


def _newest_text(session: Session) -> tuple[str | None, int | None]:
    newest = store.get(session)
    return (newest.text, newest.version) if newest is not None else (None, None)


async def _editor(
    request: Request,
    state: WebState,
    text: str,
    base: int | None,
    problems: list[Located] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "installningar_yaml.html",
        status_code,
        title="Redigera årshjulet som YAML",
        text=text,
        base=base,
        problems=problems or [],
        lines=text.count("\n") + 1,
    )


@router.get("/installningar/yaml")
async def yaml_page(
    request: Request,
    user: WebUser = Depends(owner),
    state: WebState = Depends(web_state),
) -> Response:
    """Shows the newest version's text to edit."""
    text, base = await state.db(_newest_text)
    return await _editor(request, state, text or config_yaml(state.config), base)


@router.post("/installningar/yaml", dependencies=[Depends(check_csrf)])
async def yaml_check(
    request: Request,
    text: Annotated[str, Form(max_length=MAX_TEXT)] = "",
    base: Annotated[str, Form(max_length=12)] = "",
    user: WebUser = Depends(owner),
    state: WebState = Depends(web_state),
) -> Response:
    """Checks the edited text: problems in place with their line numbers, else the preview."""
    number = int(base) if base.isdigit() else None
    # Line breaks as the browser sends them (CRLF) would make every line differ from the stored.
    text = text.replace("\r\n", "\n")
    config, problems = await anyio.to_thread.run_sync(load_problems, text)
    if config is None:
        return await _editor(request, state, text, number, problems, 422)
    proposal = Proposal(text, number, "web:yaml", "Ändrat i YAML-redigeringen", typed=True)
    return await preview_page(request, state, proposal)


@router.post("/installningar/yaml/tillbaka", dependencies=[Depends(check_csrf)])
async def yaml_back(
    request: Request,
    proposal: Annotated[str, Form(max_length=MAX_TEXT)] = "",
    base: Annotated[str, Form(max_length=12)] = "",
    user: WebUser = Depends(owner),
    state: WebState = Depends(web_state),
) -> Response:
    """Opens a carried proposal in the editor (from the preview or a refused save)."""
    return await _editor(request, state, proposal, int(base) if base.isdigit() else None)
