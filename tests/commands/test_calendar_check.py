"""`arshjul calendar check`: every mistake found, located (file and line), explained in Swedish,
with the documented exit code (2 error, 1 legal limit, 0 warning) and never a traceback."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.calendar.conftest import SMALL
from tests.commands.test_calendar_cli import EXAMPLES, run


def _write(tmp_path: Path, data: dict[str, Any]) -> Path:
    file = tmp_path / "kommun.yaml"
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return file


def _line(file: Path, text: str, after: str = "") -> int:
    """Returns the first line (1-based) holding `text` at or after the line holding `after`."""
    lines = file.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if after in line)
    return next(i for i, line in enumerate(lines[start:], start + 1) if text in line)


def _small(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(SMALL)
    # A meeting after every round of the small example, so only the mistake under test shows.
    data["committees"][0]["meetings"] = ["2026-03-17", "2026-03-31"]
    data.update(changes)
    return data


def _check(file: Path, *years: int):  # noqa: ANN202 - click's Result
    args = ["calendar", "check", "--config", str(file)]
    for year in years or (2026,):
        args += ["--year", str(year)]
    return run(*args)


def test_the_small_example_is_clean(tmp_path: Path) -> None:
    result = _check(_write(tmp_path, _small()))
    assert result.exit_code == 0, result.output
    assert "no findings" in result.stdout


@pytest.mark.parametrize("name", ["hedemora", "tertial", "namndkommun"])
def test_the_bundled_examples_are_clean_through_2028(name: str) -> None:
    result = _check(EXAMPLES / f"{name}.yaml", 2026, 2027, 2028)
    assert result.exit_code == 0, result.output
    assert "no findings" in result.stdout


def test_a_meeting_on_a_sunday_or_holiday_is_an_error(tmp_path: Path) -> None:
    data = _small()
    data["committees"][0]["meetings"] += ["2026-10-18", "2026-12-25"]
    file = _write(tmp_path, data)
    result = _check(file)
    assert result.exit_code == 2
    out = result.stdout
    assert f"{file}:{_line(file, '2026-10-18')}: error: committees[0].meetings[2]:" in out
    assert "söndag 18 oktober 2026, som inte är en arbetsdag" in out
    assert f"{file}:{_line(file, '2026-12-25')}: error: committees[0].meetings[3]:" in out
    assert "(Juldagen)" in out
    assert "2 error(s)" in result.stderr


def test_a_milestone_on_a_day_its_committee_does_not_meet_is_an_error(tmp_path: Path) -> None:
    data = _small()
    # KSAU meets Tuesday 17 March; the milestone says Wednesday 18 March.
    data["milestones"][0].update(committee="ksau", date={"month": 3, "day": 18})
    file = _write(tmp_path, data)
    result = _check(file)
    assert result.exit_code == 2
    line = _line(file, "date:", after="id: budgetdag")
    assert f"{file}:{line}: error: milestones[0].date:" in result.stdout
    assert "men KSAU har inget sammanträde den dagen" in result.stdout
    assert "{meeting: ksau, month: 3}" in result.stdout


def test_a_target_meeting_in_a_month_without_meetings_is_an_error(tmp_path: Path) -> None:
    data = _small()
    data["reports"][0]["review"]["meeting"] = {"month": 5}
    file = _write(tmp_path, data)
    result = _check(file)
    assert result.exit_code == 2
    assert f"{file}:{_line(file, 'review:')}: error: reports[0].review:" in result.stdout
    assert "KSAU har inget sammanträde i maj 2026 i konfigurationen" in result.stdout


def test_a_date_counted_from_a_missing_meeting_is_an_error(tmp_path: Path) -> None:
    data = _small()
    data["milestones"][0]["date"] = {"meeting": "ks", "month": 3, "working_days_before": 5}
    file = _write(tmp_path, data)
    result = _check(file)
    assert result.exit_code == 2
    line = _line(file, "date:", after="id: budgetdag")
    assert f"{file}:{line}: error: milestones[0].date:" in result.stdout
    assert "KS har inget sammanträde i mars 2026" in result.stdout


def test_a_target_the_report_cannot_reach_on_time_is_an_error(tmp_path: Path) -> None:
    data = _small()
    # Due Friday 13 March, the agenda closes 7 days before a meeting: 17 March is out of reach.
    data["reports"][0]["review"]["meeting"] = {"month": 3}
    file = _write(tmp_path, data)
    result = _check(file)
    assert result.exit_code == 2
    assert "the target meeting 2026-03-17 cannot be reached" in result.stdout
    assert "hinner inte dit ens om den lämnas in på sista dagen" in result.stdout


def test_a_year_without_the_meetings_its_rounds_need_is_a_warning(tmp_path: Path) -> None:
    data = _small()
    data["committees"][0]["meetings"] = ["2026-03-17"]  # the February report is due 13 March
    file = _write(tmp_path, data)
    result = _check(file)
    assert result.exit_code == 0
    assert f"{file}:{_line(file, 'meetings:')}: warning: committees[0].meetings:" in result.stdout
    assert "KSAU har inget sammanträde efter 17 mars 2026" in result.stdout
    assert "1 warning(s)" in result.stdout


def test_a_budget_set_by_the_old_council_in_an_election_year_breaks_the_law(
    tmp_path: Path,
) -> None:
    data = _small()
    data["milestones"].append(
        {
            "id": "kf-budget",
            "title": "KF fastställer budget {år}",
            "date": {"month": 6, "day": 16},
            "legal": "kf_budget",
            "concerns_year_offset": 1,
        }
    )
    file = _write(tmp_path, data)
    result = _check(file)  # 2026 is a valår
    assert result.exit_code == 1
    line = _line(file, "date:", after="id: kf-budget")
    assert f"{file}:{line}: legal limit: milestones[1].date:" in result.stdout
    assert "fastställs budgeten av de nyvalda fullmäktige" in result.stdout
    assert '"KF fastställer budget 2027" är 2026-06-16, tidigast 2026-10-15' in result.stdout
    assert _check(file, 2027).exit_code == 0  # no election in 2027


def test_a_delarsrapport_covering_four_months_breaks_the_law(tmp_path: Path) -> None:
    data = _small()
    data["reports"][0].update(period_months=[4], legal="delarsrapport_to_kf")
    data["reports"][0].pop("review")
    file = _write(tmp_path, data)
    result = _check(file)
    assert result.exit_code == 1
    line = _line(file, "period_months:")
    assert f"{file}:{line}: legal limit: reports[0].period_months:" in result.stdout
    assert "minst hälften och högst två tredjedelar" in result.stdout
    assert "13 kap. 1 §" in result.stdout


@pytest.mark.parametrize("command", ["check", "show", "ics"])
def test_an_impossible_date_is_located_and_exits_2(tmp_path: Path, command: str) -> None:
    data = _small()
    data["committees"][0]["meetings"] = ["2025-02-30"]
    file = _write(tmp_path, data)
    extra = ["-o", str(tmp_path / "x.ics")] if command == "ics" else []
    result = run("calendar", command, "--config", str(file), "--year", "2026", *extra)
    assert result.exit_code == 2
    assert f"{file}: committees[0].meetings[0].date: line {_line(file, '2025-02-30')}" in (
        result.stderr
    )
    assert "day value is outside expected range" in result.stderr


def test_a_fixed_date_on_a_report_with_several_periods_is_ambiguous(tmp_path: Path) -> None:
    data = _small()
    data["reports"][0].update(period_months=[4, 8], due={"month": 5, "day": 10})
    file = _write(tmp_path, data)
    result = _check(file)
    assert result.exit_code == 2
    line = _line(file, "due:", after="id: manad")
    assert f"{file}: reports[0].due: line {line}: ambiguous" in result.stderr
    assert "months_after_period" in result.stderr
    assert "period_overrides" in result.stderr


def test_the_new_councils_november_budget_makes_a_june_one_lawful(tmp_path: Path) -> None:
    data = _small()
    for when, month in (("juni", 6), ("november", 11)):
        data["milestones"].append(
            {
                "id": f"kf-budget-{when}",
                "title": f"KF fastställer budget {{år}} ({when})",
                "date": {"month": month, "day": 16},
                "legal": "kf_budget",
                "concerns_year_offset": 1,
            }
        )
    result = _check(_write(tmp_path, data))  # 2026 is a valår
    assert result.exit_code == 0, result.stdout
    assert "nyvalda fullmäktige" not in result.stdout


def test_a_march_period_beside_the_august_one_covers_enough(tmp_path: Path) -> None:
    data = _small()
    data["reports"][0].update(period_months=[3, 8], legal="delarsrapport_to_kf")
    data["reports"][0].pop("review")
    result = _check(_write(tmp_path, data))
    assert result.exit_code == 0, result.stdout
    assert "13 kap. 1 §" not in result.stdout


def test_an_untagged_delarsrapport_is_checked_for_its_coverage(tmp_path: Path) -> None:
    data = _small()
    data["reports"][0].update(id="delarsrapport", title="Delårsrapport", period_months=[4])
    data["reports"][0].pop("review")
    file = _write(tmp_path, data)
    result = _check(file)
    assert result.exit_code == 1
    assert f"{file}:{_line(file, 'period_months:')}: legal limit:" in result.stdout
    assert "minst hälften och högst två tredjedelar" in result.stdout


def test_next_years_missing_meeting_plan_is_one_warning(tmp_path: Path) -> None:
    data = _small()
    # KSAU's plan is adopted for 2026 only; a milestone counts from its March meeting and the
    # månadsrapport waits for its next meeting.
    data["milestones"][0]["date"] = {"meeting": "ksau", "month": 3}
    file = _write(tmp_path, data)
    result = _check(file, 2026, 2027)
    assert result.exit_code == 0, result.stdout
    assert result.stdout.count("Sammanträdesplanen för 2027 saknas (KSAU)") == 1
    assert f"{file}: warning: committees: the meeting plan for 2027 is missing" in result.stdout
    assert "error" not in result.stdout
    assert "1 warning(s)" in result.stdout
