"""Online SQLite backups: a consistent copy while the file is in use; the newest 14 kept."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from arshjul.runtime.backup import KEEP, backup_sqlite, backups_of


def _db(path: Path, rows: int) -> sqlite3.Connection:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=wal")
    conn.execute("CREATE TABLE IF NOT EXISTS t (n INTEGER)")
    conn.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(rows)])
    conn.commit()
    return conn


def test_backup_copies_committed_rows_while_a_writer_holds_a_transaction(tmp_path: Path) -> None:
    source = tmp_path / "arshjul.sqlite"
    writer = _db(source, 500)
    writer.execute("INSERT INTO t VALUES (-1)")  # uncommitted: must not be in the copy
    night = dt.datetime(2026, 11, 23, 1, 30, tzinfo=dt.UTC)
    copy = backup_sqlite(source, tmp_path / "backups", night)
    writer.rollback()
    writer.close()
    assert copy is not None
    assert copy.name == "arshjul-20261123T013000Z.sqlite"
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT count(*), min(n) FROM t").fetchone() == (500, 0)


def test_rotation_keeps_the_newest_fourteen_per_file(tmp_path: Path) -> None:
    store, temporal = tmp_path / "arshjul.sqlite", tmp_path / "temporal.sqlite"
    _db(store, 1).close()
    _db(temporal, 1).close()
    backups = tmp_path / "backups"
    backups.mkdir()
    (backups / "notes.txt").write_text("the operator's own file")
    start = dt.datetime(2026, 11, 1, 1, 30, tzinfo=dt.UTC)
    for night in range(KEEP + 6):
        backup_sqlite(store, backups, start + dt.timedelta(days=night))
    backup_sqlite(temporal, backups, start)
    kept = backups_of(backups, store)
    assert len(kept) == KEEP
    assert kept[0].name == "arshjul-20261107T013000Z.sqlite"
    assert kept[-1].name == "arshjul-20261120T013000Z.sqlite"
    assert [p.name for p in backups_of(backups, temporal)] == ["temporal-20261101T013000Z.sqlite"]
    assert (backups / "notes.txt").exists()
    assert not list(backups.glob("*.partial"))


def test_missing_source_is_skipped_not_created(tmp_path: Path) -> None:
    assert backup_sqlite(tmp_path / "none.sqlite", tmp_path / "b", dt.datetime.now(dt.UTC)) is None
    assert not (tmp_path / "none.sqlite").exists()
