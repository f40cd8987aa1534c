"""Who a person is in arshjul: address, name, roles and units, from the configuration and store.

Only people the årshjul knows may log in: those the configuration names (committee members and
secretaries, role holders such as the ekonomichef, units' chefs) and those a unit added (a deputy
during their dates, extra recipients). Roles are committee and role ids; units are unit ids.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from arshjul.calendar.config import ArshjulConfig
from arshjul.store.db import local_date, utc_now
from arshjul.store.unit_people import UnitPeopleRepository, UnitRole
from arshjul.web.core.deps import WebState

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class WebUser:
    """A logged-in person: address, name, roles (committee and role ids) and the units they
    answer for (as chef, deputy or recipient)."""

    email: str
    name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    units: frozenset[str] = field(default_factory=frozenset)

    def has(self, *role_ids: str) -> bool:
        """Tells whether the person holds any of these roles."""
        return bool(self.roles.intersection(role_ids))


def user_for_email(
    config: ArshjulConfig, email: str, unit_roles: Iterable[UnitRole] = ()
) -> WebUser | None:
    """Returns the person with this address, their roles and units, or None if unknown.

    `unit_roles` are what the store adds (deputies today, extra recipients).
    """
    wanted = email.strip().lower()
    name: str | None = None
    roles: set[str] = set()
    units: set[str] = set()
    for role in unit_roles:
        if role.org_id == config.organisation.id:
            units.add(role.unit_id)
            name = role.name
    for unit in config.units:
        if unit.chef.email.lower() == wanted:
            name = unit.chef.name
            units.add(unit.id)
    for committee in config.committees:
        people = [*committee.members, *([committee.secretary] if committee.secretary else [])]
        for person in people:
            if person.email.lower() == wanted:
                name = person.name
                roles.add(committee.id)
    for role in config.roles:
        for person in role.people:
            if person.email.lower() == wanted:
                name = person.name
                roles.add(role.id)
    if name is None:
        return None
    return WebUser(email=wanted, name=name, roles=frozenset(roles), units=frozenset(units))


def _units_today(session: Session, email: str, timezone: str) -> list[UnitRole]:
    day = local_date(utc_now(), timezone)
    return UnitPeopleRepository(session).units_of(email=email, day=day)


async def lookup_user(state: WebState, email: str) -> WebUser | None:
    """Returns the person with this address as the configuration and the store know them today."""
    address = email.strip().lower()
    try:
        found = await state.db(_units_today, address, state.config.organisation.timezone)
    except SQLAlchemyError as err:  # a store not migrated yet: the configuration still serves
        log.warning("unit people not read: %s", err)
        found = []
    return user_for_email(state.config, address, found)
