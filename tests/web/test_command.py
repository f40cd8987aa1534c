"""`arshjul web` serves the app with uvicorn on the given host and port."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port


def test_arshjul_web_serves_pages(tmp_path: Path) -> None:
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite'}",
        "TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}",
        "SECRET_KEY": "web-command-test-secret",
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


@pytest.mark.parametrize(
    ("command", "secret"),
    [("web", None), ("worker", "change-me-in-production"), ("web", ""), ("worker", "short")],
)
def test_refuses_to_start_without_a_secret(
    tmp_path: Path, command: str, secret: str | None
) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'a.sqlite'}"}
    env |= {"TEMPORAL_ADDRESS": f"127.0.0.1:{free_port()}"}  # nothing may be reached anyway
    if secret is not None:
        env["SECRET_KEY"] = secret
    done = subprocess.run(
        [sys.executable, "-m", "arshjul.cli", command, "--port", str(free_port())]
        if command == "web"
        else [sys.executable, "-m", "arshjul.cli", command],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    said = " ".join(done.stderr.split())
    assert "SECRET_KEY is" in said
    assert "export SECRET_KEY=$(openssl rand -base64 32)" in said
    assert not (tmp_path / "a.sqlite").exists()  # nothing was started or written
