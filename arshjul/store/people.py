"""The organisation, its units and people, kept in step with the configuration."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig
from arshjul.store.db import utc_now
from arshjul.store.models import Membership, Organisation, Person, Unit


def _memberships(config: ArshjulConfig) -> dict[tuple[str, str, str], tuple[str, str]]:
    # (email, kind, ref_id) -> (person name, title of what they are)
    found: dict[tuple[str, str, str], tuple[str, str]] = {}
    for unit in config.units:
        found[(unit.chef.email.lower(), "unit_chef", unit.id)] = (unit.chef.name, unit.name)
    for role in config.roles:
        for person in role.people:
            found[(person.email.lower(), "role", role.id)] = (person.name, role.title)
    for committee in config.committees:
        for person in committee.members:
            key = (person.email.lower(), "committee_member", committee.id)
            found[key] = (person.name, committee.name)
        if committee.secretary is not None:
            key = (committee.secretary.email.lower(), "committee_secretary", committee.id)
            found[key] = (committee.secretary.name, committee.name)
    return found


def sync_config(session: Session, config: ArshjulConfig) -> None:
    """Brings organisation, units, people and memberships in line with the configuration."""
    org = config.organisation
    row = session.get(Organisation, org.id)
    if row is None:
        row = Organisation(id=org.id)
        session.add(row)
    row.name, row.timezone, row.synced_at = org.name, org.timezone, utc_now()
    row.contact_role = config.contact_role_id()
    row.digest_roles = ",".join(org.digest.to_roles) if org.digest else None
    session.flush()

    query = select(Unit).where(Unit.org_id == org.id)
    units = {f"{u.org_id}/{u.id}": u for u in session.scalars(query)}
    for unit in config.units:
        db_unit = units.pop(f"{org.id}/{unit.id}", None)
        if db_unit is None:
            db_unit = Unit(org_id=org.id, id=unit.id)
            session.add(db_unit)
        db_unit.name, db_unit.kind = unit.name, unit.kind
        db_unit.chef_name, db_unit.chef_email = unit.chef.name, unit.chef.email.lower()
        db_unit.active = True
    for gone in units.values():
        gone.active = False  # old rounds still name it

    wanted = _memberships(config)
    names = {email: name for (email, _, _), (name, _) in wanted.items()}
    people = {p.email: p for p in session.scalars(select(Person).where(Person.org_id == org.id))}
    for email, name in names.items():
        person = people.pop(email, None)
        if person is None:
            person = Person(org_id=org.id, email=email)
            session.add(person)
        person.name, person.active = name, True
    for gone_person in people.values():
        gone_person.active = False  # can no longer log in

    existing = {
        (m.email, m.kind, m.ref_id): m
        for m in session.scalars(select(Membership).where(Membership.org_id == org.id))
    }
    for key, (_, title) in wanted.items():
        member = existing.pop(key, None)
        if member is None:
            email, kind, ref_id = key
            member = Membership(org_id=org.id, email=email, kind=kind, ref_id=ref_id)
            session.add(member)
        member.ref_title = title
    for stale in existing.values():
        session.delete(stale)
    session.flush()


class OrganisationRepository:
    """Reads the organisation's row (what the last configuration sync wrote)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, *, org_id: str) -> Organisation | None:
        """Gets the organisation by its id."""
        return self.session.get(Organisation, org_id)


class PeopleRepository:
    """Looks up the people the configuration names (login, page permissions, mail recipients)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, *, email: str, org_id: str | None = None) -> Person | None:
        """Gets an active person by address (case-insensitive)."""
        query = select(Person).where(Person.email == email.strip().lower(), Person.active)
        if org_id is not None:
            query = query.where(Person.org_id == org_id)
        return self.session.scalars(query.order_by(Person.org_id)).first()

    def org_of(self, *, email: str) -> str | None:
        """Returns the organisation of a person with this address (active or not), else None."""
        query = select(Person.org_id).where(Person.email == email.strip().lower())
        return self.session.scalars(query.order_by(Person.org_id)).first()

    def first_holder(self, *, org_id: str, role_id: str) -> tuple[Membership, Person] | None:
        """Gets a role's first active holder (in membership order) with the membership."""
        query = (
            select(Membership, Person)
            .join(Person, (Person.org_id == Membership.org_id) & (Person.email == Membership.email))
            .where(
                Membership.org_id == org_id,
                Membership.kind == "role",
                Membership.ref_id == role_id,
                Person.active,
            )
            .order_by(Membership.id)
        )
        found = self.session.execute(query).first()
        return (found[0], found[1]) if found is not None else None

    def holders(self, *, org_id: str, role_ids: Sequence[str]) -> list[tuple[str, str]]:
        """Lists the active holders of any of these roles as (name, email), once each, by email."""
        query = (
            select(Person.name, Person.email)
            .join(
                Membership,
                (Membership.org_id == Person.org_id) & (Membership.email == Person.email),
            )
            .where(
                Person.org_id == org_id,
                Person.active,
                Membership.kind == "role",
                Membership.ref_id.in_(role_ids),
            )
            .distinct()
            .order_by(Person.email)
        )
        return [(name, email) for name, email in self.session.execute(query)]

    def memberships(self, *, email: str, org_id: str | None = None) -> list[Membership]:
        """Lists what an address is: unit chef, role holder, committee member or secretary."""
        query = select(Membership).where(Membership.email == email.strip().lower())
        if org_id is not None:
            query = query.where(Membership.org_id == org_id)
        return list(self.session.scalars(query.order_by(Membership.kind, Membership.ref_id)))

    def units(self, *, org_id: str, active_only: bool = True) -> list[Unit]:
        """Lists the organisation's units by name."""
        query = select(Unit).where(Unit.org_id == org_id)
        if active_only:
            query = query.where(Unit.active)
        return list(self.session.scalars(query.order_by(Unit.name)))
