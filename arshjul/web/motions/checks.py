"""A motion as typed into the form, checked field by field: each problem in Swedish beside its
field, nothing stored until every field is right."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.motions import CLOSED, KINDS, STATUSES
from arshjul.store.repositories import MotionFields
from arshjul.text import clean_text
from arshjul.web.core.inputs import date_from_form

LIMITS = {
    "number": 100,
    "title": 500,
    "submitted_by": 300,
    "decision_ref": 100,
    "delay_reason": 4000,
}
FIELDS = (
    "kind",
    "number",
    "title",
    "submitted_by",
    "vackt_on",
    "responsible",
    "status",
    "closed_on",
    "decision_ref",
    "delay_reason",
)
CLOSED_ON_SV = {
    "besvarad": "beslutsdatum",
    "avskriven": "datum för beslutet att avskriva",
    "atertagen": "datum då förslaget återtogs",
}


@dataclass
class Checked:
    """The form's result: the fields to store, or the problem of each bad field."""

    fields: MotionFields | None
    errors: dict[str, str] = field(default_factory=dict)


def responsibles(config: ArshjulConfig) -> list[tuple[str, str]]:
    """The committees and units that may bereda a motion, as (id, name)."""
    return [(c.id, c.name) for c in config.committees] + [(u.id, u.name) for u in config.units]


def kinds(config: ArshjulConfig) -> tuple[str, ...]:
    """The kinds the kommun takes: motions, and medborgarförslag when it has them."""
    citizen = config.motions is not None and config.motions.citizen_proposals
    return KINDS if citizen else ("motion",)


def _date(value: str, label: str, errors: dict[str, str], name: str) -> dt.date | None:
    try:
        return date_from_form(value)
    except ValueError:
        errors[name] = f"Skriv {label} som ÅÅÅÅ-MM-DD, t.ex. 2026-04-28."
        return None


def check_motion(
    config: ArshjulConfig, form: dict[str, str], today: dt.date, *, taken: bool
) -> Checked:
    """Checks a typed motion; `taken` tells that another motion already has its number."""
    values = {k: clean_text(form.get(k, "")).strip() for k in FIELDS}
    errors: dict[str, str] = {}
    labels = {
        "number": "numret (diarienumret)",
        "title": "rubriken",
        "submitted_by": "vem som lämnade förslaget",
    }
    for name, label in labels.items():
        if not values[name]:
            errors[name] = f"Skriv {label}."
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            errors[name] = f"Högst {limit} tecken ({len(values[name])} nu)."
    if "number" not in errors and taken:
        errors["number"] = f"Numret {values['number']} har redan en motion eller ett förslag."
    if values["kind"] not in kinds(config):
        errors["kind"] = "Välj om det är en motion eller ett medborgarförslag."
    known = dict(responsibles(config))
    if values["responsible"] not in known:
        errors["responsible"] = (
            "Välj nämnden eller förvaltningen som bereder ärendet i listan."
            if not values["responsible"]
            else f"{values['responsible']} är ingen nämnd eller förvaltning i årshjulet; välj en "
            "i listan."
        )
    vackt = _date(values["vackt_on"], "dagen då den väcktes", errors, "vackt_on")
    if vackt is None and "vackt_on" not in errors:
        errors["vackt_on"] = "Skriv dagen då den väcktes (fullmäktiges sammanträde)."
    elif vackt is not None and vackt > today:
        errors["vackt_on"] = "Dagen då den väcktes kan inte ligga efter i dag."
    status = values["status"] or "under_beredning"
    if status not in STATUSES:
        errors["status"] = "Välj en status i listan."
    closed = _date(values["closed_on"], "datumet", errors, "closed_on")
    if status in CLOSED and "closed_on" not in errors:
        if closed is None:
            errors["closed_on"] = f"Skriv {CLOSED_ON_SV[status]}."
        elif vackt is not None and closed < vackt:
            errors["closed_on"] = (
                f"Datumet {closed.isoformat()} ligger före dagen då ärendet väcktes "
                f"({vackt.isoformat()})."
            )
        elif closed > today:
            errors["closed_on"] = "Datumet kan inte ligga efter i dag."
    if status == "under_beredning" and closed is not None and "closed_on" not in errors:
        errors["closed_on"] = "Ett ärende under beredning har inget beslutsdatum; välj status."
    if errors or vackt is None:
        return Checked(None, errors)
    return Checked(
        MotionFields(
            kind=values["kind"],
            number=values["number"],
            title=values["title"],
            submitted_by=values["submitted_by"],
            vackt_on=vackt,
            responsible_id=values["responsible"],
            responsible_name=known[values["responsible"]],
            status=status,
            closed_on=closed if status in CLOSED else None,
            decision_ref=values["decision_ref"] or None,
            delay_reason=values["delay_reason"],
        )
    )
