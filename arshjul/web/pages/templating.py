"""The one Jinja environment of the web pages: autoescape on, Swedish filters."""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import anyio
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, pass_context, select_autoescape
from jinja2.runtime import Context

from arshjul.calendar.wheel import STATE_COLOURS
from arshjul.forms.content import SECTION_TITLES
from arshjul.models.status import label as status_label
from arshjul.models.status import round_label
from arshjul.swedish import FILTERS, readable
from arshjul.web.auth.access import committees_for, may_manage_motions
from arshjul.web.auth.csrf import csrf_token
from arshjul.web.auth.current import optional_user
from arshjul.web.core.formdata import CHOICES, FORM, field_limit, indicator_count, row_count

TEMPLATES = Path(__file__).parent / "templates"
STOCKHOLM = ZoneInfo("Europe/Stockholm")

EVENT_LABELS: dict[str, str] = {
    "request": "Förfrågan skickad",
    "reminder": "Påminnelse skickad",
    "overdue": "Försenad – påminnelse skickad",
    "escalation": "Eskalerad",
    "submitted": "Inlämnad",
    "on_agenda": "Satt på dagordningen",
    "awaiting_meeting": "Väntar på sammanträde",
    "approved": "Godkänd",
    "remitted": "Återremitterad",
    "referred": "Överlämnad",
    "passed_on": "Godkänd och överlämnad",
    "tabled": "Bordlagd till nästa sammanträde",
    "withdrawn": "Utgick från dagordningen",
    "target_missed": "Hann inte till målsammanträdet",
    "ks_approved": "Godkänd av KS",
    "ks_remitted": "Återremitterad av KS",
    "accepted": "Godtagen",
    "extended": "Sista dag förlängd",
    "cancelled": "Avbruten",
    "followup_opened": "Uppföljning öppnad",
    "corrected": "Rättad (ny version)",
    "taken_back": "Tillbakadragen av enheten",
}


@pass_context
def readable_sv(context: Context, text: str | None) -> str:
    """Jinja filter: machine text (round ids, ISO dates) as people read it."""
    return readable(text, context.get("report_titles"))


@pass_context
def person_sv(context: Context, email: str | None) -> str:
    """Jinja filter: a person by name (the page's own names, then the configuration's), the
    address only when no name is known; "systemet" for the system's own steps."""
    if not email or email == "system":
        return "systemet" if email == "system" else ""
    known = context.get("people_names") or {}
    config = context.get("config_for_names")
    found = known.get(email.lower()) or (config.person_name(email) if config else None)
    return found or email


def round_status_sv(view: Any) -> str:
    """Jinja filter: a round's status in the one vocabulary ("Försenad" once its day passed)."""
    return round_label(view.state, view.due, view.today)


def _config(request: Request) -> Any:
    try:
        return request.app.state.web.config
    except Exception:  # noqa: BLE001 - a page must render even when the configuration is broken
        return None


def _report_titles(request: Request) -> dict[str, str]:
    try:
        return {r.id: r.title for r in request.app.state.web.config.reports}
    except Exception:  # noqa: BLE001 - a page must render even when the configuration is broken
        return {}


env = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html", "j2", "svg"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
env.globals.update(
    row_count=row_count,
    indicator_count=indicator_count,
    max_length=lambda name: field_limit(name, FORM),
    choices=CHOICES,
    colours=STATE_COLOURS,
)
env.filters.update(
    FILTERS,
    readable=readable_sv,
    person=person_sv,
    state_sv=status_label,  # the one vocabulary of status words, for every page
    round_status=round_status_sv,  # a round's page: its state, or late as the overview says
    event_sv=lambda e: EVENT_LABELS.get(str(e), str(e)),
    section_sv=lambda s: SECTION_TITLES.get(str(s), str(s)),
)


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Renders a page with the user and the CSRF token every form needs."""
    context.setdefault("user", optional_user(request))
    if context["user"] is not None:
        # The menu: every committee whose agenda the person may follow.
        context.setdefault(
            "nav_committees", committees_for(request.app.state.web.config, context["user"])
        )
        context.setdefault(
            "nav_motions", may_manage_motions(request.app.state.web.config, context["user"])
        )
    context.setdefault("csrf", csrf_token(request))
    context.setdefault("request", request)
    context.setdefault("report_titles", _report_titles(request))
    context.setdefault("config_for_names", _config(request))
    html = env.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status_code)


async def render_in_thread(
    request: Request, template: str, status_code: int = 200, **context: Any
) -> HTMLResponse:
    """Renders a page whose size grows with what was submitted (a report form of hundreds of
    rows takes up to a second) in a worker thread, so the event loop keeps serving others."""
    call = functools.partial(render, request, template, status_code, **context)
    return await anyio.to_thread.run_sync(call)
