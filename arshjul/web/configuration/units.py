"""`/installningar/enheter`: the units with chef, nämnd and ledger codes; a new chef (name and
e-mail) goes through the preview like every other change."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, HTTPException, Path, Request
from fastapi.responses import Response

from arshjul.web.auth.csrf import check_csrf
from arshjul.web.auth.user import WebUser
from arshjul.web.configuration.flow import Proposal, editing, owner, preview_page
from arshjul.web.core.deps import WebState, web_state
from arshjul.web.core.inputs import CleanText, person_from_form
from arshjul.web.pages.templating import render

router = APIRouter(include_in_schema=False)
Slug = Annotated[str, Path(max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")]


async def _units(
    request: Request,
    state: WebState,
    *,
    problems: dict[str, list[str]] | None = None,
    fields: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    config, _ = await editing(state)
    return render(
        request,
        "installningar_enheter.html",
        status_code,
        title="Enheter",
        config=config,
        committees={c.id: c.name for c in config.committees},
        problems=problems or {},
        fields=fields or {},
    )


@router.get("/installningar/enheter")
async def units_page(
    request: Request,
    user: WebUser = Depends(owner),
    state: WebState = Depends(web_state),
) -> Response:
    """Lists the units with chef, nämnd and ledger codes, each with a form for a new chef."""
    return await _units(request, state)


@router.post("/installningar/enheter/{unit_id}/chef", dependencies=[Depends(check_csrf)])
async def change_chef(
    request: Request,
    unit_id: Slug,
    name: Annotated[CleanText, Form(max_length=200)] = "",
    email: Annotated[str, Form(max_length=254)] = "",
    user: WebUser = Depends(owner),
    state: WebState = Depends(web_state),
) -> Response:
    """Previews a unit's new chef; a missing name or a malformed address is refused in place."""
    config, base = await editing(state)
    index = next((i for i, u in enumerate(config.units) if u.id == unit_id), None)
    if index is None:
        raise HTTPException(404, "no such unit")
    unit = config.units[index]
    chef, problems = person_from_form(name, email, "Chefens")
    if chef is None:
        fields = {f"name-{unit_id}": name, f"email-{unit_id}": email}
        return await _units(
            request, state, problems={unit_id: problems}, fields=fields, status_code=422
        )
    if chef == unit.chef:
        return await _units(
            request,
            state,
            problems={unit_id: [f"{chef.name} är redan chef för {unit.name}."]},
            status_code=422,
        )
    units = list(config.units)
    units[index] = unit.model_copy(update={"chef": chef})
    new = config.model_copy(update={"units": units})
    summary = f"Ny chef för {unit.name}: {chef.name} ({chef.email})"
    return await preview_page(request, state, Proposal.of_config(new, base, "web:units", summary))
