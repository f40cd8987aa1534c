"""`arshjul simulate` of every bundled example: each decision is taken by the right committee at
one of its meetings, the chains reach their last committee, a late round that misses its target
meeting says so, and the exit codes are those of `calendar check`."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import yaml
from typer.testing import CliRunner

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.expand import round_specs
from arshjul.calendar.loader import load_config
from arshjul.cli import app
from arshjul.simulation.run import YearResult, simulate_year
from arshjul.simulation.script import Script
from tests.calendar.conftest import SMALL
from tests.commands.test_calendar_cli import EXAMPLES

STOCKHOLM = ZoneInfo("Europe/Stockholm")
# In the nämnd organisation the bildningsförvaltning hands in its delårsrapport six working days
# late: its nämnd takes it in October, past its own September target and KS's (13 October).
LATE = Script.model_validate(
    {
        "submissions": [
            {
                "report": "delarsrapport",
                "period": "2026-08",
                "unit": "bildningsforvaltningen",
                "working_days_from_due": 6,
            }
        ]
    }
)


def assert_decided_at_meetings(config: ArshjulConfig, result: YearResult) -> None:
    """Every decision: a committee of the configuration, on one of its meeting days."""
    assert result.decisions and result.problems == []
    for d in result.decisions:
        committee = config.committee(d.committee_id)
        assert d.meeting in committee.dates, (d.workflow_id, d.committee_id, d.meeting)
        assert d.time.astimezone(STOCKHOLM).date() == d.meeting


@pytest.fixture(scope="module")
async def namnd_year() -> tuple[ArshjulConfig, YearResult]:
    """The nämnd organisation's 2026 with one late delårsrapport."""
    config = load_config(EXAMPLES / "namndkommun.yaml")
    return config, await simulate_year(round_specs(config, 2026), LATE, 2026)


def test_hedemora_decisions_are_taken_at_the_right_meetings(default_year: YearResult) -> None:
    assert_decided_at_meetings(load_config(EXAMPLES / "hedemora.yaml"), default_year)


async def test_the_tertial_utskott_decides_the_uppsiktsrapporter() -> None:
    config = load_config(EXAMPLES / "tertial.yaml")
    result = await simulate_year(round_specs(config, 2026), Script(), 2026)
    assert_decided_at_meetings(config, result)
    uppsikt = {d.committee_id for d in result.decisions if "/uppsiktsrapport/" in d.workflow_id}
    assert uppsikt == {"ks-utskott-hr"}
    # T2, the delårsrapport, goes from KS to fullmäktige (a per-period review).
    t2 = [d for d in result.decisions if "/tertialrapport/2026-08/bildning" in d.workflow_id]
    assert [(d.committee_id, d.outcome) for d in t2] == [("ks", "passed_on"), ("kf", "approved")]


def test_the_nämnd_chain_reaches_fullmaktige(namnd_year: tuple[ArshjulConfig, YearResult]) -> None:
    config, result = namnd_year
    assert_decided_at_meetings(config, result)
    chain = [
        (d.committee_id, d.outcome, d.to_committee_id, d.meeting.isoformat())
        for d in result.decisions
        if d.workflow_id == "round/namndkommun/delarsrapport/2026-08/socialforvaltningen"
    ]
    assert chain == [
        ("socialnamnd", "passed_on", "ksau", "2026-09-24"),
        ("ksau", "passed_on", "ks", "2026-10-06"),
        ("ks", "passed_on", "kf", "2026-10-13"),
        ("kf", "approved", None, "2026-10-26"),
    ]
    # Kommunledningsförvaltningen is KS's own: its chain starts at KSAU.
    own = [
        d.committee_id for d in result.decisions if d.workflow_id.endswith("2026-08/kommunledning")
    ]
    assert own == ["ksau", "ks", "kf"]
    # Bolagen go to KS only.
    bolag = {d.committee_id for d in result.decisions if "delarsrapport-bolag" in d.workflow_id}
    assert bolag == {"ks"}


def test_a_late_round_that_misses_its_target_meeting_is_reported(
    namnd_year: tuple[ArshjulConfig, YearResult],
) -> None:
    _, result = namnd_year
    missed = [(e.round, e.detail) for e in result.entries if e.event == "target_missed"]
    late = "round/namndkommun/delarsrapport/2026-08/bildningsforvaltningen"
    # Both targets: the nämnd's September meeting and KS's first in October.
    assert missed == [(late, "Bildningsnämnden 2026-09-23"), (late, "Kommunstyrelsen 2026-10-13")]


def _small(tmp_path: Path, **report: Any) -> Path:
    data = copy.deepcopy(SMALL)
    data["committees"][0]["meetings"] = ["2026-03-17", "2026-03-31"]
    data["reports"][0].update(report)
    path = tmp_path / "liten.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_simulate_exits_2_on_a_configuration_error_before_simulating(tmp_path: Path) -> None:
    path = _small(tmp_path, due={"meeting": "ks", "month": 3})  # KS has no meeting in March
    result = CliRunner().invoke(app, ["simulate", "--year", "2026", "--config", str(path)])
    assert result.exit_code == 2
    assert "error: reports[0].due" in result.stderr and "KS har inget sammanträde" in result.stderr
    assert result.stdout == ""  # nothing simulated
    broken = tmp_path / "trasig.yaml"
    broken.write_text(path.read_text().replace("2026-03-17", "2026-02-30"), encoding="utf-8")
    result = CliRunner().invoke(app, ["simulate", "--year", "2026", "--config", str(broken)])
    assert result.exit_code == 2 and "day value is outside expected range" in result.stderr


def test_simulate_runs_the_year_and_exits_1_on_a_broken_legal_limit(tmp_path: Path) -> None:
    # A delårsrapport per 30 April covers a third of the year (LKBR 13 kap. 1 §).
    path = _small(tmp_path, period_months=[4], legal="delarsrapport_to_kf")
    result = CliRunner().invoke(app, ["simulate", "--year", "2026", "--config", str(path)])
    assert result.exit_code == 1
    assert "legal limit: reports[0].period_months" in result.stderr
    assert "request" in result.stdout  # the year was simulated all the same
