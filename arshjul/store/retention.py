"""Gallring in the store: removes what each configured kind has due, in the caller's transaction,
and writes one audit entry per kind with how many records went (never what they held).

A record of a round (its draft, its mails, its audit entries) is only touched once the round is
closed and its archive package has been made (an `archived` audit entry, archive/export.py).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from arshjul.calendar.retention import KINDS, KindCutoff, falls_due
from arshjul.models.rounds import CLOSED_STATES
from arshjul.store.db import local_date
from arshjul.store.models import (
    AuditEntry,
    Draft,
    LedgerFigure,
    LedgerImport,
    LinkToken,
    RateLimitHit,
    RetentionPermit,
    Round,
    SentMail,
    WebSession,
)
from arshjul.store.rounds import AuditRepository

log = logging.getLogger(__name__)

ARCHIVED = "archived"  # audit action: the case's archive package was written
GALLRING = "gallring"  # audit action: records a kind had due were removed
CHUNK = 500


@dataclass
class KindOutcome:
    """One kind's gallring: its rule and cutoff, how many were due (and removed), and when the
    next of the kept records falls due (None when none will under today's rules)."""

    cutoff: KindCutoff
    due: int
    removed: int
    next_due: dt.date | None


@dataclass(frozen=True)
class _Candidate:
    table: type[Any]
    key: Any
    started: dt.datetime


def archived_rounds(session: Session) -> dict[str, dt.datetime]:
    """Returns the closed rounds whose archive package was made, with when each closed."""
    marked = set(
        session.scalars(
            select(AuditEntry.workflow_id).where(
                AuditEntry.action == ARCHIVED, AuditEntry.workflow_id.is_not(None)
            )
        )
    )
    closed = [s.value for s in CLOSED_STATES]
    rows = session.execute(
        select(Round.workflow_id, Round.updated_at).where(Round.state.in_(closed))
    )
    return {wid: at for wid, at in rows if wid in marked}


class _Cases:
    """Whether a record of a workflow may go, and from when its clock runs."""

    def __init__(self, session: Session) -> None:
        self.archived = archived_rounds(session)

    def start(self, workflow_id: str | None, made: dt.datetime, after: str) -> dt.datetime | None:
        """Returns when the record's clock started, or None when its case is not archived."""
        if workflow_id is None:
            return made
        closed = self.archived.get(workflow_id)
        if closed is None:
            return None
        return max(closed, made) if after == "round_closed" else made


def _candidates(session: Session, kind: str, after: str, cases: _Cases) -> list[_Candidate]:
    out: list[_Candidate] = []

    def add(table: type[Any], key: Any, started: dt.datetime | None) -> None:
        if started is not None:
            out.append(_Candidate(table, key, started))

    if kind == "drafts":
        for wid, saved in session.execute(select(Draft.workflow_id, Draft.saved_at)):
            add(Draft, wid, cases.start(wid, saved, after) if wid in cases.archived else None)
    elif kind == "mail_log":
        for key, wid, sent in session.execute(
            select(SentMail.id, SentMail.workflow_id, SentMail.sent_at)
        ):
            add(SentMail, key, cases.start(wid, sent, after))
    elif kind == "audit":
        for key, wid, time in session.execute(
            select(AuditEntry.id, AuditEntry.workflow_id, AuditEntry.time)
        ):
            add(AuditEntry, key, cases.start(wid, time, after))
    elif kind == "login_records":
        for key, created, expires in session.execute(
            select(LinkToken.id, LinkToken.created_at, LinkToken.expires_at)
        ):
            add(LinkToken, key, expires if after == "expired" else created)
        for key, at in session.execute(select(RateLimitHit.id, RateLimitHit.at)):
            add(RateLimitHit, key, at)
    elif kind == "sessions":
        for key, created, seen in session.execute(
            select(WebSession.id, WebSession.created_at, WebSession.last_seen_at)
        ):
            add(WebSession, key, seen if after == "last_seen" else created)
    elif kind == "ledger_files":
        for key, imported in session.execute(select(LedgerImport.id, LedgerImport.imported_at)):
            add(LedgerImport, key, imported)
    else:
        raise ValueError(f"unknown record kind {kind!r}")
    return out


def _delete(session: Session, table: type[Any], keys: Sequence[Any]) -> None:
    column = table.workflow_id if table is Draft else table.id
    for i in range(0, len(keys), CHUNK):
        part = list(keys[i : i + CHUNK])
        if table is LedgerImport:
            session.execute(delete(LedgerFigure).where(LedgerFigure.import_id.in_(part)))
        session.execute(delete(table).where(column.in_(part)))


def _permits(session: Session, instant: dt.datetime, tables: set[str]) -> list[RetentionPermit]:
    permits = [RetentionPermit(table_name=t, cutoff=instant) for t in sorted(tables)]
    session.add_all(permits)
    session.flush()
    return permits


def midnight(day: dt.date, timezone: str) -> dt.datetime:
    """Returns the first instant of a local day, in UTC."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=ZoneInfo(timezone)).astimezone(dt.UTC)


def gallra(
    session: Session,
    cutoffs: Sequence[KindCutoff],
    timezone: str,
    *,
    dry_run: bool = False,
    now: dt.datetime | None = None,
) -> list[KindOutcome]:
    """Removes every record each kind has due (or only counts them when `dry_run`) and audits
    each kind that lost records; the caller's transaction holds it all."""
    cases = _Cases(session)
    outcomes = []
    for rule in cutoffs:
        instant = midnight(rule.cutoff, timezone)
        found = _candidates(session, rule.kind, rule.after, cases)
        due = [c for c in found if c.started < instant]
        kept = [c.started for c in found if c.started >= instant]
        next_due = falls_due(rule.keep, local_date(min(kept), timezone)) if kept else None
        if due and not dry_run:
            by_table: dict[type[Any], list[Any]] = {}
            for c in due:
                by_table.setdefault(c.table, []).append(c.key)
            names = {t.__tablename__ for t in by_table}
            if LedgerImport in by_table:
                names.add(LedgerFigure.__tablename__)
            # The permit's cutoff is the newest due record's start: never later than `instant`.
            permits = _permits(session, max(c.started for c in due) + dt.timedelta(0, 0, 1), names)
            for table, keys in by_table.items():
                _delete(session, table, keys)
            for permit in permits:
                session.delete(permit)
            session.flush()
        removed = 0 if dry_run else len(due)
        outcomes.append(KindOutcome(rule, len(due), removed, next_due))
    if not dry_run:
        audit = AuditRepository(session)
        for o in outcomes:
            if o.removed:
                rule = o.cutoff
                audit.append(
                    actor="system",
                    action=GALLRING,
                    time=now,
                    detail=(
                        f"{rule.kind}: {o.removed} removed ({KINDS[rule.kind].title}, kept "
                        f"{rule.keep.text()} after {rule.after}; before {rule.cutoff.isoformat()})"
                    ),
                )
                log.info("gallring %s: %d removed", rule.kind, o.removed)
    return outcomes
