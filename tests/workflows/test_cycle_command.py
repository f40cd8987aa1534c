"""`arshjul cycle start` and `status` against the dev server, as an operator runs them."""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest

from tests.workflows.conftest import Rig

ARSHJUL = [sys.executable, "-m", "arshjul.cli"]


async def _run(rig: Rig, database: Path, *args: str) -> tuple[int, str, str]:
    # A subprocess, so that this test's event loop keeps the worker polling meanwhile.
    env = {
        **os.environ,
        "TEMPORAL_ADDRESS": rig.client.service_client.config.target_host,
        "TEMPORAL_TASK_QUEUE": rig.task_queue,
        "DATABASE_URL": f"sqlite:///{database}",
        "COLUMNS": "200",
    }
    proc = await asyncio.create_subprocess_exec(
        *ARSHJUL, *args, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await asyncio.wait_for(proc.communicate(), 120)
    return proc.returncode or 0, out.decode(), err.decode()


@pytest.mark.devserver
async def test_start_is_idempotent_and_status_lists_every_round(
    dev_rig: Rig, tmp_path: Path
) -> None:
    db = tmp_path / "arshjul.sqlite"
    code, _, err = await _run(dev_rig, db, "cycle", "start", "--year", "2027")
    assert code == 1
    assert "is not migrated: run `arshjul db upgrade`" in err
    assert (await _run(dev_rig, db, "db", "upgrade"))[0] == 0
    code, out, err = await _run(dev_rig, db, "cycle", "start", "--year", "2027")
    assert code == 0, err
    assert "cycle hedemora/2027: started" in out
    code, out, err = await _run(dev_rig, db, "cycle", "start", "--year", "2027")
    assert code == 0, err
    assert "already running" in out
    code, out, err = await _run(
        dev_rig, db, "cycle", "status", "--year", "2027", "--format", "json"
    )
    assert code == 0, err
    rounds = json.loads(out)
    # 2027's rounds all open later than today: scheduled, none opened or left out.
    assert rounds
    assert {r["status"] for r in rounds} == {"scheduled"}
    periods = {r["period"] for r in rounds if r["report_id"] == "manadsrapport"}
    assert {"2027-02", "2027-03", "2027-04", "2027-05", "2027-09", "2027-10"} <= periods
    ids = [r["workflow_id"] for r in rounds]
    assert len(ids) == len(set(ids))


def test_a_past_year_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    import subprocess

    proc = subprocess.run(
        [*ARSHJUL, "cycle", "start", "--year", "2020"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "TEMPORAL_ADDRESS": "127.0.0.1:1"},
    )
    assert proc.returncode == 1
    assert "the cycle of 2020 is in the past" in proc.stderr
    assert "Traceback" not in proc.stderr
