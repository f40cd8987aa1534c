"""The status words of the overview (ej öppnad, väntar, försenad, …) and their aggregation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

_BY_STATE = {
    "submitted": "inlämnad",
    "accepted": "inlämnad",
    "awaiting_meeting": "inlämnad",
    "on_agenda": "på dagordning",
    "remitted": "återremitterad",
    "approved": "godkänd",
    "referred": "överlämnad",
    "cancelled": "avbruten",
}
# Most urgent first: a report period's dot on the wheel takes the most urgent of its units.
URGENCY = [
    "försenad",
    "återremitterad",
    "väntar",
    "på dagordning",
    "överlämnad",
    "inlämnad",
    "godkänd",
    "ej öppnad",
    "öppnades aldrig",
    "avbruten",
]


def status_word(state: str | None, due: dt.date | None, today: dt.date) -> str:
    """Returns the overview's word for a round ("ej öppnad" before it exists, "försenad" late)."""
    if state is None:
        return "ej öppnad"
    if state == "open":
        return "försenad" if due is not None and today > due else "väntar"
    if state == "remitted" and due is not None and today > due:
        return "försenad"
    return _BY_STATE.get(state, state)


def most_urgent(words: Iterable[str]) -> str:
    """Returns the most urgent of several status words."""
    return min(words, key=lambda w: URGENCY.index(w) if w in URGENCY else len(URGENCY))
