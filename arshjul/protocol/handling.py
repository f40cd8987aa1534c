"""The proceedings of a case at a meeting, read and written against the meeting's attendance:
who serves (the recorded närvaro), whether the committee is beslutför for the §, and whether a
decision is the one the vote gave. The secretary's page and the decision form use these."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig, Committee
from arshjul.protocol.gather import chair_key, participants
from arshjul.protocol.justering import is_locked
from arshjul.protocol.proceedings import (
    Participant,
    Proceedings,
    ProceedingsError,
    Tally,
    after_decision_sv,
    check_motion_makers,
    checked_tally,
    genitive,
    quorum_problem,
    taking_part,
    tally,
    wording_sv,
)
from arshjul.protocol.wording import in_text
from arshjul.store.repositories import ProceedingsRepository

LOCKED_SV = "Protokollet är justerat; handläggningen av ärendet kan inte ändras."


def load(
    session: Session, config: ArshjulConfig, committee_id: str, meeting: dt.date, workflow_id: str
) -> Proceedings:
    """The case's proceedings at the meeting (empty when nothing is recorded)."""
    found = ProceedingsRepository(session).get(
        org_id=config.organisation.id,
        committee_id=committee_id,
        meeting=meeting,
        workflow_id=workflow_id,
    )
    return Proceedings.model_validate(found or {})


def record(
    session: Session,
    config: ArshjulConfig,
    committee: Committee,
    meeting: dt.date,
    workflow_id: str,
    change: Callable[[Proceedings, list[Participant]], Proceedings],
    by: str,
) -> Proceedings:
    """Applies `change` to the case's proceedings, checks the result against the meeting and
    stores it; a ProceedingsError (or a justerat protocol) changes nothing."""
    if is_locked(session, config.organisation.id, committee.id, meeting):
        raise ProceedingsError("the protocol is justerat", LOCKED_SV)
    present = participants(session, config, committee.id, meeting)
    new = change(load(session, config, committee.id, meeting, workflow_id), present)
    keys = {p.key for p in present}
    for j in new.jav:
        if j.key not in keys:
            raise ProceedingsError(
                "jäv of someone not serving",
                f"{j.name} är inte antecknad som närvarande ledamot eller tjänstgörande ersättare.",
            )
    check_motion_makers(present, new)
    if new.vote is not None:
        tally(present, new, chair_key(session, config, committee, meeting))
    ProceedingsRepository(session).save(
        org_id=config.organisation.id,
        committee_id=committee.id,
        meeting=meeting,
        workflow_id=workflow_id,
        detail=new.model_dump(mode="json"),
        by=by,
    )
    return new


def decision_problem(
    session: Session,
    config: ArshjulConfig,
    committee: Committee,
    meeting: dt.date,
    workflow_id: str,
    outcome: str,
) -> str | None:
    """Why this decision cannot be taken on the case now, in Swedish; None when it can: the
    committee must be beslutför for the § after jäv, and a vote's result is the decision."""
    p = load(session, config, committee.id, meeting, workflow_id)
    if p.empty:
        return None
    present = participants(session, config, committee.id, meeting)
    if present:
        problem = quorum_problem(len(committee.members), len(present), len(p.jav))
        if problem:
            return problem
    if p.vote is not None:
        counted, problem = checked_tally(present, p, chair_key(session, config, committee, meeting))
        if counted is None:
            return f"Omröstningen kan inte räknas: {problem} Registrera den igen."
        won = p.motions[counted.winner]
        if won.outcome != outcome:
            return (
                f"Omröstningen gav {genitive(won.by_name)} yrkande ({won.label.lower()}): "
                "det är det beslutet som protokollförs."
            )
    return None


@dataclass(frozen=True)
class HandlingView:
    """What the case page shows of the proceedings: the record, who serves and takes part,
    the vote's result, whether the committee is beslutför, and the protocol's sentences."""

    proceedings: Proceedings
    participants: list[Participant]
    taking_part: list[Participant]
    tally: Tally | None
    vote_problem: str | None  # a recorded vote that no longer counts, and why
    quorum: str | None
    chair: str | None
    lines: list[str]
    locked: bool


def view(
    session: Session,
    config: ArshjulConfig,
    committee: Committee,
    meeting: dt.date,
    workflow_id: str,
) -> HandlingView:
    """Reads the case's proceedings at the meeting for its page."""
    p = load(session, config, committee.id, meeting, workflow_id)
    present = participants(session, config, committee.id, meeting)
    chair = chair_key(session, config, committee, meeting)
    counted, vote_problem = checked_tally(present, p, chair)
    quorum = quorum_problem(len(committee.members), len(present), len(p.jav)) if present else None
    return HandlingView(
        proceedings=p,
        participants=present,
        taking_part=taking_part(present, p),
        tally=counted,
        vote_problem=vote_problem,
        quorum=quorum,
        chair=chair,
        lines=wording_sv(p, in_text(committee.name), present, chair, None) + after_decision_sv(p),
        locked=is_locked(session, config.organisation.id, committee.id, meeting),
    )
