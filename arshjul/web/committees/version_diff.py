"""What changed between two versions of a report, field by field, in Swedish (the committee's
case page shows it after a correction)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from arshjul.web.core.formdata import content_to_fields

FIELDS = {
    "budget_tkr": "budget (tkr)",
    "utfall_tkr": "utfall hittills (tkr)",
    "forecast_tkr": "helårsprognos (tkr)",
    "analysis": "analys",
    "measures": "planerade åtgärder",
    "goal": "mål",
    "assessment": "bedömning",
    "trend": "trend",
    "comment": "kommentar",
    "name": "namn",
    "value": "värde",
    "target": "målvärde",
    "title": "aktivitet",
    "start": "start",
    "end": "slut",
    "responsible": "ansvarig",
    "status": "status",
    "forvaltningsberattelse": "förvaltningsberättelse",
    "personalberattelse": "personalberättelse",
    "change": "förändring",
    "amount_tkr": "belopp (tkr)",
    "kind": "typ",
    "priority": "prioritet",
}
ROWS = {"goals": "Mål", "activities": "Aktivitet", "vf_list": "VF-rad", "indicators": "indikator"}
SECTIONS = {"economic": "Ekonomi", "texts": "Texter"}
_SKIP = re.compile(r"^(attachments\.|economic\.ledger\.|economic\.deviation)")


@dataclass(frozen=True)
class Change:
    """One field whose value differs between two versions."""

    label: str
    before: str
    after: str


def label(name: str) -> str:
    """Names a dotted field for people (goals.1.comment is "Mål 2: kommentar")."""
    parts = name.split(".")
    words: list[str] = []
    i = 0
    while i < len(parts) - 1:
        part = parts[i]
        if part in ROWS and i + 1 < len(parts) - 1 and parts[i + 1].isdigit():
            words.append(f"{ROWS[part]} {int(parts[i + 1]) + 1}")
            i += 2
            continue
        words.append(SECTIONS.get(part, part))
        i += 1
    field = FIELDS.get(parts[-1], parts[-1])
    return f"{', '.join(words)}: {field}" if words else field.capitalize()


def changes(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """Lists every field that differs between two stored contents, in the order of the form."""
    old, new = content_to_fields(before), content_to_fields(after)
    found = []
    for name in dict.fromkeys([*new, *old]):
        if _SKIP.match(name) or old.get(name, "") == new.get(name, ""):
            continue
        found.append(Change(label(name), old.get(name, ""), new.get(name, "")))
    files = [
        ", ".join(a.get("name", "") for a in version.get("attachments", []))
        for version in (before, after)
    ]
    if files[0] != files[1]:
        found.append(Change("Bilagor", files[0] or "–", files[1] or "–"))
    return found
