"""Pure rules of a round: agenda placement and the messages of rejected transitions."""

from __future__ import annotations

import datetime as dt

from temporalio.exceptions import ApplicationError

from arshjul.models.rounds import REJECTED_ERROR_TYPE, RoundState
from arshjul.models.status import PREDICATES
from arshjul.swedish import date_sv
from arshjul.text import REFUSED_SV, has_refused_characters

MAX_DUE_AHEAD = dt.timedelta(days=5 * 365 + 1)


def rejected(english: str, swedish: str) -> ApplicationError:
    """Builds the error a validator raises: English message, Swedish text in details[0]."""
    return ApplicationError(english, swedish, type=REJECTED_ERROR_TYPE, non_retryable=True)


def next_meeting(meetings: list[dt.date], today: dt.date, min_days: int) -> dt.date | None:
    """Returns the first meeting at least `min_days` days after `today`, or None."""
    return next((m for m in sorted(meetings) if (m - today).days >= min_days), None)


def require_reason(reason: str | None, what_en: str, what_sv: str) -> None:
    """Rejects a decision without a reason (Ånge: the reasons go into the protocol)."""
    if not (reason or "").strip():
        raise rejected(
            f"A reason is required to {what_en}.", f"Skäl måste anges för att {what_sv}."
        )


def latest_due(today: dt.date) -> dt.date:
    """Returns the latest due date a person may set: five years from today."""
    return today + MAX_DUE_AHEAD


def require_later_due(new_due: dt.date | None, today: dt.date) -> None:
    """Rejects a new due date that is not after today, or more than five years ahead.

    The upper bound keeps the working-day arithmetic of reminders and escalations far from
    the end of the calendar (9999-12-31 overflowed there and failed the round).
    """
    if new_due is not None and new_due <= today:
        raise rejected(
            f"The new due date {new_due} must be after today ({today}).",
            f"Det nya sista datumet {new_due} måste vara efter i dag ({today}).",
        )
    if new_due is not None and new_due > latest_due(today):
        last = latest_due(today)
        raise rejected(
            f"The new due date {new_due} is more than five years ahead (latest {last}).",
            f"Det nya sista datumet {new_due} ligger för långt fram; ange senast {last}.",
        )


def require_clean_text(text: str | None, what_en: str) -> None:
    """Rejects text with control characters (a NUL byte cannot be stored in PostgreSQL)."""
    if text and has_refused_characters(text):
        raise rejected(f"The {what_en} contains control characters.", REFUSED_SV)


def require_remit(
    reason: str | None,
    new_due: dt.date | None,
    today: dt.date,
    due: dt.date | None = None,
    shorten: bool = True,
) -> None:
    """Rejects an återremiss without a reason, with a new due date that is not after today, or
    (given the current `due`) one before it unless the decision says to shorten the time."""
    require_reason(reason, "remit a report", "återremittera rapporten")
    require_later_due(new_due, today)
    if new_due is not None and due is not None and new_due < due and not shorten:
        raise rejected(
            f"The new due date {new_due} is before the current one ({due}); "
            "say so in the decision to shorten the time.",
            f"Det nya sista datumet {new_due} är tidigare än nuvarande sista dag ({due}). "
            "Kryssa i att tiden ska förkortas om det är beslutet.",
        )


def require_state(
    state: RoundState, allowed: set[RoundState], action_en: str, action_sv: str
) -> None:
    """Rejects an action unless the round is in one of the `allowed` states."""
    if state not in allowed:
        raise rejected(
            f"Cannot {action_en}: the round is {state.value}.",
            f"Det går inte att {action_sv}: rapporten är {PREDICATES[state]}.",
        )


def before_meeting_sv(meeting: dt.date) -> str:
    """The Swedish sentence shown (and raised) while a decision waits for its meeting day."""
    day = date_sv(meeting)
    return f"Ärendet avgörs på sammanträdet {day}; beslut kan registreras från den dagen."


def require_meeting_day(meeting: dt.date | None, today: dt.date) -> None:
    """Rejects a decision before the meeting where it is taken (no meeting recorded: allowed)."""
    if meeting is not None and today < meeting:
        raise rejected(
            f"The decision is taken at the meeting on {meeting}; it cannot be recorded before "
            f"that day (today is {today}).",
            before_meeting_sv(meeting),
        )
