"""The one vocabulary of a round's status: each state (and the overview's derived ones: late,
not opened yet, never opened) has one Swedish label, used alike by every page that shows it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from arshjul.models.rounds import RoundState

LATE = "late"
NOT_OPENED = "not_opened"
NEVER_OPENED = "never_opened"

# Keys are the round's states plus the derived three; labels are what people read (one case).
LABELS: dict[str, str] = {
    NOT_OPENED: "Ej öppnad",
    NEVER_OPENED: "Öppnades aldrig",
    RoundState.OPEN.value: "Väntar på inlämning",
    LATE: "Försenad",
    RoundState.SUBMITTED.value: "Inlämnad",
    RoundState.ACCEPTED.value: "Inlämnad och godtagen",
    RoundState.AWAITING_MEETING.value: "Inlämnad, väntar på sammanträde",
    RoundState.ON_AGENDA.value: "På dagordningen",
    RoundState.REMITTED.value: "Återremitterad för komplettering",
    RoundState.REFERRED.value: "Överlämnad",
    RoundState.APPROVED.value: "Godkänd",
    RoundState.CANCELLED.value: "Avbruten",
}
# The same states as a sentence says them ("… rapporten är återremitterad"): the workflows'
# refusals. No committee is named: which one a round was passed to is the round's, not the word's.
PREDICATES: dict[RoundState, str] = {
    RoundState.OPEN: "öppen",
    RoundState.SUBMITTED: "inlämnad",
    RoundState.ACCEPTED: "godtagen",
    RoundState.AWAITING_MEETING: "inlämnad och väntar på ett sammanträde",
    RoundState.ON_AGENDA: "på dagordningen",
    RoundState.APPROVED: "godkänd",
    RoundState.REMITTED: "återremitterad för komplettering",
    RoundState.REFERRED: "överlämnad",
    RoundState.CANCELLED: "avbruten",
}
# Most urgent first: a report period's dot on the wheel takes the most urgent of its units.
URGENCY = [
    LATE,
    RoundState.REMITTED.value,
    RoundState.OPEN.value,
    RoundState.ON_AGENDA.value,
    RoundState.REFERRED.value,
    RoundState.AWAITING_MEETING.value,
    RoundState.SUBMITTED.value,
    RoundState.ACCEPTED.value,
    RoundState.APPROVED.value,
    NOT_OPENED,
    NEVER_OPENED,
    RoundState.CANCELLED.value,
]
# The default order of the overview and the unit pages: what someone must act on first, then
# what the committees have, then what is still to come, then what is done.
_GROUP = {
    LATE: 0,
    RoundState.REMITTED.value: 1,
    RoundState.OPEN.value: 1,
    RoundState.SUBMITTED.value: 2,
    RoundState.AWAITING_MEETING.value: 2,
    RoundState.ON_AGENDA.value: 2,
    RoundState.REFERRED.value: 2,
    NOT_OPENED: 3,
    RoundState.ACCEPTED.value: 4,
    RoundState.APPROVED.value: 4,
    RoundState.CANCELLED.value: 4,
    NEVER_OPENED: 5,
}


def status_of(
    state: str | None, due: dt.date | None, today: dt.date, opens: dt.date | None = None
) -> str:
    """Returns a round's status key: its state, or late, not opened yet, never opened."""
    if state is None:
        return NEVER_OPENED if opens is not None and opens < today else NOT_OPENED
    if state in (RoundState.OPEN, RoundState.REMITTED) and due is not None and today > due:
        return LATE
    return str(state)


def round_label(state: str, due: dt.date | None, today: dt.date) -> str:
    """Returns the Swedish status of a started round as the overview words it (late included)."""
    return label(status_of(str(state), due, today))


def label(key: str | None) -> str:
    """Returns the Swedish label of a status key or round state (unknown keys as they are)."""
    return LABELS.get(str(key), str(key))


def key_of(text: str) -> str:
    """Returns the status key a filter names, by key or by its label (any case); else ''."""
    if text in LABELS:
        return text
    wanted = text.strip().casefold()
    found = [k for k, v in LABELS.items() if v.casefold() == wanted]
    if not found:  # the short words of older bookmarks ("försenad", "väntar", …)
        found = [k for k, v in LABELS.items() if v.casefold().split(" ")[0] == wanted]
    return found[0] if found else ""


def most_urgent(keys: Iterable[str]) -> str:
    """Returns the most urgent of several status keys."""
    return min(keys, key=lambda k: URGENCY.index(k) if k in URGENCY else len(URGENCY))


def urgency_group(key: str) -> int:
    """Returns a status's place in the default order (act now, committees, to come, done)."""
    return _GROUP.get(key, len(set(_GROUP.values())))
