"""The embedded parts as child processes: start, watch, restart and stop them, with pid files."""

from __future__ import annotations

import concurrent.futures
import ctypes
import ctypes.util
import json
import logging
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from arshjul.logging import log_event

logger = logging.getLogger(__name__)

VENV_BIN = Path(sys.executable).parent
_PR_SET_PDEATHSIG = 1
# Loaded before any fork: the child may only call it (no imports or allocation after fork).
_LIBC: Any = (
    ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True) if sys.platform == "linux" else None
)
# Every child is started from this one thread, which lives as long as `up`: the parent-death
# signal fires when the thread that forked the child ends, and the supervisor's checks (which
# restart parts) run on scheduler threads that do not live as long.
_SPAWNER = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="spawner")


def _die_with_parent(parent: int) -> Callable[[], None]:
    """Returns the child's pre-exec step: SIGTERM when `up` dies, even by SIGKILL (Linux)."""

    def preexec() -> None:
        if _LIBC is not None:
            _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
        if os.getppid() != parent:  # `up` died before the signal was armed
            os._exit(1)

    return preexec


def process_identity(pid: int) -> dict[str, Any] | None:
    """Returns what tells this process from a later one with the same pid: its start time (clock
    ticks since boot) and command line; None when it is gone, a zombie or unreadable."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()  # after "pid (comm) "; comm may hold spaces
    if fields[0] in ("Z", "X"):
        return None
    argv = [a.decode(errors="replace") for a in cmdline.split(b"\0") if a]
    return {"pid": pid, "start_ticks": int(fields[19]), "argv": argv}


def reap_orphans(run_dir: Path, timeout: float = 15.0) -> list[str]:
    """Stops the parts a dead `up` left running, by their identity files; returns their names.

    A pid is only signalled while it is still the very process recorded (same start time and
    command line): a pid the system gave to another program since is left alone.
    """
    reaped = []
    for record in sorted(run_dir.glob("*.identity.json")):
        name = record.name.removesuffix(".identity.json")
        try:
            recorded = json.loads(record.read_text())
            pid = int(recorded["pid"])
        except (OSError, ValueError, KeyError, TypeError):
            record.unlink(missing_ok=True)
            continue
        if process_identity(pid) == recorded:
            log_event(logger, "process.orphan", level=logging.WARNING, part=name, pid=pid)
            _stop_pid(pid, recorded, timeout)
            reaped.append(name)
        record.unlink(missing_ok=True)
        (run_dir / f"{name}.pid").unlink(missing_ok=True)
    return reaped


def _stop_pid(pid: int, recorded: dict[str, Any], timeout: float) -> None:
    # Not our child: poll its identity instead of waiting on it.
    for sig, wait in ((signal.SIGTERM, timeout), (signal.SIGKILL, 5.0)):
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if process_identity(pid) != recorded:
                return
            time.sleep(0.05)


class ManagedProcess:
    """One child process (dev server, worker or web) that the supervisor can check and restart.

    Children stay in the caller's process group: killing `up`'s group takes them all down, and a
    terminal's Ctrl-C reaches them too. They also die with `up` alone (Linux parent-death signal),
    and their identity file lets the next `up` stop any that outlived it (reap_orphans).
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

    def start(self, *, wait: bool = True) -> None:
        """Starts the child and waits until its port (if any) accepts connections (unless told
        not to: several webs start together, then `wait_ready` each)."""
        if self.ready_port is not None and port_open(*self.ready_port):
            # Otherwise another program's port would look like our part being ready.
            raise RuntimeError(f"port {self.ready_port[1]} for {self.name} is already in use")
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_file, "ab") as out:
            self.proc = _SPAWNER.submit(
                subprocess.Popen,
                self.argv,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                preexec_fn=_die_with_parent(os.getpid()),  # noqa: PLW1509 - only prctl, no locks
            ).result()
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        self.pid_file.write_text(f"{self.proc.pid}\n")
        self._record_identity()
        log_event(
            logger, "process.started", part=self.name, pid=self.proc.pid, log=str(self.log_file)
        )
        if wait and self.ready_port is not None:
            self.wait_ready()

    @property
    def identity_file(self) -> Path:
        """Where the child's identity is kept, for a later `up` to stop it if this one dies."""
        return self.pid_file.with_name(f"{self.name}.identity.json")

    def _record_identity(self) -> None:
        assert self.proc is not None
        # Popen returns once the exec succeeded: the kernel already shows the child's argv.
        identity = process_identity(self.proc.pid)
        if identity is not None:
            self.identity_file.write_text(json.dumps(identity))

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
        self.identity_file.unlink(missing_ok=True)
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
