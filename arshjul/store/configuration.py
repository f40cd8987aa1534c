"""The årshjul configuration's versions in the store: saved, listed, read back and restored.

Every save is a new version with who, when and why, and an audit entry. A save names the version
it was made from; when another was saved meanwhile it is refused (ConfigConflict) and nothing is
written, so the second of two editors loses nothing and sees what changed. The text is kept as
saved: a file imported unchanged exports byte for byte, comments and all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.config_diff import ConfigChange, diff_configs
from arshjul.calendar.config_text import config_digest, config_yaml
from arshjul.calendar.loader import load_config, load_config_text
from arshjul.store.db import current_revision, make_engine, make_session_maker, utc_now
from arshjul.store.models import ConfigVersion
from arshjul.store.people import sync_config
from arshjul.store.rounds import AuditRepository

log = logging.getLogger(__name__)
ACTION_SAVED = "config.saved"


@dataclass(frozen=True)
class VersionLine:
    """One version as a list shows it: number, who, when, why, from where."""

    version: int
    org_id: str
    actor: str
    reason: str
    source: str
    created_at: dt.datetime
    digest: str


@dataclass(frozen=True)
class StoredConfig:
    """A saved version with its configuration parsed."""

    line: VersionLine
    text: str
    config: ArshjulConfig
    file_digest: str | None = None

    @property
    def version(self) -> int:
        """The version's number."""
        return self.line.version


class ConfigConflict(Exception):
    """Another version was saved since the one this change was made from."""

    def __init__(self, base: int | None, current: VersionLine | None) -> None:
        self.base, self.current = base, current
        if current is None:
            super().__init__(f"another version was saved since version {base or 'none'}")
            return
        super().__init__(
            f"version {current.version} was saved by {current.actor} at "
            f"{current.created_at:%Y-%m-%d %H:%M} since version {base or 'none'}"
        )


class ConfigUnchanged(Exception):
    """The configuration to save is the current one: no new version."""


class OrganisationMismatch(Exception):
    """The configuration is another organisation's than the store's."""

    def __init__(self, stored: str, given: str) -> None:
        self.stored, self.given = stored, given
        super().__init__(f"the store holds organisation {stored!r}; this is {given!r}")


def _line(row: ConfigVersion) -> VersionLine:
    return VersionLine(
        version=row.version,
        org_id=row.org_id,
        actor=row.actor,
        reason=row.reason,
        source=row.source,
        created_at=row.created_at,
        digest=row.digest,
    )


def _stored(row: ConfigVersion) -> StoredConfig:
    config = load_config_text(row.text, f"version {row.version}")
    return StoredConfig(_line(row), row.text, config, row.file_digest)


def current_version(session: Session) -> int | None:
    """Returns the number of the newest version, None while the store holds none."""
    return session.scalar(select(func.max(ConfigVersion.version)))


def get(session: Session, version: int | None = None) -> StoredConfig | None:
    """Returns a version (default the newest), None if there is no such version."""
    query = select(ConfigVersion)
    if version is None:
        query = query.order_by(ConfigVersion.version.desc()).limit(1)
    else:
        query = query.where(ConfigVersion.version == version)
    row = session.scalar(query)
    return _stored(row) if row is not None else None


def newest_at(url: str) -> ArshjulConfig | None:
    """The newest version's configuration in the store at `url`; None when it holds none, has
    no schema yet, or is one from before the configuration moved into the store."""
    try:
        if current_revision(url) is None:
            return None
        engine = make_engine(url)
        try:
            with make_session_maker(engine)() as session:
                stored = get(session)
        finally:
            engine.dispose()
    except SQLAlchemyError:
        return None
    return stored.config if stored is not None else None


def history(session: Session, limit: int = 100) -> list[VersionLine]:
    """Returns the newest versions first, at most `limit` of them (texts not parsed)."""
    rows = session.scalars(
        select(ConfigVersion).order_by(ConfigVersion.version.desc()).limit(limit)
    )
    return [_line(r) for r in rows]


@dataclass(frozen=True)
class RecentChange:
    """The newest saved change and what it changed, for the overview."""

    line: VersionLine
    changes: list[ConfigChange]


_changes_of: dict[tuple[int, str], list[ConfigChange]] = {}
_changes_lock = threading.Lock()


def recent_change(session: Session, since: dt.datetime) -> RecentChange | None:
    """The newest version saved after `since` with what it changed from the one before; None
    when there is none (or only the first). The comparison is made once per version."""
    lines = history(session, limit=1)
    if not lines or lines[0].version < 2 or lines[0].created_at < since:
        return None
    line = lines[0]
    key = (line.version, line.digest)
    with _changes_lock:
        known = _changes_of.get(key)
    if known is None:
        new, old = get(session, line.version), get(session, line.version - 1)
        known = diff_configs(old.config, new.config) if old and new else []
        with _changes_lock:
            _changes_of.clear()  # only the newest is ever asked for
            _changes_of[key] = known
    return RecentChange(line=line, changes=known)


def last_file_import(session: Session) -> StoredConfig | None:
    """Returns the newest version imported from a file, if any."""
    row = session.scalar(
        select(ConfigVersion)
        .where(ConfigVersion.file_digest.is_not(None))
        .order_by(ConfigVersion.version.desc())
        .limit(1)
    )
    return _stored(row) if row is not None else None


def save(
    session: Session,
    config: ArshjulConfig,
    *,
    base: int | None,
    actor: str,
    reason: str,
    source: str,
    text: str | None = None,
    file_digest: str | None = None,
    other_organisation: bool = False,
) -> StoredConfig:
    """Saves a configuration as the version after `base`; refuses a stale base or no change.

    `text` is the YAML as the person wrote it (kept as is); without it the text is rendered.
    """
    newest = get(session)
    if newest is not None:
        if newest.version != base:
            raise ConfigConflict(base, newest.line)
        if newest.config.organisation.id != config.organisation.id and not other_organisation:
            raise OrganisationMismatch(newest.config.organisation.id, config.organisation.id)
        if newest.line.digest == config_digest(config) and text in (None, newest.text):
            raise ConfigUnchanged
    elif base is not None:
        raise ConfigConflict(base, None)
    number = (base or 0) + 1
    row = ConfigVersion(
        org_id=config.organisation.id,
        version=number,
        text=text if text is not None else config_yaml(config, number),
        digest=config_digest(config),
        actor=actor,
        reason=reason,
        source=source,
        file_digest=file_digest,
        created_at=utc_now(),
    )
    try:
        session.add(row)
        session.flush()
    except IntegrityError:
        # Another save took this number between our read and our write; the caller's
        # transaction is spoilt and rolls back, the person sees the newest on the next read.
        raise ConfigConflict(base, None) from None
    # Logins, unit pages and mail recipients read the people tables: in step with the version.
    sync_config(session, config)
    AuditRepository(session).append(
        actor=actor,
        action=ACTION_SAVED,
        reason=reason,
        detail=json.dumps({"version": number, "source": source}, ensure_ascii=False),
    )
    return _stored(row)


def import_file(
    session: Session,
    path: Path,
    *,
    actor: str,
    reason: str,
    other_organisation: bool = False,
) -> StoredConfig:
    """Imports a YAML file as the next version (checked first; raises ConfigError)."""
    data = path.read_bytes()
    config = load_config(path)
    return save(
        session,
        config,
        base=current_version(session),
        actor=actor,
        reason=reason,
        source=f"file:{path.name}",
        text=data.decode("utf-8"),
        file_digest=hashlib.sha256(data).hexdigest(),
        other_organisation=other_organisation,
    )


def restore(
    session: Session, version: int, *, base: int | None, actor: str, reason: str
) -> StoredConfig:
    """Saves an earlier version's text again as the newest version."""
    old = get(session, version)
    if old is None:
        raise LookupError(f"no version {version}")
    return save(
        session,
        old.config,
        base=base,
        actor=actor,
        reason=reason,
        source=f"restore:{version}",
        text=old.text,
    )


class ConfigSource:
    """The configuration the running system uses: the store's newest version, else a file.

    Processes share the store, so a version saved by one web process reaches the others and the
    worker within `check_every` seconds; the newest number is one indexed read.
    """

    def __init__(
        self,
        session_maker: Callable[[], Session] | sessionmaker[Session],
        fallback: Callable[[], ArshjulConfig],
        check_every: float = 2.0,
    ) -> None:
        self._sessions = session_maker
        self._fallback = fallback
        self._check_every = check_every
        self._lock = threading.Lock()
        self._checked = float("-inf")
        self._version: int | None = None
        self._config: ArshjulConfig | None = None

    def changed(self) -> None:
        """Makes the next read look at the store (after this process saved a version)."""
        self._checked = float("-inf")

    @property
    def version(self) -> int | None:
        """The number of the version in use; None when the file is used."""
        self._refresh()
        return self._version

    def __call__(self) -> ArshjulConfig:
        """Returns the configuration in use."""
        self._refresh()
        if self._config is None:
            self._config = self._fallback()
        return self._config

    def _refresh(self) -> None:
        now = time.monotonic()
        if now - self._checked < self._check_every:
            return
        with self._lock, self._sessions() as session:
            try:
                newest = current_version(session)
            except SQLAlchemyError as err:
                # A store not migrated yet (`arshjul web` before `db upgrade`): the file serves,
                # as the pages that need no store still do; looked at again in a while.
                log.warning("configuration from the file, the store is not readable: %s", err)
                self._checked = now
                return
            if newest is not None and newest != self._version:
                stored = get(session, newest)
                assert stored is not None
                self._version, self._config = newest, stored.config
            self._checked = now


@dataclass(frozen=True)
class Adopted:
    """What `up` made of its YAML file against the store: the version in use and why."""

    stored: StoredConfig
    event: str  # imported_first | imported_changed | unchanged | file_ignored


def adopt_file(session: Session, path: Path, *, actor: str) -> Adopted:
    """Makes the store's configuration the one to run, importing the file where it is news.

    An empty store takes the file; a file changed since its last import becomes a new version,
    unless versions were saved in the browser since: then the store wins and `up` says so, for
    an edit in the browser is never overwritten by a restart.
    """
    data = path.read_bytes()
    newest = get(session)
    if newest is None:
        first = import_file(session, path, actor=actor, reason="Första start: inläst från filen")
        return Adopted(first, "imported_first")
    last = last_file_import(session)
    if last is not None and last.file_digest == hashlib.sha256(data).hexdigest():
        return Adopted(newest, "unchanged")
    if last is not None and last.version == newest.version:
        try:
            changed = import_file(
                session, path, actor=actor, reason="Filen ändrad sedan förra starten"
            )
        except ConfigUnchanged:
            return Adopted(newest, "unchanged")
        return Adopted(changed, "imported_changed")
    return Adopted(newest, "file_ignored")
