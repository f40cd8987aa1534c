"""Between HTML forms and report content: dotted field names ("goals.0.comment") both ways.

The one place that reads a report form's names. Each is checked against the form of the report,
derived from the content models (arshjul/forms/content.py): its sections and fields, row
numbers below the models' row limits, texts within their lengths. Anything else is refused as a
whole (FormInputError), before a draft is saved. Forms work without JavaScript, so list sections
come with a few blank rows; blank rows are dropped here, and amounts typed the Swedish way
("1 250,5") are read as numbers.
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Union, get_args, get_origin

from annotated_types import MaxLen
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from arshjul.forms.content import ActivityStatus, Assessment, ReportContent, Trend, VfKind
from arshjul.swedish import MINUS, number
from arshjul.text import clean_text
from arshjul.web.core.inputs import FormInputError

LIST_SECTIONS = ("goals", "activities", "vf_list")
NUMBER_FIELDS = {"budget_tkr", "utfall_tkr", "forecast_tkr", "amount_tkr"}
OPTIONAL_EMPTY = {"start", "end"}  # dates that may be left out
# Fields of the form that are not content: the CSRF token, the button, uploads, removals and
# the number of versions the page showed (a second click of the same form is told apart).
CONTROL_FIELDS = frozenset({"csrf", "action", "files", "remove_attachment", "base_version"})
MAX_FILES = 20
# All texts of one report together; a 200-row activity report with comments is ~0.3 million.
MAX_FORM_CHARS = 2_000_000
# Amounts, dates and choices: long enough for "-1 250 000,5", short enough to mean nothing else.
SHORT_FIELD = 60
_INDEX = re.compile(r"^(0|[1-9][0-9]{0,3})$")
_SPACES = re.compile(r"[\s\u00a0\u202f]")

CHOICES: dict[str, list[str]] = {
    "assessment": [a.value for a in Assessment],
    "trend": [t.value for t in Trend],
    "status": [s.value for s in ActivityStatus],
    "kind": [k.value for k in VfKind],
}
BLANK_ROWS = {"goals": 1, "activities": 2, "vf_list": 2, "indicators": 1}


@dataclass(frozen=True)
class Leaf:
    """One input of the form and the longest text it takes."""

    max_length: int


@dataclass(frozen=True)
class Rows:
    """A repeated group of inputs (goals, activities, …) and how many rows it may have."""

    item: dict[str, Shape]
    max_rows: int


Shape = Leaf | Rows | dict[str, "Shape"]


def _max_length(info: FieldInfo) -> int | None:
    return next((m.max_length for m in info.metadata if isinstance(m, MaxLen)), None)


def _without_none(annotation: Any) -> Any:
    if get_origin(annotation) in (Union, types.UnionType):
        return next(a for a in get_args(annotation) if a is not type(None))
    return annotation


def _model_shape(model: type[BaseModel]) -> dict[str, Shape]:
    shape: dict[str, Shape] = {}
    for name, info in model.model_fields.items():
        annotation = _without_none(info.annotation)
        if get_origin(annotation) is list:
            item = get_args(annotation)[0]
            shape[name] = Rows(_model_shape(item), _max_length(info) or 1)
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            shape[name] = _model_shape(annotation)
        else:
            shape[name] = Leaf(_max_length(info) or SHORT_FIELD)
    return shape


FORM: dict[str, Shape] = _model_shape(ReportContent)
# The form only carries the hashes of attachments already stored; the rest comes from SQL.
FORM["attachments"] = Rows({"sha256": Leaf(64)}, MAX_FILES)
# The ledger's figures are set by the server from the newest import, never taken from the form.
_economic = FORM["economic"]
assert isinstance(_economic, dict)
_economic.pop("ledger", None)


def _count(shape: Shape) -> int:
    if isinstance(shape, Leaf):
        return 1
    if isinstance(shape, Rows):
        return shape.max_rows * _count(shape.item)
    return sum(_count(s) for s in shape.values())


# What Starlette may parse of one report form (its default of 1,000 would stop 150 activities).
MAX_FIELDS = _count(FORM) + len(CONTROL_FIELDS) + MAX_FILES


def _node(name: str, sections: Iterable[str]) -> Shape | None:
    parts = name.split(".")
    if len(name) > 120 or (parts[0] not in sections and parts[0] != "attachments"):
        return None
    node: Shape | None = FORM.get(parts[0])
    for part in parts[1:]:
        if isinstance(node, Rows):
            if not _INDEX.match(part) or int(part) >= node.max_rows:
                return None
            node = node.item
        elif isinstance(node, dict):
            node = node.get(part)
        else:
            return None
    return node


def cleans_itself(name: str) -> bool:
    """Tells whether a posted field is report content, which report_fields cleans (not refuses).

    Text pasted from a PDF or Word may carry control characters; the report keeps its text.
    """
    return "." in name


def field_limit(name: str, sections: Iterable[str]) -> int | None:
    """Returns the longest text the field takes, or None when the report has no such field."""
    node = _node(name, sections)
    return node.max_length if isinstance(node, Leaf) else None


class FieldsRefused(FormInputError):
    """A form refused field by field: `fields` holds every posted value of the report's fields,
    whole, so the form can be shown again with nothing lost; `limits` names each overlong field
    with its limit."""

    def __init__(self, message_sv: str, fields: dict[str, str], limits: dict[str, int]) -> None:
        super().__init__(message_sv)
        self.fields = fields
        self.limits = limits


class TextsTooLong(FieldsRefused):
    """Texts over their field's limit (and no other fault)."""

    def __init__(self, fields: dict[str, str], limits: dict[str, int]) -> None:
        super().__init__("En text är för lång. Inget har sparats.", fields, limits)


class UnknownFields(FieldsRefused):
    """Names that are no field of the report's form (a page of an older version, a script):
    left out of `fields`; the message names the first."""


def report_fields(items: Iterable[tuple[str, Any]], sections: Iterable[str]) -> dict[str, str]:
    """Checks every posted name against the report's form and cleans every value.

    Raises FormInputError for a form too big as a whole, and (after reading every field)
    UnknownFields for a name that is no field of the report and TextsTooLong for texts over
    their limit, both with the fields that are read; control fields (CSRF, buttons, uploads)
    are left out of the result.
    """
    wanted = set(sections)
    fields: dict[str, str] = {}
    too_long: dict[str, int] = {}
    unknown: list[str] = []
    total = 0
    for name, value in items:
        if name in CONTROL_FIELDS:
            continue
        limit = field_limit(name, wanted) if isinstance(value, str) else None
        if limit is None:
            unknown.append(clean_text(name)[:60])
            continue
        text = clean_text(value)
        if len(text) > limit:
            too_long[name] = limit  # kept whole: the person shortens it in the form shown again
        total += len(text)
        fields[name] = text
    if total > MAX_FORM_CHARS:
        raise FormInputError(
            "Rapporten är för stor (högst två miljoner tecken sammanlagt). Inget har sparats."
        )
    if unknown:
        raise UnknownFields(
            f"Formuläret innehåller ett fält som inte hör till rapporten ({unknown[0]}). "
            "Inget har sparats. Dina svar på rapportens frågor finns kvar nedan: kontrollera "
            "dem och skicka formuläret härifrån.",
            fields,
            too_long,
        )
    if too_long:
        raise TextsTooLong(fields, too_long)
    return fields


def known_fields(fields: Mapping[str, str], sections: Iterable[str]) -> dict[str, str]:
    """Keeps the fields the report's form has (a draft saved by older code may hold others)."""
    wanted = set(sections)
    return {k: v for k, v in fields.items() if field_limit(k, wanted) is not None}


def _set(tree: dict[str, Any], parts: list[str], value: str) -> None:
    node: Any = tree
    for i, part in enumerate(parts):
        key: Any = int(part) if _INDEX.match(part) else part
        if i == len(parts) - 1:
            node[key] = value
        else:
            node = node.setdefault(key, {})


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
    """Builds the content dict of a report from checked form fields, only for its sections."""
    wanted = set(sections)
    tree: dict[str, Any] = {}
    for name, value in fields.items():
        parts = name.split(".")
        if parts[0] in wanted:
            _set(tree, parts, value)
    data = _to_lists(tree)
    content: dict[str, Any] = {}
    for section in wanted:
        node = data.get(section)
        if node is None or _blank(node):
            if section in LIST_SECTIONS:
                content[section] = []
            continue
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


def _rows(fields: Mapping[str, str], prefix: str, blank: int, most: int) -> int:
    # Only rows with something in them count: blank rows posted back with an error must not
    # come back as ever more blank rows.
    indices = {
        int(part)
        for name, value in fields.items()
        if name.startswith(prefix)
        and str(value).strip()
        and _INDEX.match(part := name[len(prefix) :].split(".")[0])
    }
    return min((max(indices) + 1 if indices else 0) + blank, most)


def row_count(fields: Mapping[str, str], section: str) -> int:
    """Returns how many rows of a list section to show: those filled in plus blank ones."""
    rows = FORM[section]
    assert isinstance(rows, Rows)
    return _rows(fields, f"{section}.", BLANK_ROWS[section], rows.max_rows)


def indicator_count(fields: Mapping[str, str], goal: int) -> int:
    """Returns how many indicator rows to show for one goal."""
    goals = FORM["goals"]
    assert isinstance(goals, Rows)
    indicators = goals.item["indicators"]
    assert isinstance(indicators, Rows)
    prefix = f"goals.{goal}.indicators."
    return _rows(fields, prefix, BLANK_ROWS["indicators"], indicators.max_rows)
