"""The protocol extract of a meeting: one paragraph (§) per decision, as printable HTML."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel

from arshjul.notifications.render import ENV

OUTCOMES_SV = {
    "approved": "Godkänns",
    "remitted": "Återremitteras för komplettering",
    "referred": "Lämnas till kommunstyrelsen för beslut",
    "ks_approved": "Godkänns",
    "ks_remitted": "Återremitteras för komplettering",
}


class ProtocolItem(BaseModel):
    paragraph: int
    report_title: str
    period: str
    unit_name: str
    outcome: str
    reason: str | None = None
    decided_by: str
    decided_at: dt.datetime


class ProtocolExtract(BaseModel):
    org_name: str
    committee_id: str
    committee_name: str
    meeting: dt.date
    items: list[ProtocolItem]


def render_protocol(extract: ProtocolExtract) -> str:
    """Renders the protocol extract as a standalone HTML page with a print stylesheet."""
    return ENV.get_template("protocol.html.j2").render(
        extract=extract.model_dump(), outcomes=OUTCOMES_SV
    )
