"""Puts the scenario's year of submissions into a real store, the way the workflows leave it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.rules import last_day_of_month
from arshjul.forms.content import ReportContent
from arshjul.models.effects import RoundEventRecord
from arshjul.models.rounds import Recipient, RoundSpec, RoundState
from arshjul.store.repositories import RoundRepository, SubmissionRepository
from tests.compile import scenario as sc

TODAY = dt.date(2026, 9, 30)  # after the delårsrapport's due date: the missing unit is late


class Seeder:
    """Creates rounds and delivered submission versions through the store's repositories."""

    def __init__(self, session: Session, config: ArshjulConfig) -> None:
        self.session = session
        self.config = config
        self.rounds = RoundRepository(session)
        self.submissions = SubmissionRepository(session)

    def spec(self, report_id: str, period: str, unit_id: str, due: dt.date) -> RoundSpec:
        """Returns the round specification of one unit's round."""
        unit = self.config.unit(unit_id)
        report = self.config.report(report_id)
        end = last_day_of_month(int(period[:4]), int(period[5:]))
        return RoundSpec(
            org_id=self.config.organisation.id,
            org_name=self.config.organisation.name,
            report_id=report_id,
            report_title=report.title,
            sections=list(report.sections),
            period=period,
            period_end=end,
            unit_id=unit_id,
            unit_name=unit.name,
            recipients=[Recipient(name=unit.chef.name, email=unit.chef.email)],
            opens=end + dt.timedelta(days=1),
            due=due,
        )

    def event(
        self,
        spec: RoundSpec,
        seq: int,
        name: str,
        state: RoundState,
        submission_id: int | None = None,
    ) -> None:
        """Mirrors one history event of the round into the rounds table."""
        self.rounds.upsert_from_event(
            RoundEventRecord(
                workflow_id=spec.workflow_id,
                seq=seq,
                event=name,  # type: ignore[arg-type]
                time=dt.datetime.combine(spec.opens, dt.time(6), dt.UTC) + dt.timedelta(hours=seq),
                actor="system",
                state=state,
                due=spec.due,
                spec=spec,
                submission_id=submission_id,
            )
        )

    def submit(self, spec: RoundSpec, content: ReportContent) -> int:
        """Stores a delivered version and returns its id."""
        sub = self.submissions.add_version(
            workflow_id=spec.workflow_id, content=content, submitted_by=spec.recipients[0].email
        )
        self.submissions.mark_delivered(submission_id=sub.id)
        return sub.id

    def approved_round(
        self, report_id: str, period: str, unit_id: str, content: ReportContent, due: dt.date
    ) -> None:
        """A round opened, submitted once and approved."""
        spec = self.spec(report_id, period, unit_id, due)
        self.event(spec, 0, "request", RoundState.OPEN)
        sid = self.submit(spec, content)
        self.event(spec, 1, "submitted", RoundState.ON_AGENDA, sid)
        self.event(spec, 2, "approved", RoundState.APPROVED, sid)


def seed_year(session: Session, config: ArshjulConfig) -> None:
    """Stores månadsrapporter February–May and the delårsrapport 2026-08 of the scenario."""
    s = Seeder(session, config)
    for period in sc.MONTHLY_OVERRUN:
        due = last_day_of_month(int(period[:4]), int(period[5:])) + dt.timedelta(days=14)
        for unit in config.units:
            content = sc.monthly_content(unit.id, period)
            s.approved_round("manadsrapport", period, unit.id, content, due)
    for unit in config.units:
        if unit.id == sc.MISSING:
            spec = s.spec("delarsrapport", sc.PERIOD, unit.id, sc.DUE)
            s.event(spec, 0, "request", RoundState.OPEN)
            s.event(spec, 1, "overdue", RoundState.OPEN)
        elif unit.id == sc.REMITTED:
            spec = s.spec("delarsrapport", sc.PERIOD, unit.id, sc.DUE)
            s.event(spec, 0, "request", RoundState.OPEN)
            sid = s.submit(spec, sc.delar_content(unit.id, unit.name))
            s.event(spec, 1, "submitted", RoundState.ON_AGENDA, sid)
            s.event(spec, 2, "remitted", RoundState.REMITTED, sid)
        elif unit.id == "ksf":
            # Remitted once, then completed and approved: version 2 is the one to use.
            spec = s.spec("delarsrapport", sc.PERIOD, unit.id, sc.DUE)
            s.event(spec, 0, "request", RoundState.OPEN)
            first = sc.delar_content(unit.id, unit.name).model_copy(deep=True)
            assert first.economic is not None
            first.economic.forecast_tkr += 9_999
            sid = s.submit(spec, first)
            s.event(spec, 1, "submitted", RoundState.ON_AGENDA, sid)
            s.event(spec, 2, "remitted", RoundState.REMITTED, sid)
            sid = s.submit(spec, sc.delar_content(unit.id, unit.name))
            s.event(spec, 3, "submitted", RoundState.ON_AGENDA, sid)
            s.event(spec, 4, "approved", RoundState.APPROVED, sid)
        else:
            s.approved_round(
                "delarsrapport", sc.PERIOD, unit.id, sc.delar_content(unit.id, unit.name), sc.DUE
            )
