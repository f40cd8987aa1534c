"""The organisation, its units and people as last synced from the configuration, and the people
the units add themselves (deputies, extra recipients).
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from arshjul.store.models.base import Base


class Organisation(Base):
    """The organisation as last synced from the configuration."""

    __tablename__ = "organisations"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    timezone: Mapped[str] = mapped_column(String(64))
    synced_at: Mapped[dt.datetime]
    # The role every mail names as the contact for questions (from the configuration).
    contact_role: Mapped[str | None] = mapped_column(String(64))
    # The roles the weekly digest goes to, comma-separated (none: no digest).
    digest_roles: Mapped[str | None] = mapped_column(String(500))


class Unit(Base):
    """A unit (förvaltning, bolag) as last synced from the configuration."""

    __tablename__ = "units"

    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(32))
    chef_name: Mapped[str] = mapped_column(String(300))
    chef_email: Mapped[str] = mapped_column(String(320))
    # A unit removed from the configuration stays (old rounds name it) but is no longer active.
    active: Mapped[bool] = mapped_column(Boolean, default=True)


UNIT_RECIPIENT = "recipient"
UNIT_DEPUTY = "deputy"


class UnitPerson(Base):
    """Someone besides the configured chef who gets a unit's mails: always, or as deputy.

    A recipient gets every request, reminder and link of the unit. A deputy (ersättare) takes
    the chef's place from `starts` to `ends` (both included); set by the chef or the ekonomichef.
    """

    __tablename__ = "unit_people"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(64))
    unit_id: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))  # UNIT_RECIPIENT | UNIT_DEPUTY
    email: Mapped[str] = mapped_column(String(320), index=True)  # lower-cased
    name: Mapped[str] = mapped_column(String(300))
    starts: Mapped[dt.date | None] = mapped_column(Date)
    ends: Mapped[dt.date | None] = mapped_column(Date)
    created_by: Mapped[str] = mapped_column(String(320))
    created_at: Mapped[dt.datetime]

    __table_args__ = (Index("ix_unit_people_org_unit", "org_id", "unit_id"),)


class Person(Base):
    """Everyone the configuration names; only these addresses may log in."""

    __tablename__ = "people"

    org_id: Mapped[str] = mapped_column(ForeignKey("organisations.id"), primary_key=True)
    email: Mapped[str] = mapped_column(String(320), primary_key=True)  # lower-cased
    name: Mapped[str] = mapped_column(String(300))
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Membership(Base):
    """What a person is: a unit's chef, a role holder, a committee member or secretary."""

    __tablename__ = "memberships"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(64), index=True)
    email: Mapped[str] = mapped_column(String(320), index=True)
    # "unit_chef" | "role" | "committee_member" | "committee_secretary"
    kind: Mapped[str] = mapped_column(String(32))
    ref_id: Mapped[str] = mapped_column(String(64))  # unit, role or committee id
    ref_title: Mapped[str] = mapped_column(String(300))

    __table_args__ = (UniqueConstraint("org_id", "email", "kind", "ref_id"),)
