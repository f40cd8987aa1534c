"""Motioner and medborgarförslag as the law counts them: the one-year limit from the day a motion
was väckt (leap days, a year's end), which motions the report of a meeting lists, which meetings
report them, and the configuration's references checked with located messages."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from arshjul.calendar.check import check_config
from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.loader import ConfigError, load_config, load_config_text
from arshjul.calendar.motions import (
    days_left,
    in_time,
    is_report_meeting,
    limit_date,
    next_report_meeting,
    report_lines,
    report_meetings,
)
from arshjul.calendar.rules import MissingMeeting
from tests.calendar.conftest import EXAMPLES, dump

D = dt.date
UNIT = {"id": "ksf", "name": "KS förvaltning", "chef": {"name": "A", "email": "a@x.se"}}


@dataclass(frozen=True)
class M:
    """A motion as the rules see it."""

    number: str
    vackt_on: dt.date
    closed_on: dt.date | None = None


@pytest.mark.parametrize(
    ("vackt", "limit"),
    [
        (D(2026, 3, 31), D(2027, 3, 31)),
        (D(2028, 2, 29), D(2029, 2, 28)),  # no 29 February: the month's last day
        (D(2027, 2, 28), D(2028, 2, 28)),  # into a leap year: still the same date
        (D(2026, 12, 31), D(2027, 12, 31)),
        (D(2026, 12, 15), D(2027, 12, 15)),  # over a year's end
        (D(2027, 1, 1), D(2028, 1, 1)),
    ],
)
def test_the_limit_is_the_same_date_a_year_later(vackt: dt.date, limit: dt.date) -> None:
    assert limit_date(vackt) == limit
    assert in_time(vackt, limit)  # decided on the last day: in time
    assert not in_time(vackt, limit + dt.timedelta(days=1))
    assert days_left(vackt, limit) == 0
    assert days_left(vackt, limit + dt.timedelta(days=3)) == -3


def test_other_limits_count_months_the_same_way() -> None:
    assert limit_date(D(2026, 8, 31), 6) == D(2027, 2, 28)
    assert limit_date(D(2027, 8, 31), 6) == D(2028, 2, 29)
    assert limit_date(D(2026, 1, 31), 18) == D(2027, 7, 31)


def test_the_report_lists_exactly_those_under_beredning_on_the_meeting_day() -> None:
    meeting = D(2027, 4, 27)
    motions = [
        M("A", D(2026, 4, 28)),  # one year ends 28 April: not past it on the 27th
        M("B", D(2026, 4, 27)),  # its last day is the meeting day: not past it
        M("C", D(2026, 2, 10)),  # past: 2027-02-10 + 76 days
        M("D", D(2026, 9, 22), closed_on=D(2027, 3, 30)),  # decided before: not on the list
        M("E", D(2026, 10, 27), closed_on=meeting),  # decided at this meeting: not on it
        M("F", D(2026, 10, 27), closed_on=D(2027, 6, 15)),  # decided later: still open then
        M("G", meeting),  # väckt at this meeting: nothing to report yet
        M("H", D(2027, 6, 15)),  # väckt after
        M("I", D(2026, 4, 26)),  # one day past
    ]
    lines = report_lines(motions, meeting)
    assert [(line.motion.number, line.past_limit, line.days_over) for line in lines] == [
        ("C", True, 76),
        ("I", True, 1),
        ("B", False, 0),
        ("A", False, 0),
        ("F", False, 0),
    ]
    assert lines[0].limit == D(2027, 2, 10)


def _kf(meetings: list[str], report_at: list[dict[str, Any]]) -> ArshjulConfig:
    data = {
        "organisation": {"id": "liten", "name": "Lilla kommunen"},
        "units": [UNIT],
        "committees": [{"id": "kf", "name": "Kommunfullmäktige", "meetings": meetings}],
        "motions": {"committee": "kf", "report_at": report_at},
    }
    return load_config_text(dump(data), "liten.yaml")


def test_reporting_meetings_are_the_configured_meetings_of_each_year() -> None:
    config = _kf(
        ["2026-04-14", "2026-04-28", "2026-10-19", "2026-10-26", "2027-04-12", "2027-10-18"],
        [{"month": 4}, {"month": 10, "which": "last"}],
    )
    motions, dates = config.motions, config.committee("kf").dates
    assert motions is not None
    assert report_meetings(motions, dates, 2026) == [D(2026, 4, 14), D(2026, 10, 26)]
    assert is_report_meeting(motions, dates, D(2026, 10, 26))
    assert not is_report_meeting(motions, dates, D(2026, 10, 19))
    assert next_report_meeting(motions, dates, D(2026, 10, 27)) == D(2027, 4, 12)
    assert next_report_meeting(motions, dates, D(2026, 4, 14)) == D(2026, 4, 14)
    with pytest.raises(MissingMeeting):
        report_meetings(motions, dates, 2028)


def test_calendar_check_names_a_reporting_month_without_a_meeting() -> None:
    config = _kf(["2026-04-14", "2026-06-15"], [{"month": 4}, {"month": 10}])
    findings = check_config(config, [2026])
    assert [(f.severity, f.path) for f in findings] == [("error", "motions.report_at[1]")]
    assert "Kommunfullmäktige har inget sammanträde i oktober 2026" in findings[0].explanation_sv


@pytest.mark.parametrize(
    ("motions", "path", "words"),
    [
        (
            {"committee": "fullmaktige", "report_at": [{"month": 4}]},
            "motions.committee",
            "unknown committee 'fullmaktige' (known: kf)",
        ),
        (
            {"committee": "kf", "report_at": [{"month": 4}, {"month": 4}]},
            "motions.report_at[1]",
            "month 4 is given twice",
        ),
        (
            {"committee": "kf", "report_at": [{"month": 4}], "roles": ["kanslichef"]},
            "motions.roles[0]",
            "unknown role 'kanslichef'",
        ),
        (
            {"committee": "kf", "report_at": [{"month": 13}]},
            "motions.report_at[0].month",
            "less than or equal to 12",
        ),
        ({"committee": "kf", "report_at": []}, "motions.report_at", "at least 1 item"),
        (
            {"committee": "kf", "report_at": [{"meeting": "kf", "month": 4}]},
            "motions.report_at[0].meeting",
            "unknown key",
        ),
    ],
)
def test_bad_motion_settings_are_named_where_they_are(
    motions: dict[str, Any], path: str, words: str, tmp_path: Path
) -> None:
    data = {
        "organisation": {"id": "liten", "name": "Lilla kommunen"},
        "units": [UNIT],
        "committees": [{"id": "kf", "name": "Kommunfullmäktige", "meetings": ["2026-04-14"]}],
        "motions": motions,
    }
    file = tmp_path / "arshjul.yaml"
    file.write_text(dump(data), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(file)
    text = str(caught.value)
    assert f"arshjul.yaml: {path}" in text and words in text, text


@pytest.mark.parametrize("name", ["hedemora", "namndkommun", "tertial"])
def test_the_examples_report_in_april_and_october(name: str) -> None:
    config = load_config(EXAMPLES / f"{name}.yaml")
    assert config.motions is not None and config.motions.committee == "kf"
    days = report_meetings(config.motions, config.committee("kf").dates, 2027)
    assert [d.month for d in days] == [4, 10]
    assert not [f for f in check_config(config, [2026, 2027]) if f.path.startswith("motions")]


def test_a_configuration_without_motions_still_loads(tmp_path: Path) -> None:
    data = {
        "organisation": {"id": "liten", "name": "Lilla kommunen"},
        "units": [UNIT],
    }
    assert load_config_text(dump(data), "liten.yaml").motions is None
