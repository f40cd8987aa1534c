"""Running `arshjul up` as a real subprocess (own process group) on free ports in a tmp data dir."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import httpx
import pytest

from tests.conftest import free_port

START_TIMEOUT = 90.0


class UpProcess:
    """One data dir and its ports; `start()` may be called again after a stop or a kill."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.temporal_port = free_port()
        self.ui_port = free_port()
        self.smtp_port = free_port()
        self.proc: subprocess.Popen[bytes] | None = None
        self.runs = 0
        self.config: Path | None = None  # None: the bundled example
        self.env: dict[str, str] = {}  # e.g. DATABASE_URL for a PostgreSQL store
        self.args: list[str] = []  # more options of `up`, e.g. --workers 2
        self.start_timeout = START_TIMEOUT

    @property
    def base_url(self) -> str:
        """Returns the web app's address."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def temporal_address(self) -> str:
        """Returns the dev server's address."""
        return f"127.0.0.1:{self.temporal_port}"

    def start(self) -> None:
        """Starts `arshjul up` in its own session and waits until the web app answers."""
        self.runs += 1
        # The embedded parts, whatever the developer's shell says.
        outside = ("TEMPORAL_ADDRESS", "DATABASE_URL", "SMTP_HOST", "SECRET_KEY", "BASE_URL")
        env = {k: v for k, v in os.environ.items() if k not in outside}
        env["ARSHJUL_SUPERVISOR_INTERVAL"] = "0.5"
        env.update(self.env)
        out = open(self.data_dir.parent / f"up-{self.runs}.out", "wb")  # noqa: SIM115
        self.proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "arshjul.cli",
                "up",
                "--data-dir",
                str(self.data_dir),
                "--port",
                str(self.port),
                "--temporal-port",
                str(self.temporal_port),
                "--temporal-ui-port",
                str(self.ui_port),
                "--smtp-port",
                str(self.smtp_port),
                *(["--config", str(self.config)] if self.config else []),
                *self.args,
            ],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        out.close()
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"up exited {self.proc.returncode}:\n{self.output()}")
            state = self.data_dir / "run" / "up.json"
            # A run killed earlier leaves its up.json behind: only this run's counts.
            if state.exists() and json.loads(state.read_text() or "{}").get("pid") == self.proc.pid:
                return
            time.sleep(0.2)
        raise AssertionError(f"up did not start in {self.start_timeout}s:\n{self.output()}")

    def output(self) -> str:
        """Returns what the latest run printed, and the children's logs, for failure messages."""
        text = (self.data_dir.parent / f"up-{self.runs}.out").read_text(errors="replace")
        for name in ("worker", "web", "temporal"):
            log = self.data_dir / "logs" / f"{name}.log"
            if log.exists():
                text += f"\n--- {name}.log (tail) ---\n" + log.read_text(errors="replace")[-3000:]
        return text

    def pid_of(self, part: str) -> int:
        """Returns the pid of a part from its pid file."""
        return int((self.data_dir / "run" / f"{part}.pid").read_text())

    def kill_group(self) -> None:
        """SIGKILLs `up` and every child in its process group, as a power cut would."""
        assert self.proc is not None
        os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait()
        _wait_gone(self.proc.pid)

    def stop(self) -> int:
        """Sends SIGTERM and waits for a clean exit; returns the exit code."""
        assert self.proc is not None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
                raise
        return int(self.proc.returncode)


def _wait_gone(pgid: int, timeout: float = 10.0) -> None:
    # The group's children are reparented when up dies; wait until none is left.
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)


@pytest.fixture
def up_process(tmp_path: Path) -> Iterator[UpProcess]:
    """An `arshjul up` on free ports in a tmp data dir, killed at the end whatever happened."""
    up = UpProcess(tmp_path / "var")
    try:
        yield up
    finally:
        if up.proc is not None and up.proc.poll() is None:
            os.killpg(up.proc.pid, signal.SIGKILL)
            up.proc.wait()
            _wait_gone(up.proc.pid)


def eventually(check: Callable[[], object], timeout: float = 60.0, every: float = 0.25) -> object:
    """Returns the first truthy result of `check`, or fails after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last: object = None
    while time.monotonic() < deadline:
        try:
            last = check()
        except (httpx.HTTPError, OSError) as exc:
            last = exc
        if last and not isinstance(last, Exception):
            return last
        time.sleep(every)
    raise AssertionError(f"condition not met in {timeout}s (last: {last!r})")


class FormParser(HTMLParser):
    """Collects the POST forms of a page: action and fields (inputs, textareas, selects)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, object]] = []
        self._field: tuple[str, dict[str, str]] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append(
                {"action": a.get("action", ""), "method": a.get("method", "get"), "fields": []}
            )
        elif not self.forms:
            return
        elif tag in ("input", "button") and a.get("name"):
            self._fields().append((tag, a))
        elif tag in ("textarea", "select") and a.get("name"):
            self._field, self._text = (tag, a), []
        elif tag == "option" and self._field is not None:
            self._field[1].setdefault("options", "")
            self._field[1]["options"] += a.get("value", "") + "\n"

    def handle_data(self, data: str) -> None:
        if self._field is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._field is not None and tag == self._field[0]:
            kind, a = self._field
            a["text"] = "".join(self._text)
            self._fields().append((kind, a))
            self._field = None

    def _fields(self) -> list[tuple[str, dict[str, str]]]:
        return self.forms[-1]["fields"]  # type: ignore[return-value]


def post_forms(html: str) -> list[dict[str, object]]:
    """Returns the page's POST forms."""
    parser = FormParser()
    parser.feed(html)
    return [f for f in parser.forms if str(f["method"]).lower() == "post"]


def config_without_reports(path: Path) -> Path:
    """Writes the bundled example without reports (no real round open: demo day), KSAU meeting."""
    import yaml

    from arshjul.settings import BUNDLED_CONFIG

    data = yaml.safe_load(BUNDLED_CONFIG.read_text(encoding="utf-8"))
    data["reports"] = []
    # KSAU meets after the demo's due date whatever year the suite runs in.
    today = dt.date.today()
    for committee in data["committees"]:
        if committee["id"] == "ksau":
            committee["meetings"] = [today + dt.timedelta(days=d) for d in (30, 60)]
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def read_state(data_dir: Path) -> dict[str, object]:
    """Returns run/up.json of a running `up`."""
    return json.loads((data_dir / "run" / "up.json").read_text())
