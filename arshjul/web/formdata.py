"""Between HTML forms and report content: dotted field names ("goals.0.comment") both ways.

Forms work without JavaScript, so list sections come with a few blank rows; blank rows are
dropped here, and amounts typed the Swedish way ("1 250,5") are read as numbers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from arshjul.forms.content import ActivityStatus, Assessment, Trend, VfKind
from arshjul.swedish import MINUS, number

LIST_SECTIONS = ("goals", "activities", "vf_list")
NUMBER_FIELDS = {"budget_tkr", "utfall_tkr", "forecast_tkr", "amount_tkr"}
OPTIONAL_EMPTY = {"start", "end"}  # dates that may be left out
_INDEX = re.compile(r"^\d{1,3}$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")

CHOICES: dict[str, list[str]] = {
    "assessment": [a.value for a in Assessment],
    "trend": [t.value for t in Trend],
    "status": [s.value for s in ActivityStatus],
    "kind": [k.value for k in VfKind],
}
BLANK_ROWS = {"goals": 1, "activities": 2, "vf_list": 2, "indicators": 1}


def _set(tree: dict[str, Any], parts: list[str], value: str) -> None:
    node: Any = tree
    for i, part in enumerate(parts):
        last = i == len(parts) - 1
        key: Any = int(part) if _INDEX.match(part) else part
        if isinstance(node, dict):
            if last:
                node[key] = value
            else:
                node = node.setdefault(key, {})
    return None


def _to_lists(node: Any) -> Any:
    # Dicts whose keys are all indices become lists, in index order (gaps closed).
    if isinstance(node, dict):
        converted = {k: _to_lists(v) for k, v in node.items()}
        if converted and all(isinstance(k, int) for k in converted):
            return [converted[k] for k in sorted(converted)]
        return converted
    return node


def _blank(node: Any) -> bool:
    if isinstance(node, dict):
        return all(_blank(v) for v in node.values())
    if isinstance(node, list):
        return all(_blank(v) for v in node)
    return str(node).strip() == ""


def _clean(key: str, node: Any) -> Any:
    if isinstance(node, list):
        return [_clean(key, item) for item in node if not _blank(item)]
    if isinstance(node, dict):
        result = {}
        for k, v in node.items():
            if isinstance(k, str) and k in OPTIONAL_EMPTY and _blank(v):
                continue
            result[k] = _clean(str(k), v)
        return result
    if key in NUMBER_FIELDS:
        return _SPACES.sub("", node).replace(",", ".").replace("\u2212", "-")
    return node


def form_to_content(fields: Mapping[str, str], sections: Iterable[str]) -> dict[str, Any]:
    """Builds the content dict of a report from dotted form fields, only for its sections."""
    wanted = set(sections)
    tree: dict[str, Any] = {}
    for name, value in fields.items():
        parts = name.split(".")
        if parts[0] in wanted and len(parts) <= 5 and len(name) <= 100:
            _set(tree, parts, value)
    data = _to_lists(tree)
    content: dict[str, Any] = {}
    for section in wanted:
        node = data.get(section)
        if node is None or _blank(node):
            if section in LIST_SECTIONS:
                content[section] = []
            continue
        if section in LIST_SECTIONS and not isinstance(node, list):
            node = []  # a tampered form: a list section posted as fields
        content[section] = _clean(section, node)
    return content


def _amount(value: Any) -> str:
    # Shown as typed the Swedish way ("120 000", "12,5"), so a saved form reads as it was filled.
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    decimals = 0 if amount == amount.to_integral_value() else 1
    return number(amount, decimals).replace(MINUS, "-")


def content_to_fields(content: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """Flattens stored content (or a draft) into dotted form fields, to pre-fill a form."""
    fields: dict[str, str] = {}
    for key, value in content.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            fields.update(content_to_fields(value, f"{name}."))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, Mapping):
                    fields.update(content_to_fields(item, f"{name}.{i}."))
                else:
                    fields[f"{name}.{i}"] = "" if item is None else str(item)
        else:
            fields[name] = (
                "" if value is None else _amount(value) if key in NUMBER_FIELDS else str(value)
            )
    return fields


def row_count(fields: Mapping[str, str], section: str) -> int:
    """Returns how many rows of a list section to show: those filled in plus blank ones."""
    # Only rows with something in them count: blank rows posted back with an error must not
    # come back as ever more blank rows.
    indices = {
        int(name.split(".")[1])
        for name, value in fields.items()
        if name.startswith(f"{section}.")
        and _INDEX.match(name.split(".")[1])
        and str(value).strip()
    }
    return (max(indices) + 1 if indices else 0) + BLANK_ROWS[section]


def indicator_count(fields: Mapping[str, str], goal: int) -> int:
    """Returns how many indicator rows to show for one goal."""
    prefix = f"goals.{goal}.indicators."
    indices = {
        int(n[len(prefix) :].split(".")[0])
        for n, value in fields.items()
        if n.startswith(prefix) and str(value).strip()
    }
    return (max(indices) + 1 if indices else 0) + BLANK_ROWS["indicators"]
