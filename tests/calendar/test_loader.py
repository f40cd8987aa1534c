"""Every kind of configuration error names the file, the path inside it and what is wrong."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from arshjul.calendar.loader import ConfigError, load_config, load_config_text
from tests.calendar.conftest import dump

Data = dict[str, Any]


def _set(path: str, value: Any) -> Callable[[Data], None]:
    def apply(data: Data) -> None:
        node: Any = data
        keys = [int(k) if k.isdigit() else k for k in path.split(".")]
        for key in keys[:-1]:
            node = node[key]
        node[keys[-1]] = value

    return apply


def _append(path: str, value: Any) -> Callable[[Data], None]:
    def apply(data: Data) -> None:
        data[path].append(value)

    return apply


UNIT = {"id": "sof", "name": "Dubblett", "chef": {"name": "X", "email": "x@example.org"}}
CASES = [
    # (mutation, path in the message, words of the message)
    (_set("reports.0.dew", {"month": 4, "day": 1}), "reports[0].dew", "unknown key"),
    (_set("committees.0.id", "installningar"), "committees[0].id", "arshjul's own pages"),
    (lambda d: d["reports"][0].pop("due"), "reports[0].due", "required key is missing"),
    (
        _set("reports.0.due", {"month": 13, "day": 1}),
        "reports[0].due.month",
        "less than or equal to 12",
    ),
    (_set("reports.0.due", {"within": 3}), "reports[0].due", "not a date rule"),
    (_set("reports.0.due", {"month": 2, "day": 30}), "reports[0].due.day", "day 30 does not exist"),
    (
        _set("reports.0.due", {"after": "opens", "days": 3, "working_days": 2}),
        "reports[0].due",
        "not both",
    ),
    (_set("units.0.chef.email", "inte-en-adress"), "units[0].chef.email", "email"),
    (_set("units.1.id", "Stora Bokstäver"), "units[1].id", "pattern"),
    (_set("reports.0.sections", ["economy"]), "reports[0].sections[0]", "economic"),
    (_append("units", UNIT), "units[2].id", "duplicate unit or role id 'sof'"),
    (_set("roles.0.id", "bun"), "roles[0].id", "duplicate unit or role id 'bun'"),
    (
        _set("reports.0.submitters", {"units": ["sof", "okand"]}),
        "reports[0].submitters.units[1]",
        "unknown unit 'okand'",
    ),
    (_set("reports.0.submitters", {"units": []}), "reports[0].submitters", "nobody submits"),
    (
        _set("reports.0.escalation.to_roles", ["kassor"]),
        "reports[0].escalation.to_roles[0]",
        "unknown role 'kassor'",
    ),
    (
        _set("reports.0.review.committee", "ksa"),
        "reports[0].review.committee",
        "unknown committee 'ksa'",
    ),
    (_set("committees.0.refers_to", "kf"), "committees[0].refers_to", "unknown committee 'kf'"),
    (
        _set("reports.0.followup", {"report": "atgard", "deviation_threshold_tkr": 100}),
        "reports[0].followup.report",
        "unknown report 'atgard'",
    ),
    (_set("reports.0.period_months", [2, 2]), "reports[0].period_months", "a month appears twice"),
    (
        _set("reports.0.due", {"after": "budgetdagen", "working_days": 2}),
        "reports[0].due.after",
        "'budgetdagen' is not a milestone",
    ),
    (
        _set("milestones.0.date", {"after": "kf", "days": 1}),
        "milestones[0].date.after",
        "'kf' is not another milestone",
    ),
    (
        _append("milestones", {"id": "budgetdag", "title": "Igen", "date": {"month": 4, "day": 1}}),
        "milestones[1].id",
        "duplicate milestone id",
    ),
    (
        _append("milestones", {"id": "due", "title": "Fel", "date": {"month": 4, "day": 1}}),
        "milestones[1].id",
        "reserved",
    ),
    (
        lambda d: d["milestones"].extend(
            [
                {"id": "a", "title": "A", "date": {"after": "b", "days": 1}},
                {"id": "b", "title": "B", "date": {"after": "a", "days": 1}},
            ]
        ),
        "milestones[1].date.after",
        "offset cycle: a -> b -> a",
    ),
    (
        lambda d: d["reports"][0].update(
            opens={"after": "due", "days": -5}, due={"after": "opens", "days": 5}
        ),
        "reports[0].opens.after",
        "offset cycle",
    ),
    (
        _set("reports.0.opens", {"working_days_after_period_end": 20}),
        "reports[0].due",
        "comes before opens",
    ),
    (
        _set("organisation.timezone", "Europe/Hedemora"),
        "organisation.timezone",
        "unknown time zone",
    ),
    (_set("milestones.0.committee", "kf"), "milestones[0].committee", "unknown committee 'kf'"),
    (
        _set("organisation.diarienummer", {"pattern": "KS {year}"}),
        "organisation.diarienummer.pattern",
        "needs exactly one {seq}",
    ),
    (
        _set("organisation.diarienummer", {"pattern": "KS {år}/{seq}"}),
        "organisation.diarienummer.pattern",
        "unknown placeholder {år}",
    ),
    (
        _set("organisation.diarienummer", {"pattern": "KS {year/{seq}"}),
        "organisation.diarienummer.pattern",
        "unbalanced brace",
    ),
    (
        _set("organisation.diarienummer", {"pattern": "KS {year}/{seq}", "accept": "KS (\\d+"}),
        "organisation.diarienummer.accept",
        "not a regular expression",
    ),
]


@pytest.mark.parametrize(
    ("mutate", "path", "words"), CASES, ids=[c[1] + ":" + c[2][:20] for c in CASES]
)
def test_each_error_names_path_and_problem(
    small: Data, mutate: Callable, path: str, words: str, tmp_path: Path
) -> None:
    mutate(small)
    file = tmp_path / "arshjul.yaml"
    file.write_text(dump(small), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(file)
    message = str(caught.value)
    assert message.startswith(f"{file}: ")
    assert f": {path}: " in message
    assert words in message
    assert "line " in message


def test_the_small_configuration_is_valid_and_a_committee_may_lack_meetings(small: Data) -> None:
    config = load_config_text(dump(small))
    assert config.committee("ks").meetings == []


def test_yaml_syntax_error_gives_line_and_column() -> None:
    text = "organisation:\n  id: x\n  name: [oops\nunits: []\n"
    with pytest.raises(ConfigError) as caught:
        load_config_text(text, "bad.yaml")
    assert str(caught.value).startswith("bad.yaml: line 4, column 6: YAML syntax error")


def test_duplicate_keys_are_errors(small: Data) -> None:
    text = dump(small).replace(
        "  name: Lilla kommunen\n", "  name: Lilla kommunen\n  name: Stora\n"
    )
    with pytest.raises(
        ConfigError, match=r"<string>: organisation.name: line 4: key 'name' appears twice"
    ):
        load_config_text(text)


@pytest.mark.parametrize(
    ("text", "words"), [("- a\n- b\n", "must hold a mapping"), ("", "must hold a mapping")]
)
def test_file_that_is_not_a_mapping(text: str, words: str) -> None:
    with pytest.raises(ConfigError, match=words):
        load_config_text(text)


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="file not found"):
        load_config(tmp_path / "saknas.yaml")
    with pytest.raises(ConfigError, match="is a directory"):
        load_config(tmp_path)


def test_all_problems_are_reported_at_once(small: Data) -> None:
    small["reports"][0]["review"]["committee"] = "x"
    small["milestones"][0]["committee"] = "y"
    with pytest.raises(ConfigError) as caught:
        load_config_text(dump(small))
    assert len(caught.value.issues) == 2
