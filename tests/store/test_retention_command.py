"""`arshjul retention plan|run` and the register's retention column, from one configuration."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from arshjul.cli import app
from arshjul.settings import BUNDLED_CONFIG
from arshjul.store.models import AuditEntry, WebSession
from arshjul.store.retention import GALLRING


def configured(tmp_path: Path) -> Path:
    data = yaml.safe_load(BUNDLED_CONFIG.read_text(encoding="utf-8"))
    data["retention"] = {"sessions": {"days": 30}, "mail_log": {"months": 24}}
    path = tmp_path / "arshjul.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_plan_lists_and_run_removes(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=40)
    with sessions.begin() as s:
        for i, seen in enumerate((old, dt.datetime.now(dt.UTC))):
            s.add(
                WebSession(
                    token_hash=str(i) * 64,
                    email="a@b.se",
                    method="magic_link",
                    idp=None,
                    created_at=seen,
                    last_seen_at=seen,
                    revoked_at=None,
                )
            )
    args = ["--config", str(configured(tmp_path)), "--database-url", database_url]
    plan = CliRunner().invoke(app, ["retention", "plan", *args])
    assert plan.exit_code == 0, plan.output
    assert "sessions (login sessions): kept 30 days after last_seen; 1 would go" in plan.output
    assert "mail_log" in plan.output and "kept for good (no rule): drafts" in plan.output
    run = CliRunner().invoke(app, ["retention", "run", *args])
    assert run.exit_code == 0, run.output
    assert "1 removed" in run.output
    with sessions() as s:
        assert len(list(s.scalars(select(WebSession)))) == 1
        detail = s.scalar(select(AuditEntry.detail).where(AuditEntry.action == GALLRING))
    assert detail is not None and detail.startswith("sessions: 1 removed")
    register = CliRunner().invoke(app, ["gdpr", "register", *args])
    assert "Gallras 24 månader från det att uppgiften skapades" in register.output
    assert "sessioner: gallras 30 dagar efter senaste användning" in register.output


def test_a_bad_rule_is_refused(
    sessions: sessionmaker[Session], database_url: str, tmp_path: Path
) -> None:
    data = yaml.safe_load(BUNDLED_CONFIG.read_text(encoding="utf-8"))
    data["retention"] = {"sessions": {"days": 30, "months": 2}}
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = CliRunner().invoke(
        app, ["retention", "run", "--config", str(path), "--database-url", database_url]
    )
    assert result.exit_code != 0 and "exactly one of days, months or years" in result.output
