"""`arshjul web` serves the app with uvicorn on the given host and port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.conftest import free_port


def test_arshjul_web_serves_pages(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite'}",
        "TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}",
    }
    command = [
        sys.executable,
        "-m",
        "arshjul.cli",
        "web",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    server = subprocess.Popen(
        command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        answer = None
        for _ in range(200):
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        assert answer is not None, "arshjul web never answered"
        assert answer.status_code == 200
        assert 'lang="sv"' in answer.text
        feed = httpx.get(f"http://127.0.0.1:{port}/calendar/all.ics", timeout=10)
        assert feed.headers["content-type"].startswith("text/calendar")
    finally:
        server.terminate()
        server.wait(timeout=10)
