"""Gallring: how long each kind of record is kept, and the cutoff day each kind has today.

The configuration's `retention:` names a period per record kind and the moment its clock starts
(`after`); a kind left out is kept for good, so a configuration without the section gallrar
nothing. Pure: the store applies the cutoffs (store/retention.py).
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass
from typing import Literal

from pydantic import Field, model_validator

from arshjul.calendar.strict import Strict

RecordKind = Literal["drafts", "mail_log", "login_records", "sessions", "ledger_files", "audit"]
# When a record's clock starts: when it was made (saved, sent, imported, logged), when its round
# closed, when a link expired, or when a session was last used.
After = Literal["created", "round_closed", "expired", "last_seen"]


@dataclass(frozen=True)
class KindInfo:
    """What a record kind holds, when its clock starts unless configured, and what may start it."""

    title: str  # English, for the command line
    default_after: After
    allowed: tuple[After, ...]


KINDS: dict[str, KindInfo] = {
    "drafts": KindInfo("unsent drafts", "round_closed", ("round_closed", "created")),
    "mail_log": KindInfo("mail log", "created", ("created", "round_closed")),
    "login_records": KindInfo("login links and rate limits", "expired", ("expired", "created")),
    "sessions": KindInfo("login sessions", "last_seen", ("last_seen", "created")),
    "ledger_files": KindInfo("ledger imports and their figures", "created", ("created",)),
    "audit": KindInfo("audit log", "created", ("created", "round_closed")),
}

# Swedish, for the registerförteckning: the moment each `after` names.
AFTER_SV: dict[str, str] = {
    "created": "från det att uppgiften skapades",
    "round_closed": "efter att ärendet avslutats och arkiverats",
    "expired": "efter att länken slutat gälla",
    "last_seen": "efter senaste användning",
}


class Keep(Strict):
    """How long one kind is kept: exactly one of days, months or years, counted from `after`."""

    days: int | None = Field(None, ge=1, le=36600)
    months: int | None = Field(None, ge=1, le=1200)
    years: int | None = Field(None, ge=1, le=100)
    after: After | None = None

    @model_validator(mode="after")
    def _one_period(self) -> Keep:
        given = [n for n in (self.days, self.months, self.years) if n is not None]
        if len(given) != 1:
            raise ValueError("give exactly one of days, months or years")
        return self

    def text_sv(self) -> str:
        """Returns the period in Swedish: "3 månader", "1 år", "90 dagar"."""
        if self.days is not None:
            return f"{self.days} {'dag' if self.days == 1 else 'dagar'}"
        if self.months is not None:
            return f"{self.months} {'månad' if self.months == 1 else 'månader'}"
        return f"{self.years} år"

    def text(self) -> str:
        """Returns the period in English: "3 months", "1 year", "90 days"."""
        for n, unit in ((self.days, "day"), (self.months, "month"), (self.years, "year")):
            if n is not None:
                return f"{n} {unit}{'' if n == 1 else 's'}"
        raise AssertionError("a Keep has one period")


class RetentionConfig(Strict):
    """Per record kind, how long it is kept; a kind not named is kept for good."""

    drafts: Keep | None = None
    mail_log: Keep | None = None
    login_records: Keep | None = None
    sessions: Keep | None = None
    ledger_files: Keep | None = None
    audit: Keep | None = None

    @model_validator(mode="after")
    def _known_after(self) -> RetentionConfig:
        for kind, info in KINDS.items():
            keep: Keep | None = getattr(self, kind)
            if keep is not None and keep.after is not None and keep.after not in info.allowed:
                raise ValueError(
                    f"{kind}: after must be one of {', '.join(info.allowed)}, not {keep.after!r}"
                )
        return self

    def rule(self, kind: str) -> Keep | None:
        """Returns the configured rule of a kind, or None when it is kept for good."""
        keep: Keep | None = getattr(self, kind)
        return keep


def _minus_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 - months
    year, month = divmod(index, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def earliest_kept(keep: Keep, today: dt.date) -> dt.date:
    """Returns the cutoff: a record whose clock started before this day is due today.

    A record started on day D with a period of 90 days is kept through D + 90 and gone on the
    day after: on D + 91 the cutoff is D + 1.
    """
    if keep.days is not None:
        return today - dt.timedelta(days=keep.days)
    months = keep.months if keep.months is not None else 12 * (keep.years or 0)
    return _minus_months(today, months)


def falls_due(keep: Keep, started: dt.date) -> dt.date:
    """Returns the first day a record whose clock started on `started` is due."""
    # The smallest `today` whose cutoff is past `started`, searched from a little below it
    # (months are 28 to 31 days long).
    months = keep.months if keep.months is not None else 12 * (keep.years or 0)
    low = started + dt.timedelta(days=max(1, keep.days or 28 * months - 3))
    while earliest_kept(keep, low) <= started:
        low += dt.timedelta(days=1)
    return low


@dataclass(frozen=True)
class KindCutoff:
    """One configured kind today: its rule, where its clock starts, and the cutoff day."""

    kind: str
    keep: Keep
    after: After
    cutoff: dt.date


def plan(retention: RetentionConfig | None, today: dt.date) -> list[KindCutoff]:
    """Returns the cutoff of every configured kind on `today`, in the order of KINDS."""
    if retention is None:
        return []
    out = []
    for kind, info in KINDS.items():
        keep = retention.rule(kind)
        if keep is not None:
            after = keep.after or info.default_after
            out.append(KindCutoff(kind, keep, after, earliest_kept(keep, today)))
    return out


def retention_sv(retention: RetentionConfig | None, kind: str) -> str | None:
    """Returns the configured retention of a kind in Swedish, or None when none is configured."""
    keep = retention.rule(kind) if retention is not None else None
    if keep is None:
        return None
    return f"Gallras {keep.text_sv()} {AFTER_SV[keep.after or KINDS[kind].default_after]}"
