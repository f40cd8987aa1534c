"""Giving a case or a meeting its diarienummer: typed in or the pattern's next, checked, logged.

A refusal is a CaseNumberRefused with a Swedish message for the page and an English one for
logs and the command line; it is raised before anything is written. A number that a justerat
protocol prints (the case's § says "Dnr …") is locked with it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.diarium import MAX_LENGTH, normalise
from arshjul.protocol.gather import find_committee
from arshjul.store.case_numbers import meeting_key
from arshjul.store.models import CASE_MEETING, CASE_ROUND, CaseNumber
from arshjul.store.repositories import (
    AuditRepository,
    CaseNumberRepository,
    DecisionRepository,
    MeetingRepository,
    NumberTaken,
    RoundRepository,
)
from arshjul.swedish import date_sv, month_sv
from arshjul.text import clean_text

ACTION_SET = "diarienummer_set"
ACTION_ASSIGNED = "diarienummer_assigned"


class CaseNumberRefused(ValueError):
    """A diarienummer that is not taken: what the page says, and what the log says."""

    def __init__(self, message: str, message_sv: str, *, conflict: bool = False) -> None:
        super().__init__(message)
        # True: the number is well formed but another case has it, or the protocol locks it.
        self.message_sv, self.conflict = message_sv, conflict


@dataclass(frozen=True)
class CaseRef:
    """A case that can carry a diarienummer: a round, or a committee's meeting."""

    kind: str  # CASE_ROUND | CASE_MEETING
    key: str  # the round's workflow id, or "committee/YYYY-MM-DD"
    workflow_id: str | None = None  # the round's, for the audit log of the case

    @classmethod
    def of_round(cls, workflow_id: str) -> CaseRef:
        """The case of a report round."""
        return cls(CASE_ROUND, workflow_id, workflow_id)

    @classmethod
    def of_meeting(cls, committee_id: str, meeting: dt.date) -> CaseRef:
        """The case of a committee's meeting."""
        return cls(CASE_MEETING, meeting_key(committee_id, meeting))


def case_number(session: Session, config: ArshjulConfig, case: CaseRef) -> str | None:
    """The case's diarienummer, if it has one."""
    row = CaseNumberRepository(session).get(
        org_id=config.organisation.id, kind=case.kind, case_key=case.key
    )
    return row.number if row else None


def form_example(config: ArshjulConfig, today: dt.date) -> str | None:
    """The number's form to show beside the field ("KS 2026/123"), when configured."""
    pattern = config.organisation.diarienummer
    return pattern.shown_example(today.year) if pattern else None


def _case_sv(session: Session, config: ArshjulConfig, row: CaseNumber) -> str:
    if row.kind == CASE_MEETING:
        committee_id, _, day = row.case_key.partition("/")
        committee = find_committee(config, committee_id)
        name = committee.label if committee else committee_id
        return f"sammanträdet {name} {date_sv(dt.date.fromisoformat(day))}"
    found = RoundRepository(session).get(workflow_id=row.case_key)
    if found is None:
        return f"ärendet {row.case_key}"
    return f"ärendet {found.report_title} {month_sv(found.period)} – {found.unit_name}"


def _justerat_meetings(session: Session, config: ArshjulConfig, case: CaseRef) -> list[str]:
    # The justerade protocols that print the case's §: the number is part of their text.
    if case.workflow_id is None:
        return []
    meetings = MeetingRepository(session)
    locked = []
    for d in DecisionRepository(session).list_for_round(workflow_id=case.workflow_id):
        row = meetings.get(
            org_id=config.organisation.id, committee_id=d.committee_id, meeting=d.meeting
        )
        if row is not None and row.justerat_at is not None:
            committee = find_committee(config, d.committee_id)
            name = committee.label if committee else d.committee_id
            locked.append(f"{name} {date_sv(d.meeting)} § {d.paragraph}")
    return locked


def _refuse_if_locked(session: Session, config: ArshjulConfig, case: CaseRef) -> None:
    locked = _justerat_meetings(session, config, case)
    if locked:
        raise CaseNumberRefused(
            f"{case.key} has a § in a justerat protocol; its diarienummer is locked",
            f"Ärendets paragraf i ett justerat protokoll ({', '.join(locked)}) anger "
            "diarienumret; det kan inte längre ändras.",
            conflict=True,
        )


def _checked(
    config: ArshjulConfig, typed: str, today: dt.date
) -> tuple[str, tuple[int, int] | None]:
    number = normalise(clean_text(typed))
    pattern = config.organisation.diarienummer
    example = f" (t.ex. {pattern.shown_example(today.year)})" if pattern else ""
    if not number:
        raise CaseNumberRefused(
            "no diarienummer given", f"Skriv diarienumret{example}, eller välj nästa nummer."
        )
    if len(number) > MAX_LENGTH:
        raise CaseNumberRefused(
            f"a diarienummer has at most {MAX_LENGTH} characters",
            f"Ett diarienummer har högst {MAX_LENGTH} tecken.",
        )
    if pattern is None:
        return number, None
    if not pattern.accepts(number):
        raise CaseNumberRefused(
            f"{number!r} does not have the form {pattern.pattern!r}",
            f"”{number}” har inte formen för kommunens diarienummer{example}.",
        )
    return number, pattern.year_and_seq(number)


def _taken(session: Session, config: ArshjulConfig, exc: NumberTaken) -> CaseNumberRefused:
    return CaseNumberRefused(
        str(exc),
        f"Diarienumret {exc.number} används redan för {_case_sv(session, config, exc.other)}.",
        conflict=True,
    )


def _log(
    session: Session, case: CaseRef, action: str, number: str, before: str | None, by: str
) -> None:
    detail = number if before is None else f"{number} (tidigare {before})"
    if case.kind == CASE_MEETING:
        detail = f"sammanträde {case.key}: {detail}"
    AuditRepository(session).append(
        actor=by, action=action, workflow_id=case.workflow_id, detail=detail
    )


def _known(session: Session, config: ArshjulConfig, case: CaseRef) -> None:
    if case.kind == CASE_ROUND:
        row = RoundRepository(session).get(workflow_id=case.key)
        if row is None or row.org_id != config.organisation.id:
            raise CaseNumberRefused(f"no round {case.key}", "Ärendet finns inte.")


def set_number(
    session: Session,
    config: ArshjulConfig,
    case: CaseRef,
    typed: str,
    *,
    by: str,
    today: dt.date,
) -> str:
    """Gives the case a number typed in; returns the Swedish notice. Refuses a number of the
    wrong form, one another case has, or a change the justerat protocol would contradict."""
    _known(session, config, case)
    number, year_seq = _checked(config, typed, today)
    if case_number(session, config, case) == number:
        return f"Ärendet har redan diarienumret {number}."
    _refuse_if_locked(session, config, case)
    try:
        _, before = CaseNumberRepository(session).set(
            org_id=config.organisation.id,
            kind=case.kind,
            case_key=case.key,
            number=number,
            year_seq=year_seq,
            by=by,
        )
    except NumberTaken as exc:
        raise _taken(session, config, exc) from exc
    _log(session, case, ACTION_SET, number, before, by)
    return f"Diarienumret är nu {number}."


def assign_next(
    session: Session, config: ArshjulConfig, case: CaseRef, *, by: str, today: dt.date
) -> str:
    """Gives the case the pattern's next number of the year; returns the Swedish notice."""
    _known(session, config, case)
    pattern = config.organisation.diarienummer
    if pattern is None:
        raise CaseNumberRefused(
            "the configuration has no organisation.diarienummer pattern",
            "Konfigurationen anger inget mönster för diarienummer; skriv in numret.",
        )
    _refuse_if_locked(session, config, case)
    row, before = CaseNumberRepository(session).assign_next(
        org_id=config.organisation.id,
        kind=case.kind,
        case_key=case.key,
        year=today.year,
        format_number=pattern.format,
        by=by,
    )
    _log(session, case, ACTION_ASSIGNED, row.number, before, by)
    return f"Ärendet fick diarienumret {row.number}."
