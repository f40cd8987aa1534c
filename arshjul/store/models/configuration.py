"""The årshjul configuration, one row per saved version (the YAML file is its import/export)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from arshjul.store.models.base import Base


class ConfigVersion(Base):
    """A saved configuration: its text as saved, who saved it, when and why. Never changed."""

    __tablename__ = "config_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    org_id: Mapped[str] = mapped_column(String(64))
    # 1, 2, 3 … per store; unique, so two saves on the same version cannot both land.
    version: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    digest: Mapped[str] = mapped_column(String(64))
    actor: Mapped[str] = mapped_column(String(320))
    reason: Mapped[str] = mapped_column(Text)
    # "file:<name>", "browser", "restore:<n>", "up"
    source: Mapped[str] = mapped_column(String(300))
    # The SHA-256 of the file's bytes when imported from a file, so `up` knows a changed file.
    file_digest: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[dt.datetime]

    __table_args__ = (UniqueConstraint("version"),)
