"""The annual cycle's plans in SQL (the PlanStore of production)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from arshjul.models.plans import plan_hash, slot_of
from arshjul.models.rounds import RoundSpec, RoundState
from arshjul.store.db import make_engine, make_session_maker, utc_now
from arshjul.store.models import CyclePlan, CyclePlanRound, Round


class SqlPlans:
    """Plans stored once by hash; rounds of a year read from the rounds mirror."""

    def __init__(self, session_maker: sessionmaker[Session]) -> None:
        self.session_maker = session_maker

    def save(self, org_id: str, year: int, specs: list[RoundSpec]) -> str:
        """Stores a plan (a no-op when it is stored already) and returns its hash."""
        name = plan_hash(specs)
        with self.session_maker() as session:
            if session.get(CyclePlan, name) is not None:
                return name
            session.add(
                CyclePlan(
                    hash=name, org_id=org_id, year=year, rounds=len(specs), created_at=utc_now()
                )
            )
            session.flush()
            session.add_all(
                CyclePlanRound(
                    plan_hash=name,
                    workflow_id=s.workflow_id,
                    slot=slot_of(s),
                    spec=s.model_dump(mode="json", exclude={"clock_offset_s"}),
                )
                for s in specs
            )
            session.commit()
        return name

    def page(self, plan: str, slot: dt.datetime, after: str | None, limit: int) -> list[RoundSpec]:
        """Returns up to `limit` specs of a slot, by workflow id, after `after`."""
        query = select(CyclePlanRound.spec).where(
            CyclePlanRound.plan_hash == plan, CyclePlanRound.slot == slot
        )
        if after is not None:
            query = query.where(CyclePlanRound.workflow_id > after)
        query = query.order_by(CyclePlanRound.workflow_id).limit(limit)
        with self.session_maker() as session:
            return [RoundSpec.model_validate(row) for row in session.scalars(query)]

    def specs(self, plan: str) -> list[RoundSpec]:
        """Returns every spec of a plan (KeyError when there is no such plan)."""
        with self.session_maker() as session:
            if session.get(CyclePlan, plan) is None:
                raise KeyError(plan)
            rows = session.scalars(
                select(CyclePlanRound.spec)
                .where(CyclePlanRound.plan_hash == plan)
                .order_by(CyclePlanRound.workflow_id)
            )
            return [RoundSpec.model_validate(row) for row in rows]

    def states(self, org_id: str, year: int) -> dict[str, tuple[RoundState, dt.date | None]]:
        """Returns (state, meeting) of each started round of any plan of the organisation's year."""
        ids = (
            select(CyclePlanRound.workflow_id)
            .join(CyclePlan, CyclePlan.hash == CyclePlanRound.plan_hash)
            .where(CyclePlan.org_id == org_id, CyclePlan.year == year)
        )
        query = select(Round.workflow_id, Round.state, Round.meeting).where(
            Round.workflow_id.in_(ids)
        )
        with self.session_maker() as session:
            return {
                wid: (RoundState(state), meeting) for wid, state, meeting in session.execute(query)
            }


def sql_plans(database_url: str) -> SqlPlans:
    """Returns the plan store of a database (migrated: `arshjul db upgrade`)."""
    return SqlPlans(make_session_maker(make_engine(database_url)))
