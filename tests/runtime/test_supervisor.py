"""The supervisor restarts a dead part, leaves a stopped one alone, backs up the SQLite files."""

from __future__ import annotations

import functools
import logging
import os
import signal
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from arshjul.runtime.backup import backups_of
from arshjul.runtime.endpoints import UpOptions, resolve_endpoints
from arshjul.runtime.processes import ManagedProcess, answers_http, temporal_dev_server_argv
from arshjul.runtime.supervisor import Supervisor
from tests.conftest import free_port

SERVE = (
    "import socket, sys, time; s = socket.socket(); s.bind(('127.0.0.1', int(sys.argv[1])));"
    " s.listen(); time.sleep(600)"
)


def _part(tmp_path: Path, port: int, probe: Callable[[], bool] | None = None) -> ManagedProcess:
    return ManagedProcess(
        "web",
        [sys.executable, "-c", SERVE, str(port)],
        env=dict(os.environ),
        log_file=tmp_path / "logs" / "web.log",
        pid_file=tmp_path / "run" / "web.pid",
        ready_port=("127.0.0.1", port),
        probe=probe,
    )


def test_a_killed_part_is_restarted_on_the_next_check(tmp_path: Path) -> None:
    part = _part(tmp_path, free_port())
    supervisor = Supervisor([part], [], tmp_path / "backups", check_seconds=3600)
    part.start()
    try:
        first = part.pid
        assert supervisor.check_parts() == []
        os.kill(first, signal.SIGKILL)
        part.proc.wait()
        assert supervisor.check_parts() == ["web"]
        assert part.alive()
        assert part.pid != first
        assert (tmp_path / "run" / "web.pid").read_text().strip() == str(part.pid)
    finally:
        part.stop()
    assert supervisor.check_parts() == []  # stopped on purpose: not restarted
    assert not (tmp_path / "run" / "web.pid").exists()


def test_a_part_that_stops_answering_is_restarted(tmp_path: Path) -> None:
    port = free_port()
    # The stand-in accepts connections but never answers: a web whose event loop hangs.
    probe = functools.partial(answers_http, f"http://127.0.0.1:{port}/readyz", 0.3)
    part = _part(tmp_path, port, probe)
    supervisor = Supervisor([part], [], tmp_path / "backups", check_seconds=3600)
    part.start()
    try:
        first = part.pid
        assert supervisor.check_parts() == []  # one miss may be a busy moment
        assert supervisor.check_parts() == ["web"]
        assert part.alive()
        assert part.pid != first
    finally:
        part.stop()


def test_backup_job_copies_every_sqlite_file_and_says_so(
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    files = [tmp_path / "temporal.sqlite", tmp_path / "arshjul.sqlite"]
    for f in files:
        with sqlite3.connect(f) as conn:
            conn.execute("CREATE TABLE t (n)")
    supervisor = Supervisor([], files, tmp_path / "backups")
    caplog.set_level(logging.INFO)
    made = supervisor.backup_all()
    assert len(made) == 2
    assert all(len(backups_of(tmp_path / "backups", f)) == 1 for f in files)
    done = [r for r in caplog.records if getattr(r, "event", None) == "backup.done"]
    assert sorted(r.file for r in done) == sorted(str(f) for f in files)


def test_environment_replaces_embedded_parts(tmp_path: Path) -> None:
    options = UpOptions(data_dir=tmp_path, port=8100, temporal_port=7300, smtp_port=2525)
    embedded = resolve_endpoints(options, {})
    assert embedded.temporal_embedded
    assert embedded.temporal_address == "127.0.0.1:7300"
    assert embedded.database_url == f"sqlite:///{tmp_path.resolve() / 'arshjul.sqlite'}"
    assert embedded.inbox_url == "http://127.0.0.1:8100/dev/mail"
    external = resolve_endpoints(
        options,
        {
            "TEMPORAL_ADDRESS": "temporal.kommun.se:7233",
            "DATABASE_URL": "postgresql+psycopg://arshjul@db/arshjul",
            "SMTP_HOST": "smtp.kommun.se",
        },
    )
    assert not (external.temporal_embedded)
    assert not (external.database_embedded)
    assert not (external.smtp_embedded)
    assert external.temporal_ui_url is None
    assert external.inbox_url is None
    assert external.smtp_port == 25
    argv = temporal_dev_server_argv(tmp_path / "t.sqlite", ip="127.0.0.1", port=7300, ui_port=8300)
    assert argv[argv.index("--db-filename") + 1] == str(tmp_path / "t.sqlite")


def test_each_worker_of_a_scaled_up_gets_its_own_metrics_port() -> None:
    from arshjul.runtime.endpoints import worker_env

    asked = {"ARSHJUL_WORKER_METRICS_ADDRESS": "0.0.0.0:9464", "SECRET_KEY": "k"}
    ports = [worker_env(asked, i)["ARSHJUL_WORKER_METRICS_ADDRESS"] for i in range(3)]
    assert ports == ["0.0.0.0:9464", "0.0.0.0:9465", "0.0.0.0:9466"]
    assert worker_env(asked, 2)["SECRET_KEY"] == "k"
    assert "ARSHJUL_WORKER_METRICS_ADDRESS" not in worker_env({}, 1)  # off stays off
