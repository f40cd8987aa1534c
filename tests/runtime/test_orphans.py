"""A dead `up`'s parts are stopped by the next `up`, and only if each is still the process it
recorded: a pid the system has given to another program is never signalled."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from arshjul.runtime.processes import ManagedProcess, process_identity, reap_orphans

SLEEP = [sys.executable, "-c", "import time; time.sleep(120)"]


def _sleeper(run: Path, name: str) -> ManagedProcess:
    part = ManagedProcess(
        name,
        SLEEP,
        env=dict(os.environ),
        log_file=run / f"{name}.log",
        pid_file=run / f"{name}.pid",
    )
    part.start()
    return part


def test_the_next_up_stops_what_a_dead_up_left_running(tmp_path: Path) -> None:
    left = _sleeper(tmp_path, "worker")  # as if its `up` died without stopping it
    assert left.proc is not None
    assert reap_orphans(tmp_path) == ["worker"]
    assert left.proc.wait(timeout=10) != 0
    assert not (tmp_path / "worker.pid").exists()
    assert not left.identity_file.exists()


def test_a_pid_now_held_by_another_program_is_left_alone(tmp_path: Path) -> None:
    stranger = subprocess.Popen(SLEEP)  # noqa: S603 - our own interpreter
    try:
        mine = process_identity(stranger.pid)
        assert mine is not None
        # The dead `up` recorded this pid for a part that has since ended; the pid was reused.
        for name, recorded in (
            ("web", {**mine, "start_ticks": mine["start_ticks"] - 1}),
            ("temporal", {**mine, "argv": ["/venv/bin/temporal", "server", "start-dev"]}),
        ):
            (tmp_path / f"{name}.identity.json").write_text(json.dumps(recorded))
            (tmp_path / f"{name}.pid").write_text(f"{stranger.pid}\n")
        assert reap_orphans(tmp_path) == []
        assert stranger.poll() is None
        assert list(tmp_path.iterdir()) == []  # the stale records are gone
    finally:
        stranger.kill()
        stranger.wait()


def test_every_worker_and_web_of_a_scaled_up_is_stopped(tmp_path: Path) -> None:
    # `up --workers 2 --webs 2` died: each of its parts has its own identity file.
    names = ["web", "web-2", "worker", "worker-2"]
    left = [_sleeper(tmp_path, name) for name in names]
    assert sorted(reap_orphans(tmp_path)) == names
    for part in left:
        assert part.proc is not None and part.proc.wait(timeout=10) != 0
    assert not [p for p in tmp_path.iterdir() if p.suffix in (".pid", ".json")]
