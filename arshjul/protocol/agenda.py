"""A meeting's föredragningslista: the cases on it and the Sammanställningar that go with them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig
from arshjul.models.rounds import RoundSpec
from arshjul.protocol.gather import case_path, find_committee, to_committee_name
from arshjul.protocol.wording import decision_sv
from arshjul.store.models import Compilation, Decision, Round
from arshjul.store.repositories import (
    CompilationRepository,
    DecisionRepository,
    RoundRepository,
)


def meeting_path(committee_id: str, meeting: dt.date) -> str:
    """The meeting's page in a committee's pages."""
    return f"/{committee_id}/sammantraden/{meeting.isoformat()}"


def compilation_path(committee_id: str, meeting: dt.date, compilation_id: int) -> str:
    """A Sammanställning as the committee's members open it from the agenda."""
    return f"{meeting_path(committee_id, meeting)}/sammanstallning/{compilation_id}"


@dataclass
class AgendaCase:
    """One case on the agenda."""

    workflow_id: str
    report_title: str
    period: str
    unit_name: str
    path: str
    # Once decided at this meeting: "§ 1 Godkänns" (the case stays on the agenda).
    decision: str | None = None


@dataclass
class DecidedCase:
    """A case decided at a meeting, as the committee's föredragningslista lists it."""

    workflow_id: str
    report_title: str
    period: str
    unit_name: str
    state: str
    demo: bool
    decision: str


@dataclass
class AgendaDocument:
    """A Sammanställning listed on the agenda."""

    compilation_id: int
    report_title: str
    period: str
    created_at: dt.datetime
    draft: bool
    path: str


@dataclass
class Agenda:
    """The föredragningslista of one meeting."""

    org_name: str
    committee_id: str
    committee_name: str
    meeting: dt.date
    cases: list[AgendaCase] = field(default_factory=list)
    documents: list[AgendaDocument] = field(default_factory=list)


def _on_agenda(session: Session, org_id: str, committee_id: str, meeting: dt.date) -> list[Round]:
    rows = RoundRepository(session).list(org_id=org_id)
    return [r for r in rows if r.committee_id == committee_id and r.meeting == meeting]


def _decided(
    session: Session, config: ArshjulConfig, decisions: list[Decision]
) -> list[tuple[Decision, Round, str]]:
    rounds = RoundRepository(session)
    found = []
    for d in decisions:
        row = rounds.get(workflow_id=d.workflow_id)
        if row is None:
            continue
        spec = RoundSpec.model_validate(row.spec)
        words = decision_sv(d.outcome, to_committee_name(config, spec, d.to_committee_id))
        found.append((d, row, f"§ {d.paragraph} {words}"))
    return found


def decided_since(
    session: Session, config: ArshjulConfig, committee_id: str, since: dt.date
) -> dict[dt.date, list[DecidedCase]]:
    """The cases a committee decided at its meetings from `since` on, per meeting: they stay
    on the föredragningslista with their decision until the meeting is over."""
    decisions = DecisionRepository(session).list_since(
        org_id=config.organisation.id, committee_id=committee_id, since=since
    )
    grouped: dict[dt.date, list[DecidedCase]] = {}
    for d, row, decision in _decided(session, config, decisions):
        grouped.setdefault(d.meeting, []).append(
            DecidedCase(
                workflow_id=row.workflow_id,
                report_title=row.report_title,
                period=row.period,
                unit_name=row.unit_name,
                state=row.state,
                demo=row.demo,
                decision=decision,
            )
        )
    return grouped


def load_agenda(
    session: Session, config: ArshjulConfig, committee_id: str, meeting: dt.date
) -> Agenda:
    """Reads the cases placed on a meeting and the Sammanställning of each report period among
    them (see CompilationRepository.for_agenda)."""
    committee = find_committee(config, committee_id)
    org_id = config.organisation.id
    agenda = Agenda(
        org_name=config.organisation.name,
        committee_id=committee_id,
        committee_name=committee.name if committee else committee_id,
        meeting=meeting,
    )
    periods: dict[tuple[str, str], str] = {}
    # Cases decided at the meeting stay on its agenda with their decision (§ order), then
    # those still waiting for it.
    decisions = DecisionRepository(session).list_for_meeting(
        committee_id=committee_id, meeting=meeting, org_id=org_id
    )
    decided = [(row, words) for _, row, words in _decided(session, config, decisions)]
    waiting = [(row, None) for row in _on_agenda(session, org_id, committee_id, meeting)]
    listed: set[str] = set()
    for row, words in decided + waiting:
        if words is None and row.workflow_id in listed:
            continue
        listed.add(row.workflow_id)
        agenda.cases.append(
            AgendaCase(
                workflow_id=row.workflow_id,
                report_title=row.report_title,
                period=row.period,
                unit_name=row.unit_name,
                path=case_path(committee_id, row.workflow_id),
                decision=words,
            )
        )
        periods.setdefault((row.report_id, row.period), row.report_title)
    compilations = CompilationRepository(session)
    for (report_id, period), title in sorted(periods.items()):
        found: Compilation | None = compilations.for_agenda(
            org_id=org_id, report_id=report_id, period=period
        )
        if found is not None:
            agenda.documents.append(
                AgendaDocument(
                    compilation_id=found.id,
                    report_title=title,
                    period=period,
                    created_at=found.created_at,
                    draft=bool(found.inputs.get("draft")),
                    path=compilation_path(committee_id, meeting, found.id),
                )
            )
    return agenda


def on_agenda(agenda: Agenda, compilation_id: int) -> bool:
    """Tells whether a compilation is one of the agenda's documents (what members may open)."""
    return any(d.compilation_id == compilation_id for d in agenda.documents)
