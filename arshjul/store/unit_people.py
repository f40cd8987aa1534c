"""Who answers for a unit on a given day: its chef, a deputy (ersättare) for a date range, and any
further recipients — read when a mail is sent, so a deputy set today gets tomorrow's reminder."""

from __future__ import annotations

import builtins
import datetime as dt
from dataclasses import dataclass

from sqlalchemy import delete, or_, select
from sqlalchemy.orm import Session

from arshjul.store.db import utc_now
from arshjul.store.models import UNIT_DEPUTY, UNIT_RECIPIENT, Membership, Person, Unit, UnitPerson


@dataclass(frozen=True)
class UnitRole:
    """A unit a person answers for, why, and the name the unit knows them by."""

    org_id: str
    unit_id: str
    why: str  # "chef" | "deputy" | "recipient"
    name: str


@dataclass(frozen=True)
class Responsible:
    """A person who gets a unit's mails on a day, and why (chef, deputy or recipient)."""

    name: str
    email: str
    why: str  # "chef" | "deputy" | "recipient"


class UnitPeopleRepository:
    """Reads and changes a unit's extra recipients and deputies."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def list(self, *, org_id: str, unit_id: str) -> list[UnitPerson]:
        """Lists the unit's recipients and deputies (deputies by start date)."""
        query = (
            select(UnitPerson)
            .where(UnitPerson.org_id == org_id, UnitPerson.unit_id == unit_id)
            .order_by(UnitPerson.kind, UnitPerson.starts, UnitPerson.id)
        )
        return list(self.session.scalars(query))

    def add(
        self,
        *,
        org_id: str,
        unit_id: str,
        kind: str,
        name: str,
        email: str,
        created_by: str,
        starts: dt.date | None = None,
        ends: dt.date | None = None,
    ) -> UnitPerson:
        """Adds a recipient (no dates) or a deputy (from `starts` to `ends`, both included)."""
        if kind not in (UNIT_RECIPIENT, UNIT_DEPUTY):
            raise ValueError(f"unknown kind {kind!r}")
        if kind == UNIT_DEPUTY and (starts is None or ends is None or ends < starts):
            raise ValueError("a deputy needs a start and an end on or after it")
        row = UnitPerson(
            org_id=org_id,
            unit_id=unit_id,
            kind=kind,
            name=name.strip(),
            email=email.strip().lower(),
            starts=starts if kind == UNIT_DEPUTY else None,
            ends=ends if kind == UNIT_DEPUTY else None,
            created_by=created_by,
            created_at=utc_now(),
        )
        self.session.add(row)
        self.session.flush()
        return row

    def remove(self, *, org_id: str, unit_id: str, person_id: int) -> UnitPerson | None:
        """Removes one recipient or deputy of this unit; returns it, or None if it was not there."""
        row = self.session.get(UnitPerson, person_id)
        if row is None or (row.org_id, row.unit_id) != (org_id, unit_id):
            return None
        self.session.execute(delete(UnitPerson).where(UnitPerson.id == person_id))
        return row

    # Annotations below say builtins.list: in the class body `list` is the method above.
    def chefs(self, *, org_id: str, unit_id: str) -> builtins.list[Responsible]:
        """Returns the configured chef of a unit, or the holders of a role that submits."""
        unit = self.session.get(Unit, (org_id, unit_id))
        if unit is not None:
            return [Responsible(unit.chef_name, unit.chef_email, "chef")]
        query = select(Membership).where(
            Membership.org_id == org_id, Membership.kind == "role", Membership.ref_id == unit_id
        )
        names = {p.email: p.name for p in self._people(org_id)}
        return [
            Responsible(names.get(m.email, m.email), m.email, "chef")
            for m in self.session.scalars(query.order_by(Membership.email))
        ]

    def _people(self, org_id: str) -> builtins.list[Person]:
        return list(self.session.scalars(select(Person).where(Person.org_id == org_id)))

    def responsible_on(
        self, *, org_id: str, unit_id: str, day: dt.date
    ) -> builtins.list[Responsible]:
        """Returns who gets the unit's mails on `day`: deputies instead of the chef, and recipients.

        Empty when the store knows nothing of the unit (the caller keeps its own list then).
        """
        query = select(UnitPerson).where(
            UnitPerson.org_id == org_id,
            UnitPerson.unit_id == unit_id,
            or_(
                UnitPerson.kind == UNIT_RECIPIENT,
                (UnitPerson.starts <= day) & (UnitPerson.ends >= day),
            ),
        )
        rows = list(self.session.scalars(query.order_by(UnitPerson.id)))
        deputies = [Responsible(r.name, r.email, "deputy") for r in rows if r.kind == UNIT_DEPUTY]
        extra = [Responsible(r.name, r.email, "recipient") for r in rows if r.kind != UNIT_DEPUTY]
        first = deputies or self.chefs(org_id=org_id, unit_id=unit_id)
        seen: dict[str, Responsible] = {}
        for person in [*first, *extra]:
            seen.setdefault(person.email, person)
        return list(seen.values())

    def units_of(
        self, *, email: str, day: dt.date, upcoming: bool = False
    ) -> builtins.list[UnitRole]:
        """Lists the units a person answers for on `day`: as chef, deputy or recipient (with
        `upcoming`, also as deputy for a later period)."""
        address = email.strip().lower()
        found = [
            UnitRole(u.org_id, u.id, "chef", u.chef_name)
            for u in self.session.scalars(
                select(Unit).where(Unit.chef_email == address, Unit.active)
            )
        ]
        query = select(UnitPerson).where(UnitPerson.email == address)
        for row in self.session.scalars(query.order_by(UnitPerson.id)):
            if row.kind == UNIT_RECIPIENT:
                found.append(UnitRole(row.org_id, row.unit_id, "recipient", row.name))
            elif row.starts is not None and row.ends is not None and row.ends >= day:
                if upcoming or row.starts <= day:
                    found.append(UnitRole(row.org_id, row.unit_id, "deputy", row.name))
        return found
