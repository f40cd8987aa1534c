"""`arshjul calendar show | ics | check` as a user runs them: output, files and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from icalendar import Calendar
from typer.testing import CliRunner

from arshjul.cli import app

EXAMPLES = Path(__file__).parents[2] / "arshjul" / "calendar" / "examples"
HEDEMORA = EXAMPLES / "hedemora.yaml"
TERTIAL = EXAMPLES / "tertial.yaml"
UNITS = {"ksf", "bun", "sof", "sbf", "kfo", "mbf", "energi", "bostader", "naringsliv", "stadshus"}

runner = CliRunner()


def run(*args: str):  # noqa: ANN201 - click's Result
    """Runs the arshjul command in-process with a wide terminal (rich tables do not wrap)."""
    result = runner.invoke(app, list(args), env={"COLUMNS": "220"})
    assert "Traceback" not in result.output
    return result


def test_show_json_lists_the_2026_rounds_for_every_unit() -> None:
    result = run(
        "calendar", "show", "--year", "2026", "--config", str(HEDEMORA), "--format", "json"
    )
    assert result.exit_code == 0, result.output
    entries = json.loads(result.stdout)
    assert [e["date"] for e in entries] == sorted(e["date"] for e in entries)
    assert {"date", "kind", "title", "report", "period", "unit"} <= set(entries[0])
    assert {e["kind"] for e in entries} == {"opens", "due", "reminder", "meeting", "milestone"}
    expected = {("manadsrapport", f"2026-{m:02d}") for m in (2, 3, 4, 5, 9, 10)}
    expected |= {("delarsrapport", "2026-08"), ("arsbokslut", "2025-12")}
    for report, period in expected:
        for kind in ("opens", "due"):
            units = {
                e["unit"]
                for e in entries
                if (e["report"], e["period"], e["kind"]) == (report, period, kind)
            }
            assert units == UNITS, (report, period, kind)
    periods = {
        e["period"] for e in entries if e["report"] == "manadsrapport" and e["kind"] == "due"
    }
    assert periods == {p for _, p in expected if _ == "manadsrapport"}
    budget = next(
        e
        for e in entries
        if e["kind"] == "milestone" and e["title"].startswith("KF fastställer budget")
    )
    assert (budget["date"], budget["report"], budget["period"], budget["unit"]) == (
        "2026-11-24",
        None,
        None,
        None,
    )


def test_show_table_and_unit_filter() -> None:
    result = run("calendar", "show", "--year", "2026", "--config", str(HEDEMORA), "--unit", "sof")
    assert result.exit_code == 0, result.output
    assert "Sista dag: Månadsrapport (februari 2026) – Socialförvaltningen" in result.stdout
    assert "Barn- och utbildningsförvaltningen" not in result.stdout
    assert "2026-03-13" in result.stdout


def test_unknown_unit_is_a_clear_error() -> None:
    result = run(
        "calendar", "show", "--year", "2026", "--config", str(HEDEMORA), "--unit", "finans"
    )
    assert result.exit_code == 2
    assert "unknown unit or role 'finans'" in result.stderr


def _export(out: Path) -> list[str]:
    """Exports Socialförvaltningen's 2026 calendar to `out` and returns the UIDs in it."""
    result = run(
        "calendar",
        "ics",
        "--year",
        "2026",
        "--config",
        str(HEDEMORA),
        "--unit",
        "sof",
        "-o",
        str(out),
    )
    assert result.exit_code == 0, result.output
    return [str(e["UID"]) for e in Calendar.from_ical(out.read_bytes()).walk("VEVENT")]


def test_ics_writes_an_importable_file(tmp_path: Path) -> None:
    uids = _export(tmp_path / "sof.ics")
    assert len(uids) == len(set(uids)) > 50
    assert "due/delarsrapport/2026-08/sof@hedemora.arshjul" in uids
    assert _export(tmp_path / "again.ics") == uids


def test_check_clean_configuration_exits_0() -> None:
    result = run("calendar", "check", "--config", str(HEDEMORA), "--year", "2026", "--year", "2027")
    assert result.exit_code == 0, result.output
    assert "checked for 2026, 2027: no findings" in result.stdout


def test_check_broken_limit_exits_1(tmp_path: Path) -> None:
    text = HEDEMORA.read_text(encoding="utf-8").replace(
        "date: {meeting: kf, month: 11}\n    committee: kf\n    legal: kf_budget",
        "date: {meeting: kf, month: 12}\n    committee: kf\n    legal: kf_budget",
    )
    file = tmp_path / "sen.yaml"
    file.write_text(text, encoding="utf-8")
    result = run("calendar", "check", "--config", str(file), "--year", "2026")
    assert result.exit_code == 1
    for text in ("kf-budget", "2026-12-15", "2026-11-30"):
        assert text in result.stdout
    assert "1 legal limit(s) broken" in result.stderr


@pytest.mark.parametrize("command", ["check", "show", "ics"])
def test_invalid_configuration_exits_2_with_file_and_path(tmp_path: Path, command: str) -> None:
    text = HEDEMORA.read_text(encoding="utf-8").replace(
        "review: {committee: ksau, min_days_before_meeting: 7}\n"
        "    followup: {report: atgardsplan, deviation_threshold_tkr: 500, due_days: 30}\n"
        "    measures_threshold_tkr: 200\n\n  - id: delarsrapport",
        "review: {committee: ksav, min_days_before_meeting: 7}\n"
        "    followup: {report: atgardsplan, deviation_threshold_tkr: 500, due_days: 30}\n"
        "    measures_threshold_tkr: 200\n\n  - id: delarsrapport",
    )
    file = tmp_path / "fel.yaml"
    file.write_text(text, encoding="utf-8")
    extra = ["-o", str(tmp_path / "x.ics")] if command == "ics" else []
    result = run("calendar", command, "--config", str(file), *extra)
    assert result.exit_code == 2
    assert f"{file}: reports[0].review.committee: line " in result.stderr
    assert "unknown committee 'ksav'" in result.stderr
    assert not (tmp_path / "x.ics").exists()


def test_missing_configuration_exits_2(tmp_path: Path) -> None:
    result = run("calendar", "check", "--config", str(tmp_path / "saknas.yaml"))
    assert result.exit_code == 2
    assert "saknas.yaml: file not found" in result.stderr


def test_real_process_uses_arshjul_config_and_never_prints_a_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "ARSHJUL_CONFIG": str(TERTIAL), "COLUMNS": "200"}
    cmd = [
        sys.executable,
        "-m",
        "arshjul.cli",
        "calendar",
        "show",
        "--year",
        "2026",
        "--format",
        "json",
    ]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=tmp_path, check=False)
    assert done.returncode == 0, done.stderr
    assert {e["report"] for e in json.loads(done.stdout)} >= {"tertialrapport", "uppsiktsrapport"}
    bad = tmp_path / "bad.yaml"
    bad.write_text("organisation: {id: x, name: [\n", encoding="utf-8")
    env["ARSHJUL_CONFIG"] = str(bad)
    done = subprocess.run(
        [*cmd[:4], "check"], env=env, capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert f"{bad}: line 2, column 1: YAML syntax error" in done.stderr
