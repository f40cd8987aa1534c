"""/healthz answers while the process lives; /readyz names what it cannot reach, in time."""

from __future__ import annotations

from pathlib import Path

import httpx

from arshjul.store.db import make_engine, make_session_maker, upgrade
from arshjul.web.app import create_app
from tests.conftest import MailSink, free_port
from tests.web.conftest import BASE, LIMITS, make_settings


async def test_readiness_names_an_unreachable_temporal(tmp_path: Path, smtp_sink: MailSink) -> None:
    settings = make_settings(tmp_path, smtp_sink).model_copy(
        update={"temporal_address": f"127.0.0.1:{free_port()}"}  # nothing listens there
    )
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    app = create_app(settings, session_maker=make_session_maker(engine), limits=LIMITS)
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=BASE) as http:
            assert (await http.get("/healthz")).json() == {"status": "ok"}
            ready = await http.get("/readyz")
        assert ready.status_code == 503
        body = ready.json()
        assert (body["status"], body["database"]) == ("not ready", "ok")
        assert body["temporal"] != "ok"
    finally:
        engine.dispose()
