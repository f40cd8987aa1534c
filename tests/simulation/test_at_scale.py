"""`arshjul simulate` of an ordinary municipality: 40 units, 12 monthly reports, 480 rounds.

It used to crash in April (the cycle's history and input grew with every round); now the year
runs to the end and on into January until every round has closed.
"""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from arshjul.calendar.expand import round_specs
from arshjul.simulation.generated import generated_config, generated_script

# A minute and more alone: `make test-slow` (and CI) runs it, `make test` does not.
pytestmark = pytest.mark.slow

UNITS, LATE_EVERY = 40, 10  # units 1, 11, 21, 31 hand in four working days late


def test_forty_units_year_runs_to_the_end_with_every_event(tmp_path: Path) -> None:
    config = generated_config(UNITS, 2026)
    script = generated_script(UNITS, late_every=LATE_EVERY)
    config_file, script_file = tmp_path / "kommun.yaml", tmp_path / "script.yaml"
    config_file.write_text(yaml.safe_dump(config.model_dump(mode="json"), allow_unicode=True))
    script_file.write_text(yaml.safe_dump(script.model_dump(mode="json", exclude_none=True)))
    proc = subprocess.run(
        [sys.executable, "-m", "arshjul.cli", "simulate", "--year", "2026",
         "--config", str(config_file), "--script", str(script_file), "--format", "json"],
        capture_output=True, text=True, timeout=280, check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr[-2000:]
    rows = json.loads(proc.stdout)
    specs = round_specs(config, 2026)
    late = {s.workflow_id for s in specs if s.unit_id in {"u001", "u011", "u021", "u031"}}
    assert len(specs) == UNITS * 12 and len(late) == 48  # December's period opens in 2027

    events = Counter(r["event"] for r in rows)
    rounds = len(specs)
    for once in ("request", "submitted", "on_agenda", "approved"):
        assert events[once] == rounds, once
    assert events["overdue"] == len(late)
    assert len(late) <= events["escalation"] <= 2 * len(late)
    # On time (two working days before the due date): the reminder three days before only.
    assert rounds + len(late) <= events["reminder"] <= rounds + 2 * len(late)
    assert set(events) == {
        "request", "reminder", "overdue", "escalation", "submitted", "on_agenda", "approved"
    }  # fmt: skip
    assert {r["round"] for r in rows} == {s.workflow_id for s in specs}
    # November's rounds are decided at the first meeting of the next year.
    last = max(dt.datetime.fromisoformat(r["time"]) for r in rows)
    assert last.year == 2027
    assert "Every round had closed by 2027-" in proc.stderr
