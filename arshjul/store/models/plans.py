"""The annual cycle's plans: every year's RoundSpecs, stored once under their hash."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from arshjul.store.models.base import Base


class CyclePlan(Base):
    """A year's plan (every RoundSpec), stored once under its sha256 and never changed.

    The annual cycle carries only the hash; a changed configuration is a new plan.
    """

    __tablename__ = "cycle_plans"

    hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    org_id: Mapped[str] = mapped_column(String(64))
    year: Mapped[int] = mapped_column(Integer)
    rounds: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[dt.datetime]

    __table_args__ = (Index("ix_cycle_plans_org_year", "org_id", "year"),)


class CyclePlanRound(Base):
    """One round of a plan, found by its opening instant (the cycle opens a slot page by page)."""

    __tablename__ = "cycle_plan_rounds"

    plan_hash: Mapped[str] = mapped_column(ForeignKey("cycle_plans.hash"), primary_key=True)
    workflow_id: Mapped[str] = mapped_column(String(300), primary_key=True)
    slot: Mapped[dt.datetime]
    spec: Mapped[dict[str, Any]]

    __table_args__ = (Index("ix_cycle_plan_rounds_slot", "plan_hash", "slot", "workflow_id"),)
