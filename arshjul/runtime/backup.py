"""Online backups of SQLite files with the sqlite3 backup API, keeping the newest N per file."""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from pathlib import Path

from arshjul.logging import log_event

logger = logging.getLogger(__name__)

KEEP = 14
_STAMP = "%Y%m%dT%H%M%SZ"


def backup_sqlite(
    source: Path,
    backup_dir: Path,
    now: dt.datetime,
    keep: int = KEEP,
) -> Path | None:
    """Copies `source` into `backup_dir` while in use, then keeps only the newest `keep` copies.

    Returns the new copy, or None when `source` does not exist (nothing to back up yet).
    """
    if not source.exists():
        log_event(logger, "backup.skipped", file=str(source), reason="missing")
        return None
    backup_dir.mkdir(parents=True, exist_ok=True)
    target = backup_dir / f"{source.stem}-{now.astimezone(dt.UTC).strftime(_STAMP)}{source.suffix}"
    partial = target.with_name(target.name + ".partial")
    # The backup API copies a consistent snapshot even while another process writes (WAL or not).
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(partial)
        try:
            src.backup(dst, pages=1024)
        finally:
            dst.close()
    finally:
        src.close()
    # A crash mid-copy leaves only a .partial file, never a truncated backup under a real name.
    partial.replace(target)
    removed = rotate(backup_dir, source, keep)
    log_event(
        logger,
        "backup.done",
        file=str(source),
        to=str(target),
        removed=len(removed),
        bytes=target.stat().st_size,
    )
    return target


def backups_of(backup_dir: Path, source: Path) -> list[Path]:
    """Lists the backups of `source` in `backup_dir`, oldest first."""
    if not backup_dir.exists():
        return []
    prefix = f"{source.stem}-"
    found = [
        p
        for p in backup_dir.iterdir()
        if p.name.startswith(prefix) and p.suffix == source.suffix and _stamp_of(p, prefix)
    ]
    return sorted(found, key=lambda p: p.name)


def rotate(backup_dir: Path, source: Path, keep: int = KEEP) -> list[Path]:
    """Deletes all but the newest `keep` backups of `source`; returns the deleted paths."""
    existing = backups_of(backup_dir, source)
    doomed = existing[: max(len(existing) - keep, 0)]
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def _stamp_of(path: Path, prefix: str) -> bool:
    # Only our own names count, so a file the operator put there is never rotated away.
    stamp = path.name[len(prefix) : len(path.name) - len(path.suffix)]
    try:
        dt.datetime.strptime(stamp, _STAMP)
    except ValueError:
        return False
    return True
