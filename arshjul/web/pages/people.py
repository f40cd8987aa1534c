"""The names a round's pages show for addresses the configuration does not name (deputies)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from arshjul.models.rounds import RoundSpec
from arshjul.store.repositories import UnitPeopleRepository


def people_names(session: Session, spec: RoundSpec) -> dict[str, str]:
    """The names of the round's recipients and the unit's own people (deputies) by address, for
    the `person` filter's `people_names` (the configuration's names it finds itself)."""
    names = {r.email.lower(): r.name for r in spec.recipients}
    unit_people = UnitPeopleRepository(session).list(org_id=spec.org_id, unit_id=spec.unit_id)
    return names | {p.email.lower(): p.name for p in unit_people}
