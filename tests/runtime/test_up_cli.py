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
