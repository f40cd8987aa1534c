"""`/installningar`: the version in use and the last ones, each version's text, a comparison of
two versions field by field, and restoring one (through the same preview and confirm)."""

from __future__ import annotations

import difflib
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from arshjul.calendar.config_diff import changes_sv, diff_configs
from arshjul.store import configuration as store
from arshjul.web.auth.csrf import check_csrf
from arshjul.web.auth.user import WebUser
from arshjul.web.configuration.flow import Proposal, owner, preview_page, source_sv
from arshjul.web.core.deps import WebState, web_state
from arshjul.web.pages.templating import render

router = APIRouter(include_in_schema=False)
Version = Annotated[int, Path(ge=1, le=1_000_000_000)]
SECTIONS = [
    (
        "/installningar/organ",
        "Organ och sammanträden",
        "Nämnder, utskott och deras sammanträden år för år; läs in nästa års sammanträdesplan.",
    ),
    (
        "/installningar/enheter",
        "Enheter",
        "Förvaltningar och bolag med chef, nämnd och ansvarskoder.",
    ),
    (
        "/installningar/yaml",
        "Redigera som YAML",
        "Rapporter, perioder, datumregler, beslutsgångar och allt annat, som text.",
    ),
]


def _home(session: Session) -> tuple[store.StoredConfig | None, list[store.VersionLine]]:
    return store.get(session), store.history(session, limit=20)


@router.get("/installningar")
async def settings_home(
    request: Request,
    user: WebUser = Depends(owner),
    state: WebState = Depends(web_state),
) -> Response:
    """Shows the version in use (number, who, when, why), the last versions and the sections."""
    current, lines = await state.db(_home)
    return render(
        request,
        "installningar.html",
        title="Inställningar för årshjulet",
        current=current,
        lines=lines,
        sections=SECTIONS,
        source_sv=source_sv,
        organisation=state.config.organisation,
    )


def _version(session: Session, version: int) -> store.StoredConfig:
    found = store.get(session, version)
    if found is None:
        raise HTTPException(404, "no such version")
    return found


@router.get("/installningar/versioner/{version}")
async def version_page(
    request: Request,
    version: Version,
    user: WebUser = Depends(owner),
    state: WebState = Depends(web_state),
) -> Response:
    """Shows one version: who saved it, when and why, and its text."""
    found = await state.db(_version, version)
    lines = await state.db(store.history, 100)
    current = await state.db(store.current_version)
    return render(
        request,
        "installningar_version.html",
        title=f"Version {version}",
        v=found,
        lines=[line for line in lines if line.version != version],
        current=current,
        source_sv=source_sv,
    )


@router.get("/installningar/versioner/{version}/jamfor")
async def compare(
    request: Request,
    version: Version,
    med: Annotated[int | None, Query(ge=1, le=1_000_000_000)] = None,
    user: WebUser = Depends(owner),
    state: WebState = Depends(web_state),
) -> Response:
    """Compares a version with another (default the one before it), field by field and as text."""
    other = med if med is not None else version - 1
    if other < 1:
        raise HTTPException(404, "no earlier version")
    new = await state.db(_version, version)
    old = await state.db(_version, other)
    # Older first, whichever way round they were asked for.
    if old.version > new.version:
        old, new = new, old
    changes = diff_configs(old.config, new.config)
    text_diff = list(
        difflib.unified_diff(
            old.text.splitlines(),
            new.text.splitlines(),
            f"version {old.version}",
            f"version {new.version}",
            lineterm="",
            n=2,
        )
    )
    return render(
        request,
        "installningar_jamfor.html",
        title=f"Version {old.version} jämförd med version {new.version}",
        old=old,
        new=new,
        changes=changes,
        summary=changes_sv(changes),
        text_diff=text_diff,
        source_sv=source_sv,
    )


@router.post("/installningar/versioner/{version}/aterstall", dependencies=[Depends(check_csrf)])
async def restore(
    request: Request,
    version: Version,
    user: WebUser = Depends(owner),
    state: WebState = Depends(web_state),
) -> Response:
    """Previews restoring a version: its text as a proposal on top of the newest version."""
    found = await state.db(_version, version)
    current = await state.db(store.current_version)
    proposal = Proposal(
        text=found.text,
        base=current,
        source=f"restore:{version}",
        summary=f"Återställ version {version}",
        typed=True,
    )
    return await preview_page(request, state, proposal)
