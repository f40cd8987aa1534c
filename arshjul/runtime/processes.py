"""The embedded parts as child processes: start, watch, restart and stop them, with pid files."""

from __future__ import annotations

import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

from arshjul.logging import log_event

logger = logging.getLogger(__name__)

VENV_BIN = Path(sys.executable).parent


class ManagedProcess:
    """One child process (dev server, worker or web) that the supervisor can check and restart.

    Children stay in the caller's process group: killing `up`'s group takes them all down, and a
    terminal's Ctrl-C reaches them too.
    """

    def __init__(
        self,
        name: str,
        argv: Sequence[str],
        *,
        env: Mapping[str, str],
        log_file: Path,
        pid_file: Path,
        ready_port: tuple[str, int] | None = None,
        ready_timeout: float = 60.0,
        probe: Callable[[], bool] | None = None,
        probe_failures: int = 2,
    ) -> None:
        self.name = name
        self.argv = list(argv)
        self.env = dict(env)
        self.log_file = log_file
        self.pid_file = pid_file
        self.ready_port = ready_port
        self.ready_timeout = ready_timeout
        # A living process that stops answering (a hung event loop) is restarted too.
        self.probe = probe
        self.probe_failures = probe_failures
        self.unanswered = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self.stopping = False

    @property
    def pid(self) -> int | None:
        """Returns the child's pid, or None if it was never started."""
        return self.proc.pid if self.proc else None

    def start(self) -> None:
        """Starts the child and waits until its port (if any) accepts connections."""
        if self.ready_port is not None and port_open(*self.ready_port):
            # Otherwise another program's port would look like our part being ready.
            raise RuntimeError(f"port {self.ready_port[1]} for {self.name} is already in use")
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_file, "ab") as out:
            self.proc = subprocess.Popen(  # noqa: S603
                self.argv,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
            )
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        self.pid_file.write_text(f"{self.proc.pid}\n")
        log_event(
            logger, "process.started", part=self.name, pid=self.proc.pid, log=str(self.log_file)
        )
        if self.ready_port is not None:
            self.wait_ready()

    def wait_ready(self) -> None:
        """Blocks until the child's port accepts connections; raises if it dies or times out."""
        assert self.proc is not None
        assert self.ready_port is not None
        deadline = time.monotonic() + self.ready_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"{self.name} exited with code {self.proc.returncode}; see {self.log_file}"
                )
            if port_open(*self.ready_port):
                log_event(
                    logger,
                    "process.ready",
                    part=self.name,
                    pid=self.proc.pid,
                    port=self.ready_port[1],
                )
                return
            time.sleep(0.1)
        raise RuntimeError(
            f"{self.name} did not open port {self.ready_port[1]}; see {self.log_file}"
        )

    def alive(self) -> bool:
        """Tells whether the child is running."""
        return self.proc is not None and self.proc.poll() is None

    def responsive(self) -> bool:
        """Tells whether the child answers its probe, allowing a few misses in a row."""
        if self.probe is None or self.probe():
            self.unanswered = 0
            return True
        self.unanswered += 1
        times = self.unanswered
        log_event(logger, "process.unanswered", level=logging.WARNING, part=self.name, times=times)
        return self.unanswered < self.probe_failures

    def ensure_running(self) -> bool:
        """Restarts the child if it died or stopped answering; returns True when it had to."""
        if self.stopping or (self.alive() and self.responsive()):
            return False
        if self.alive():
            assert self.proc is not None
            log_event(logger, "process.unresponsive", level=logging.WARNING, part=self.name)
            self.proc.kill()  # SIGKILL ends even a stopped (SIGSTOP) or wedged process
            self.proc.wait(timeout=30)
        code = self.proc.returncode if self.proc else None
        log_event(logger, "process.dead", level=logging.WARNING, part=self.name, code=code)
        self.unanswered = 0
        self.restarts += 1
        self.start()
        log_event(
            logger,
            "process.restarted",
            level=logging.WARNING,
            part=self.name,
            pid=self.pid,
            restarts=self.restarts,
        )
        return True

    def stop(self, timeout: float = 15.0) -> None:
        """Asks the child to stop (SIGTERM), then kills it after `timeout` seconds."""
        self.stopping = True
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                log_event(logger, "process.kill", level=logging.WARNING, part=self.name)
                self.proc.kill()
                self.proc.wait()
        self.pid_file.unlink(missing_ok=True)
        log_event(logger, "process.stopped", part=self.name, code=self.proc.returncode)


def answers_http(url: str, timeout: float = 5.0) -> bool:
    """Tells whether `url` gives any HTTP answer within `timeout` (a 503 is an answer too)."""
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=timeout):  # noqa: S310 - our own local URL
            return True
    except urllib.error.HTTPError:
        return True
    except (OSError, ValueError):
        return False


def port_open(host: str, port: int) -> bool:
    """Tells whether something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def temporal_dev_server_argv(
    db_file: Path,
    *,
    ip: str,
    port: int,
    ui_port: int,
    binary: Path | None = None,
) -> list[str]:
    """Returns the command line of the Temporal dev server persisting into `db_file`."""
    exe = binary or VENV_BIN / "temporal"
    return [
        str(exe),
        "server",
        "start-dev",
        "--db-filename",
        str(db_file),
        "--ip",
        ip,
        "--port",
        str(port),
        "--ui-port",
        str(ui_port),
        "--log-format",
        "json",
        "--log-level",
        "warn",
        # WAL + synchronous=normal: 2.6x the throughput of the defaults (STACK-NOTES), still durable
        # against a crash of the process (only an OS crash may lose the last transactions).
        "--sqlite-pragma",
        "journal_mode=wal",
        "--sqlite-pragma",
        "synchronous=normal",
        # What the SDK's start_local enables: updates (submit, decide) and update-with-start.
        "--dynamic-config-value",
        "frontend.enableUpdateWorkflowExecution=true",
        "--dynamic-config-value",
        "frontend.enableUpdateWorkflowExecutionAsyncAccepted=true",
        "--dynamic-config-value",
        "frontend.enableExecuteMultiOperation=true",
        "--dynamic-config-value",
        "system.enableEagerWorkflowStart=true",
        "--ui-disable-news-fetch",
    ]


def arshjul_argv(*args: str) -> list[str]:
    """Returns the command line of an `arshjul` subcommand run by this interpreter."""
    return [sys.executable, "-m", "arshjul.cli", *args]


def child_env(overrides: Mapping[str, str]) -> dict[str, str]:
    """Returns this process's environment with `overrides` applied (for worker and web)."""
    env = dict(os.environ)
    env.update(overrides)
    return env
