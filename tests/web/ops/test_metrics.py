"""`/metrics` answers Prometheus text that prometheus-client's own parser reads: HTTP requests by
route template (never a link's token), rounds by state, mails sent and failed from the store."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import func, select

from arshjul.models.rounds import Recipient
from arshjul.store.db import make_engine, make_session_maker, upgrade
from arshjul.store.metrics import MAIL_FAILED
from arshjul.store.models import AuditEntry
from arshjul.web.app import create_app
from tests.conftest import MailSink
from tests.web.conftest import BASE, LIMITS, WebRig, make_settings, round_spec


def samples(text: str) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Parses Prometheus text into {(sample name, sorted labels): value}."""
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(text)
        for s in family.samples
    }


async def test_metrics_parse_and_count(web: WebRig) -> None:
    await web.start_round(round_spec(web.config, unit_id="bun"))
    await web.wait_for_mail("per.sandberg@example.org", "/s/")
    # A chef's address that no server takes: the request mail fails for good.
    broken = round_spec(web.config, unit_id="sof").model_copy(
        update={"recipients": [Recipient(name="Maria Holm", email="maria.holm.example.org")]}
    )
    await web.start_round(broken)
    for _ in range(200):
        with web.sessions() as session:
            query = select(func.count()).select_from(AuditEntry)
            if session.scalar(query.where(AuditEntry.action == MAIL_FAILED)):
                break
        await asyncio.sleep(0.05)
    await web.wait_for_state(broken.workflow_id, lambda s: len(s.history) >= 1)

    token = "A" * 43
    assert (await web.http.get(f"/s/{token}")).status_code == 403
    assert (await web.http.get("/login")).status_code == 200
    answer = await web.http.get("/metrics")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")
    assert token not in answer.text
    found = samples(answer.text)
    assert found[("arshjul_rounds", (("org", "hedemora"), ("state", "open")))] == 2
    assert found[("arshjul_mails_sent_total", (("template", "request"),))] == 1
    assert found[("arshjul_mails_failed_total", ())] == 1
    assert found[("arshjul_submissions_pending", ())] == 0
    assert found[("arshjul_store_up", ())] == 1
    refused = (("method", "GET"), ("route", "/s/{raw}"), ("status", "403"))
    assert found[("arshjul_http_requests_total", refused)] == 1
    login = (("le", "+Inf"), ("method", "GET"), ("route", "/login"))
    assert found[("arshjul_http_request_duration_seconds_bucket", login)] >= 1


async def test_metrics_can_require_a_token(web: WebRig) -> None:
    settings = web.settings.model_copy(update={"metrics_token": "hemligt-skrap"})
    app = create_app(settings, session_maker=web.sessions, config=web.config, limits=LIMITS)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url=settings.base_url
    ) as http:
        assert (await http.get("/metrics")).status_code == 401
        wrong = await http.get("/metrics", headers={"Authorization": "Bearer fel"})
        assert wrong.status_code == 401
        right = await http.get("/metrics", headers={"Authorization": "Bearer hemligt-skrap"})
        assert right.status_code == 200
        assert "arshjul_store_up 1.0" in right.text


async def test_made_up_methods_add_no_series(tmp_path: Path, smtp_sink: MailSink) -> None:
    settings = make_settings(tmp_path, smtp_sink)
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    app = create_app(settings, session_maker=make_session_maker(engine), limits=LIMITS)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
            await http.get("/healthz")
            before = samples((await http.get("/metrics")).text)
            for n in range(40):  # anonymous, as an attack run sends them
                await http.request(f"ZZ{n}", "/healthz")
                await http.request("GET", f"/no-such-page-{n}")
            after = samples((await http.get("/metrics")).text)
    finally:
        engine.dispose()
    series = {key for key in after if key[0] == "arshjul_http_requests_total"}
    methods = {dict(labels)["method"] for _, labels in series}
    routes = {dict(labels)["route"] for _, labels in series}
    assert not any(m.startswith("ZZ") for m in methods), methods
    assert "other" in methods
    assert not any("no-such-page" in r for r in routes), routes
    # 80 odd requests add a handful of label sets (other × statuses, one route), not eighty.
    new = series - {key for key in before if key[0] == "arshjul_http_requests_total"}
    assert len(new) <= 4, sorted(new)
