"""A real OpenID Provider for the tests: tests/node/oidc_provider.mjs (panva's oidc-provider) on
the machine's Node.js, and the app served by uvicorn as its registered client."""

from __future__ import annotations

import asyncio
import contextlib
import json
import shutil
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import uvicorn

from arshjul.calendar.loader import load_config
from arshjul.settings import BUNDLED_CONFIG, Settings
from arshjul.store.db import make_engine, make_session_maker, upgrade
from arshjul.web.app import create_app
from tests.conftest import MailSink, free_port
from tests.web.conftest import LIMITS, make_settings

NODE_DIR = Path(__file__).resolve().parents[1] / "node"
CLIENT_ID = "arshjul-test"
CLIENT_SECRET = "klient-hemlighet-" + "x" * 16
# People the municipality's IdP knows, with the app roles of their accounts.
ACCOUNTS = {
    "ingrid": {
        "email": "ingrid.falk@example.org",
        "name": "Ingrid Falk",
        "roles": ["Arshjul.KSAU"],
    },
    "eva": {
        "email": "eva.ekstrom@example.org",
        "name": "Eva Ekström",
        "roles": ["Arshjul.Ekonomichef", "Outlook.Users"],
    },
    "maria": {
        "email": "maria.holm@example.org",
        "name": "Maria Holm",
        "roles": ["Arshjul.Forvaltningschef.Socialforvaltningen"],
    },
    # Known to the IdP, no role in arshjul (and not in the YAML either).
    "olle": {"email": "olle.berg@example.org", "name": "Olle Berg", "roles": ["Outlook.Users"]},
}


@dataclass
class IdpWeb:
    """The IdP's address and the app's, with the app's settings and store."""

    issuer: str
    base: str
    app: Any
    settings: Settings
    sessions: Any


async def _start_provider(port: int, base: str) -> asyncio.subprocess.Process:
    node = shutil.which("node")
    assert node, "Node.js is needed for the OpenID provider (apt-get install nodejs)"
    assert (NODE_DIR / "node_modules" / "oidc-provider").is_dir(), (
        "tests/node has no node_modules: run scripts/test-setup.sh (npm ci in tests/node)"
    )
    env = {
        "PATH": str(Path(node).parent),
        "OIDC_PORT": str(port),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URI": f"{base}/oidc/callback",
        "OIDC_POST_LOGOUT_URI": f"{base}/login",
        "OIDC_ACCOUNTS": json.dumps(ACCOUNTS),
    }
    proc = await asyncio.create_subprocess_exec(
        node,
        "oidc_provider.mjs",
        cwd=NODE_DIR,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.DEVNULL,
    )
    assert proc.stdout is not None
    line = await asyncio.wait_for(proc.stdout.readline(), 30)
    assert line.startswith(b"ready "), f"the OpenID provider did not start: {line!r}"
    return proc


@contextlib.asynccontextmanager
async def idp_web(tmp_path: Path, sink: MailSink) -> AsyncIterator[IdpWeb]:
    """Starts the OpenID provider and serves the app (its registered client) with uvicorn."""
    idp_port, web_port = free_port(), free_port()
    issuer, base = f"http://127.0.0.1:{idp_port}", f"http://127.0.0.1:{web_port}"
    provider = await _start_provider(idp_port, base)
    settings = make_settings(tmp_path, sink, base).model_copy(
        update={
            "oidc_issuer": issuer,
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": CLIENT_SECRET,
        }
    )
    upgrade(settings.database_url)
    engine = make_engine(settings.database_url)
    sessions = make_session_maker(engine)
    app = create_app(
        settings, session_maker=sessions, config=load_config(BUNDLED_CONFIG), limits=LIMITS
    )
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=web_port, log_level="warning", lifespan="off")
    )
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:
            await asyncio.sleep(0.02)
        yield IdpWeb(issuer, base, app, settings, sessions)
    finally:
        server.should_exit = True
        await task
        provider.terminate()
        await provider.wait()
        engine.dispose()
