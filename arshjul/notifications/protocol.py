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
    "passed_on": "Godkänns och överlämnas",
}
# With the committee the report goes to ("överlämnas till kommunfullmäktige").
OUTCOMES_TO_SV = {
    "referred": "Lämnas till {to} för beslut",
    "passed_on": "Godkänns och överlämnas till {to}",
}


def decision_sv(outcome: str, to_committee_name: str | None = None) -> str:
    """Returns a decision in protocol words, naming the committee it goes to when it goes on."""
    if to_committee_name and outcome in OUTCOMES_TO_SV:
        return OUTCOMES_TO_SV[outcome].format(to=to_committee_name.lower())
    return OUTCOMES_SV.get(outcome, outcome)


class ProtocolItem(BaseModel):
    paragraph: int
    report_title: str
    period: str
    unit_name: str
    outcome: str
    reason: str | None = None
    decided_by: str
    decided_at: dt.datetime
    to_committee_name: str | None = None

    @property
    def decision_sv(self) -> str:
        """The decision in protocol words."""
        return decision_sv(self.outcome, self.to_committee_name)


class ProtocolExtract(BaseModel):
    org_name: str
    committee_id: str
    committee_name: str
    meeting: dt.date
    items: list[ProtocolItem]


def render_protocol(extract: ProtocolExtract) -> str:
    """Renders the protocol extract as a standalone HTML page with a print stylesheet."""
    return ENV.get_template("protocol.html.j2").render(extract=extract)
