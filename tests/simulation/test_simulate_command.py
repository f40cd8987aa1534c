"""`arshjul simulate` prints the year as JSON (the issue's shape) or as a text timeline."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import yaml
from typer.testing import CliRunner

from arshjul.cli import app
from arshjul.models.rounds import Event
from arshjul.settings import BUNDLED_CONFIG

KEPT = {"sof", "kfo"}


def small_config(tmp_path: Path) -> Path:
    """Writes the bundled årshjul with two units only (same reports, meetings and rules)."""
    data = yaml.safe_load(BUNDLED_CONFIG.read_text(encoding="utf-8"))
    data["units"] = [u for u in data["units"] if u["id"] in KEPT]
    for report in data["reports"]:
        units = report.get("submitters", {}).get("units")
        if isinstance(units, list):
            report["submitters"]["units"] = [u for u in units if u in KEPT]
    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_json_timeline_of_a_small_year(tmp_path: Path) -> None:
    # A real process, as a user pipes it: nothing but the JSON may reach stdout (the Temporal
    # core logs to stdout unless told otherwise, which CliRunner would not see).
    config = str(small_config(tmp_path))
    result = subprocess.run(
        [sys.executable, "-m", "arshjul.cli", "simulate", "--year", "2026", "--config", config,
         "--format", "json"],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    rows = json.loads(result.stdout)
    assert rows and all(set(r) == {"time", "round", "unit", "event", "detail"} for r in rows)
    assert {r["unit"] for r in rows} & {
        "ksf",
        "bun",
        "sbf",
    } == set()  # only the kept units (and roles)
    assert KEPT <= {r["unit"] for r in rows}
    assert {r["event"] for r in rows} <= set(Event.__args__)  # type: ignore[attr-defined]
    first = dt.datetime.fromisoformat(rows[0]["time"])
    assert first.utcoffset() == dt.timedelta(hours=1)  # January: winter time, offset included
    late = [r for r in rows if r["round"] == "round/hedemora/manadsrapport/2026-03/sof"]
    assert [r["event"] for r in late][:6] == [
        "request",
        "reminder",
        "reminder",
        "overdue",
        "escalation",
        "escalation",
    ]
    assert late[0]["time"] == "2026-04-07T08:00:00+02:00"


def test_bad_script_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    script = tmp_path / "bad.yaml"
    script.write_text("submissions:\n  - {unit: sof, when: tomorrow}\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["simulate", "--year", "2026", "--script", str(script)])
    assert result.exit_code == 2
    assert f"{script}:2: submissions[0].when: Extra inputs are not permitted" in result.stderr


SCRIPT_AGAINST_CONFIG = """\
submissions:
  - {report: manadsrapport, period: 2026-03, unit: sof, working_days_from_due: 2}
  - {report: manadsrapprt, period: 2026-03}
  - {report: manadsrapport, unit: soc}
  - {report: manadsrapport, period: 2026-07}
decisions:
  - report: delarsrapport
    committees:
      ksau: [{outcome: approve}]
      kss: [{outcome: approve}]
      ks: [{outcome: refer, to: kff, reason: Skäl}]
"""


def test_a_script_is_checked_against_the_configuration_before_it_runs(tmp_path: Path) -> None:
    script = tmp_path / "manus.yaml"
    script.write_text(SCRIPT_AGAINST_CONFIG, encoding="utf-8")
    result = CliRunner().invoke(app, ["simulate", "--year", "2026", "--script", str(script)])
    assert result.exit_code == 2, result.output
    err = " ".join(result.stderr.split())  # rich wraps long lines
    assert "nothing simulated" in err
    assert (
        f"{script}:3: submissions[1].report: no report 'manadsrapprt' in the configuration" in err
    )
    assert f"{script}:4: submissions[2].unit: no unit 'soc' in the configuration" in err
    # July has no månadsrapport in Hedemora's årshjul.
    assert f"{script}:5: submissions[3].period: matches no round of the year 2026" in err
    assert f"{script}:10: decisions[0].committees.kss: no committee 'kss'" in err
    assert f"{script}:11: decisions[0].committees.ks[0].to: no committee 'kff'" in err
    assert "submissions[0]" not in err and "committees.ksau" not in err
    assert "Every round" not in result.stdout  # nothing ran


def test_a_refused_decision_is_tabled_to_the_next_meeting(tmp_path: Path) -> None:
    # KSAU may forward a månadsrapport to KS only: forwarding it to KF is refused. The case is
    # tabled to KSAU's next meeting and approved there, instead of lingering on the old agenda.
    script = tmp_path / "manus.yaml"
    script.write_text(
        "decisions:\n"
        "  - report: manadsrapport\n"
        "    period: 2026-05\n"
        "    unit: kfo\n"
        "    committees:\n"
        "      ksau: [{outcome: refer, to: kf, reason: Fel organ}]\n",
        encoding="utf-8",
    )
    config = str(small_config(tmp_path))
    args = ["simulate", "--year", "2026", "--config", config, "--script", str(script)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    err = " ".join(result.stderr.split())
    assert "round/hedemora/manadsrapport/2026-05/kfo: decide refused" in err
    lines = [
        line.split()
        for line in result.stdout.splitlines()
        if "round/hedemora/manadsrapport/2026-05/kfo" in line
    ]
    events = [(parts[0], parts[2]) for parts in lines]
    tabled = [day for day, event in events if event == "tabled"]
    approved = [day for day, event in events if event == "approved"]
    assert len(tabled) == 1 and len(approved) == 1 and tabled[0] < approved[0]
    assert "Every round had closed" in result.stdout
