"""A submitted version as PDF/A-2u, as the protocol is made (WeasyPrint), for the archive."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape

from arshjul.forms.content import SECTION_TITLES, ReportContent
from arshjul.protocol.render import html_to_pdfa
from arshjul.swedish import FILTERS
from arshjul.text import clean_strings

ENV = Environment(
    loader=PackageLoader("arshjul.archive", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
    trim_blocks=True,
    lstrip_blocks=True,
)
ENV.filters.update(FILTERS)


@dataclass(frozen=True)
class VersionView:
    """What the PDF of one submitted version shows."""

    org_name: str
    report_title: str
    period: str
    unit_name: str
    version: int
    submitted_at: dt.datetime
    submitted_by_name: str
    sha256: str
    content: ReportContent


def version_view(
    *,
    org_name: str,
    report_title: str,
    period: str,
    unit_name: str,
    version: int,
    submitted_at: dt.datetime,
    submitted_by_name: str,
    sha256: str,
    content: dict[str, Any],
) -> VersionView:
    """Builds the view of a stored version; control characters are dropped from its texts."""
    if submitted_at.tzinfo is None:  # SQLite gives naive times; the store keeps UTC
        submitted_at = submitted_at.replace(tzinfo=dt.UTC)
    return VersionView(
        org_name=org_name,
        report_title=report_title,
        period=period,
        unit_name=unit_name,
        version=version,
        submitted_at=submitted_at,
        submitted_by_name=submitted_by_name,
        sha256=sha256,
        content=ReportContent.model_validate(clean_strings(content)),
    )


def render_version_html(view: VersionView) -> str:
    """Renders a submitted version as a standalone A4 HTML page."""
    return ENV.get_template("submission.html.j2").render(v=view, titles=SECTION_TITLES)


def render_version_pdf(view: VersionView) -> bytes:
    """Renders a submitted version as PDF/A-2u bytes."""
    return html_to_pdfa(render_version_html(view))
