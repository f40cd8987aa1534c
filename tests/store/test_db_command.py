"""`arshjul db upgrade` migrates an empty database and is harmless the second time."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from arshjul.calendar.loader import load_config
from arshjul.cli import app
from arshjul.settings import BUNDLED_CONFIG
from arshjul.store.db import current_revision, head_revision, make_engine, make_session_maker
from arshjul.store.people import PeopleRepository


def test_db_upgrade_twice(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'sub' / 'arshjul.sqlite'}"
    runner = CliRunner()
    first = runner.invoke(app, ["db", "upgrade", "--database-url", url])
    assert first.exit_code == 0, first.output
    assert f"upgraded from empty to {head_revision()}" in first.output
    second = runner.invoke(app, ["db", "upgrade", "--database-url", url])
    assert f"already at revision {head_revision()}" in second.output
    assert current_revision(url) == head_revision()


def test_db_upgrade_reports_an_unreachable_server() -> None:
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    result = CliRunner().invoke(app, ["db", "upgrade", "--database-url", url])
    assert result.exit_code == 1 and "cannot upgrade the database" in result.output


def test_db_sync_copies_people_from_the_configuration(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'arshjul.sqlite'}"
    runner = CliRunner()
    before = runner.invoke(app, ["db", "sync", "--database-url", url])
    assert before.exit_code == 1 and "arshjul db upgrade" in before.output
    runner.invoke(app, ["db", "upgrade", "--database-url", url])
    result = runner.invoke(app, ["db", "sync", "--database-url", url])
    assert result.exit_code == 0, result.output
    config = load_config(BUNDLED_CONFIG)
    assert f"{len(config.units)} units" in result.output
    engine = make_engine(url)
    with make_session_maker(engine)() as session:
        chef = config.units[0].chef.email
        assert PeopleRepository(session).get(email=chef) is not None
    engine.dispose()
    broken = tmp_path / "broken.yaml"
    broken.write_text("organisation: [", encoding="utf-8")
    bad = runner.invoke(app, ["db", "sync", "--config", str(broken), "--database-url", url])
    assert bad.exit_code == 1 and "cannot load" in bad.output
