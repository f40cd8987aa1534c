"""The configuration in the store: versions with who and why, exact export/import, conflicts
refused, restore, and what `up` does with its YAML file."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import yaml
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from arshjul.calendar.config_text import config_yaml
from arshjul.calendar.loader import load_config, load_config_text
from arshjul.cli import app
from arshjul.settings import BUNDLED_CONFIG
from arshjul.store import configuration as versions
from arshjul.store.db import make_engine, make_session_maker
from arshjul.store.models import AuditEntry, ConfigVersion

EXAMPLES = sorted((Path(__file__).parents[2] / "arshjul" / "calendar" / "examples").glob("*.yaml"))


@contextmanager
def versions_at(url: str) -> Iterator[Session]:
    engine = make_engine(url)
    try:
        with make_session_maker(engine)() as session:
            yield session
    finally:
        engine.dispose()


def cli(*args: str) -> str:
    result = CliRunner().invoke(app, ["config", *args])
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_export_then_import_gives_the_same_file(example: Path, tmp_path: Path) -> None:
    # Every bundled example: the file comes back byte for byte, and an export imported into an
    # empty store exports the same file again.
    first, second = f"sqlite:///{tmp_path / 'a.db'}", f"sqlite:///{tmp_path / 'b.db'}"
    cli("import", str(example), "--database-url", first)
    exported = tmp_path / "exported.yaml"
    cli("export", "-o", str(exported), "--database-url", first)
    assert exported.read_bytes() == example.read_bytes()
    cli("import", str(exported), "--database-url", second)
    again = tmp_path / "again.yaml"
    cli("export", "-o", str(again), "--database-url", second)
    assert again.read_bytes() == exported.read_bytes()


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_a_rendered_version_reads_back_as_the_same_configuration(example: Path) -> None:
    config = load_config(example)
    text = config_yaml(config, 3)
    back = yaml.safe_load(text)
    assert back["organisation"]["id"] == config.organisation.id
    assert load_config_text(text, "rendered") == config
    assert config_yaml(load_config_text(text), 3) == text


def test_every_save_is_a_version_with_who_when_why(sessions: sessionmaker[Session]) -> None:
    config = load_config(EXAMPLES[0])
    with sessions.begin() as s:
        one = versions.save(s, config, base=None, actor="anna@x.se", reason="Start", source="t")
    renamed = config.model_copy(
        update={"organisation": config.organisation.model_copy(update={"name": "Ny kommun"})}
    )
    with sessions.begin() as s:
        two = versions.save(s, renamed, base=1, actor="bo@x.se", reason="Nytt namn", source="t")
    assert (one.version, two.version) == (1, 2)
    with sessions() as s:
        lines = versions.history(s)
        assert [(v.version, v.actor, v.reason) for v in lines] == [
            (2, "bo@x.se", "Nytt namn"),
            (1, "anna@x.se", "Start"),
        ]
        assert versions.get(s).config.organisation.name == "Ny kommun"  # type: ignore[union-attr]
        assert versions.get(s, 1).config == config  # type: ignore[union-attr]
        audit = s.scalars(select(AuditEntry).where(AuditEntry.action == "config.saved")).all()
        assert [(a.actor, a.reason) for a in audit] == [
            ("anna@x.se", "Start"),
            ("bo@x.se", "Nytt namn"),
        ]


def test_the_second_of_two_editors_is_refused_and_nothing_is_written(
    sessions: sessionmaker[Session],
) -> None:
    config = load_config(EXAMPLES[0])
    with sessions.begin() as s:
        versions.save(s, config, base=None, actor="a", reason="Start", source="t")
    first = config.model_copy(update={"units": config.units[:-1]})
    second = config.model_copy(update={"units": config.units[1:]})
    with sessions.begin() as s:
        versions.save(s, first, base=1, actor="anna", reason="En enhet bort", source="t")
    with pytest.raises(versions.ConfigConflict) as refused, sessions.begin() as s:
        versions.save(s, second, base=1, actor="bo", reason="En annan bort", source="t")
    assert refused.value.current is not None and refused.value.current.actor == "anna"
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(ConfigVersion)) == 2
        assert versions.get(s).config == first  # type: ignore[union-attr]


def test_saving_what_is_in_use_makes_no_version(sessions: sessionmaker[Session]) -> None:
    config = load_config(EXAMPLES[0])
    with sessions.begin() as s:
        versions.save(s, config, base=None, actor="a", reason="Start", source="t")
    with pytest.raises(versions.ConfigUnchanged), sessions.begin() as s:
        versions.save(s, config, base=1, actor="a", reason="Igen", source="t")


def test_restore_saves_the_old_text_as_the_newest(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    original = EXAMPLES[0]
    changed = tmp_path / "changed.yaml"
    changed.write_text(
        original.read_text().replace("name: Kommunstyrelsen (KS)\n", "name: KS ny\n", 1)
    )
    assert changed.read_text() != original.read_text()
    cli("import", str(original), "--database-url", url)
    cli("import", str(changed), "--reason", "Nytt namn", "--database-url", url)
    assert "saved version 1 again as version 3" in cli("restore", "1", "--database-url", url)
    out = tmp_path / "out.yaml"
    cli("export", "-o", str(out), "--database-url", url)
    assert out.read_bytes() == original.read_bytes()
    listing = cli("versions", "--database-url", url)
    assert "restore:1" in listing and "Nytt namn" in listing
    diff = cli("diff", "1", "2", "--database-url", url)
    assert "-    name: Kommunstyrelsen (KS)\n" in diff and "+    name: KS ny\n" in diff


def test_an_invalid_file_is_refused_with_its_place_and_nothing_saved(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 's.db'}"
    bad = tmp_path / "bad.yaml"
    bad.write_text(EXAMPLES[0].read_text().replace("timezone: Europe/Stockholm", "timezone: [x]"))
    cli("import", str(EXAMPLES[0]), "--database-url", url)
    result = CliRunner().invoke(app, ["config", "import", str(bad), "--database-url", url])
    assert result.exit_code == 1
    assert "nothing saved" in result.output and "organisation.timezone" in result.output
    with versions_at(url) as s:
        assert [v.version for v in versions.history(s)] == [1]
    other = CliRunner().invoke(app, ["config", "import", str(EXAMPLES[1]), "--database-url", url])
    assert other.exit_code == 1 and "--other-organisation" in other.output


def test_up_imports_a_changed_file_but_never_over_a_browser_edit(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    path = tmp_path / "arshjul.yaml"
    path.write_bytes(EXAMPLES[0].read_bytes())
    with sessions.begin() as s:
        assert versions.adopt_file(s, path, actor="up").event == "imported_first"
    with sessions.begin() as s:
        assert versions.adopt_file(s, path, actor="up").event == "unchanged"
    path.write_text(path.read_text() + "\n# en kommentar\n")
    with sessions.begin() as s:
        adopted = versions.adopt_file(s, path, actor="up")
        assert (adopted.event, adopted.stored.version) == ("imported_changed", 2)
        assert adopted.stored.file_digest == hashlib.sha256(path.read_bytes()).hexdigest()
    config = adopted.stored.config
    edited = config.model_copy(update={"units": config.units[:-1]})
    with sessions.begin() as s:
        versions.save(s, edited, base=2, actor="ekonomichef", reason="Webben", source="browser")
    path.write_text(path.read_text() + "# en till\n")
    with sessions.begin() as s:
        kept = versions.adopt_file(s, path, actor="up")
    assert (kept.event, kept.stored.version) == ("file_ignored", 3)
    assert kept.stored.config == edited


def test_the_running_system_reads_the_newest_version(sessions: sessionmaker[Session]) -> None:
    config = load_config(EXAMPLES[0])
    source = versions.ConfigSource(sessions, lambda: config, check_every=3600)
    assert source() is config and source.version is None  # an empty store: the file
    edited = config.model_copy(update={"units": config.units[:-1]})
    with sessions.begin() as s:
        versions.save(s, edited, base=None, actor="a", reason="r", source="browser")
    assert source() is config  # read again only after check_every …
    source.changed()  # … or when this process saved
    assert source() == edited and source.version == 1


def test_commands_use_the_stores_configuration_unless_given_a_file(tmp_path: Path) -> None:
    from arshjul.commands.common import running_config

    url = f"sqlite:///{tmp_path / 's.db'}"
    edited = tmp_path / "edited.yaml"
    edited.write_text(EXAMPLES[0].read_text().replace("name: Kommunstyrelsen (KS)\n", "name: KS\n"))
    assert running_config(None, url) == load_config(BUNDLED_CONFIG)  # no store yet: the file
    cli("import", str(edited), "--database-url", url)
    assert running_config(None, url) == load_config(edited)
    assert running_config(EXAMPLES[0], url) == load_config(EXAMPLES[0])  # --config wins


def test_a_saved_version_brings_the_people_along(sessions: sessionmaker[Session]) -> None:
    from arshjul.store.models import Unit

    config = load_config(EXAMPLES[0])
    unit = config.units[0]
    chef = unit.chef.model_copy(update={"name": "Ny Chef", "email": "ny.chef@example.org"})
    changed = config.model_copy(
        update={"units": [unit.model_copy(update={"chef": chef}), *config.units[1:]]}
    )
    with sessions.begin() as s:
        versions.save(s, config, base=None, actor="a", reason="Start", source="t")
        versions.save(s, changed, base=1, actor="a", reason="Ny chef", source="browser")
    with sessions() as s:
        row = s.get(Unit, (config.organisation.id, unit.id))
        assert row is not None and (row.chef_name, row.chef_email) == (
            "Ny Chef",
            "ny.chef@example.org",
        )
