"""The app's public surface is pinned: every route (kind, methods, path, name, in order), the
middleware stack and the OpenAPI document, for a plain app and one with every optional part on.

A move inside `arshjul.web` must leave this file's snapshot untouched: a router that a move
forgets is a page that disappears, and this test names it. After a deliberate change to the
surface, write the snapshot again with
`ARSHJUL_PIN_SURFACE=write make test PYTEST_ARGS=tests/web/test_surface.py`
and review the diff like code.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute
from starlette.routing import Mount, Route, WebSocketRoute

from arshjul.calendar.config import RESERVED_COMMITTEE_IDS
from arshjul.settings import Settings
from arshjul.web.app import create_app
from tests.web.conftest import make_settings

SNAPSHOT = Path(__file__).parent / "pinned" / "surface.json"


class _NoSink:
    port = 1  # the surface is read without sending mail


def _settings(tmp_path: Path, variant: str) -> Settings:
    settings = make_settings(tmp_path, _NoSink())  # type: ignore[arg-type]
    if variant == "plain":
        return settings
    return settings.model_copy(
        update={
            "dev_maildir": tmp_path / "mail",
            "oidc_issuer": "https://idp.example.org",
            "oidc_client_id": "arshjul",
            "oidc_client_secret": "secret",
        }
    )


def _route(route: Any) -> dict[str, Any]:
    kind = type(route).__name__
    entry: dict[str, Any] = {"kind": kind, "path": getattr(route, "path", "")}
    if isinstance(route, (APIRoute, Route)):
        entry["methods"] = sorted(route.methods or [])
        entry["name"] = route.name
    if isinstance(route, APIRoute):
        entry["in_schema"] = route.include_in_schema
    if isinstance(route, (Mount, WebSocketRoute)):
        entry["name"] = route.name
    return entry


def _flat(routes: list[Any], prefix: str = "") -> list[dict[str, Any]]:
    # FastAPI 0.16x keeps an included router as one entry that holds the router's own routes.
    found = []
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            found += _flat(included.routes, prefix + route.include_context.prefix)
            continue
        entry = _route(route)
        entry["path"] = prefix + entry["path"]
        found.append(entry)
    return found


def surface(app: FastAPI) -> dict[str, Any]:
    """The parts of the app a user or a client can reach, in the order the app matches them."""
    return {
        "routes": _flat(list(app.routes)),
        "middleware": [m.cls.__name__ for m in app.user_middleware],  # type: ignore[attr-defined]
        "openapi": app.openapi(),
    }


@pytest.mark.parametrize("variant", ["plain", "everything"])
def test_surface_is_the_pinned_one(tmp_path: Path, variant: str) -> None:
    found = json.loads(json.dumps(surface(create_app(_settings(tmp_path, variant)))))
    pinned = json.loads(SNAPSHOT.read_text(encoding="utf-8")) if SNAPSHOT.exists() else {}
    if os.environ.get("ARSHJUL_PIN_SURFACE") == "write":
        pinned[variant] = found
        SNAPSHOT.write_text(
            json.dumps(pinned, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
            encoding="utf-8",
        )
    assert variant in pinned, f"no pinned surface for {variant!r}: write it (see the docstring)"
    want = pinned[variant]
    missing = [r for r in want["routes"] if r not in found["routes"]]
    added = [r for r in found["routes"] if r not in want["routes"]]
    assert (missing, added) == ([], []), "routes differ from the pinned surface"
    assert found["routes"] == want["routes"], "the same routes in another order"
    assert found["middleware"] == want["middleware"]
    assert found["openapi"] == want["openapi"]


def test_every_optional_part_adds_routes(tmp_path: Path) -> None:
    plain = {r["path"] for r in surface(create_app(_settings(tmp_path, "plain")))["routes"]}
    everything = surface(create_app(_settings(tmp_path, "everything")))["routes"]
    extra = {r["path"] for r in everything} - plain
    assert any(p.startswith("/dev/mail") for p in extra), extra
    assert any("oidc" in p or "sso" in p or "idp" in p for p in extra), extra


def test_no_committee_can_take_the_address_of_a_page(tmp_path: Path) -> None:
    # A committee's pages are /{id}, matched after the app's own: an id equal to one of their
    # first segments would make the committee unreachable, so the loader refuses those ids.
    segments = {
        r["path"].split("/")[1].split(".")[0]
        for r in surface(create_app(_settings(tmp_path, "everything")))["routes"]
    } - {"", "{committee_id}"}
    assert segments == set(RESERVED_COMMITTEE_IDS)
