"""Where each part of `arshjul up` lives: embedded in the data dir, or outside (environment)."""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path

from pydantic import BaseModel

from arshjul.protocol.seal import write_demo_seal

# More processes than this on one machine only compete for its cores and database connections.
MAX_PROCESSES = 16
WORKER_METRICS = "ARSHJUL_WORKER_METRICS_ADDRESS"


class UpOptions(BaseModel):
    """The options of `arshjul up`."""

    config: Path | None = None
    data_dir: Path = Path("var")
    host: str = "127.0.0.1"
    port: int = 8000
    temporal_port: int = 7233
    temporal_ui_port: int = 8233
    smtp_port: int = 1025
    check_seconds: float = 30.0
    # Open a data dir written by another Temporal dev-server version (after a backup).
    accept_temporal_version: bool = False
    # How many `arshjul worker` and `arshjul web` processes to run (webs on port, port + 1, …).
    workers: int = 1
    webs: int = 1


class DataDir:
    """The files `up` keeps in its data dir."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.temporal_db = root / "temporal.sqlite"  # the Temporal dev server's state
        self.store_db = root / "arshjul.sqlite"  # the arshjul store
        self.maildir = root / "mail"  # mails the sink received
        self.backups = root / "backups"  # nightly online backups
        self.logs = root / "logs"  # up.log and one log per part
        self.run = root / "run"  # pid files, the lock, markers, the generated secret key

    def pid_file(self, part: str) -> Path:
        """Returns the pid file of a part (temporal, worker, web)."""
        return self.run / f"{part}.pid"


class Endpoints(BaseModel):
    """The addresses the parts use, and which parts `up` runs itself."""

    temporal_address: str
    temporal_embedded: bool
    temporal_ui_url: str | None
    database_url: str
    database_embedded: bool
    smtp_host: str
    smtp_port: int
    smtp_embedded: bool
    web_url: str  # the first web process: BASE_URL's default, the inbox
    web_urls: list[str]  # every web process, one port each
    inbox_url: str | None


def resolve_endpoints(options: UpOptions, environ: Mapping[str, str]) -> Endpoints:
    """Decides each part: TEMPORAL_ADDRESS, DATABASE_URL or SMTP_HOST replace the embedded one."""
    data = DataDir(root=options.data_dir.resolve())
    temporal = environ.get("TEMPORAL_ADDRESS")
    database = environ.get("DATABASE_URL")
    smtp_host = environ.get("SMTP_HOST")
    web_urls = [f"http://{options.host}:{port}" for port in web_ports(options)]
    web_url = web_urls[0]
    return Endpoints(
        temporal_address=temporal or f"127.0.0.1:{options.temporal_port}",
        temporal_embedded=not temporal,
        temporal_ui_url=None if temporal else f"http://127.0.0.1:{options.temporal_ui_port}",
        database_url=database or f"sqlite:///{data.store_db}",
        database_embedded=not database,
        smtp_host=smtp_host or "127.0.0.1",
        smtp_port=int(environ.get("SMTP_PORT", "25")) if smtp_host else options.smtp_port,
        smtp_embedded=not smtp_host,
        web_url=web_url,
        web_urls=web_urls,
        inbox_url=None if smtp_host else f"{web_url}/dev/mail",
    )


def web_ports(options: UpOptions) -> list[int]:
    """Returns the port of each web process: `--port` and the ones after it."""
    return [options.port + i for i in range(max(options.webs, 1))]


def part_names(kind: str, count: int) -> list[str]:
    """Names `count` processes of one kind: worker, worker-2, … (the first keeps the plain name,
    so pid files, logs and scripts of a one-process `up` stay where they were)."""
    return [kind if i == 1 else f"{kind}-{i}" for i in range(1, count + 1)]


def worker_env(env: Mapping[str, str], index: int) -> dict[str, str]:
    """Returns the environment of the `index`-th worker (0 = the first): its Prometheus metrics,
    when asked for, on the port after the previous worker's (one port serves one process)."""
    own = dict(env)
    address = env.get(WORKER_METRICS)
    if address and index:
        host, _, port = address.rpartition(":")
        if port.isdigit():
            own[WORKER_METRICS] = f"{host}:{int(port) + index}"
    return own


def scale_problem(options: UpOptions, environ: Mapping[str, str]) -> str | None:
    """Says why `--workers`/`--webs` cannot run as asked (English, for the CLI), or None."""
    for flag, count in (("--workers", options.workers), ("--webs", options.webs)):
        if not 1 <= count <= MAX_PROCESSES:
            return f"{flag} must be between 1 and {MAX_PROCESSES}, got {count}"
    last = options.port + options.webs - 1
    if last > 65535:
        return f"--webs {options.webs} from --port {options.port} needs ports up to {last}"
    endpoints = resolve_endpoints(options, environ)
    others = {"--smtp-port": options.smtp_port} if endpoints.smtp_embedded else {}
    if endpoints.temporal_embedded:
        others |= {
            "--temporal-port": options.temporal_port,
            "--temporal-ui-port": options.temporal_ui_port,
        }
    for flag, port in others.items():
        if options.port <= port <= last:
            return f"{flag} {port} is one of the web ports {options.port}-{last}"
    backend = endpoints.database_url.split(":", 1)[0].split("+", 1)[0]
    if (options.workers > 1 or options.webs > 1) and backend == "sqlite":
        # SQLite takes one writer at a time for the whole file: several processes writing at
        # once queue on its lock (and give up after the busy timeout), and the store's nightly
        # backup is of one machine's file. PostgreSQL is built for many writers.
        return (
            "--workers and --webs above 1 need PostgreSQL: a SQLite store lets one process "
            "write at a time. Set DATABASE_URL to a PostgreSQL database, e.g. "
            "DATABASE_URL=postgresql+psycopg://arshjul@127.0.0.1/arshjul, and run `up` again."
        )
    return None


def secret_key(data: DataDir, environ: Mapping[str, str]) -> str:
    """Returns SECRET_KEY from the environment, else one generated once and kept in the data dir.

    A key that survives restarts keeps the links in already-sent mails valid.
    """
    if environ.get("SECRET_KEY"):
        return environ["SECRET_KEY"]
    path = data.run / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(32))
        path.chmod(0o600)
    return path.read_text().strip()


def demo_seal(data: DataDir, configured: bool, org_name: str) -> dict[str, str]:
    """The environment that gives the webs a seal for protocols' archive copies: nothing when the
    operator configured one (ARSHJUL_SIGNING_P12), else a self-signed demo seal made once in
    the data dir, so a newcomer sees a sealed copy (its name says it is a demo)."""
    if configured:
        return {}
    p12, passphrase = write_demo_seal(data.run, org_name)
    return {"ARSHJUL_SIGNING_P12": str(p12), "ARSHJUL_SIGNING_PASSPHRASE": passphrase}


def is_loopback(host: str) -> bool:
    """Tells whether an address to listen on is reachable from this machine only."""
    return host in ("localhost", "::1") or host.startswith("127.")


def child_overrides(
    options: UpOptions,
    endpoints: Endpoints,
    data: DataDir,
    config: Path,
    key: str,
    environ: Mapping[str, str],
) -> dict[str, str]:
    """Returns the environment worker and web get, so they talk to the same parts as `up`."""
    env = {
        "TEMPORAL_ADDRESS": endpoints.temporal_address,
        "DATABASE_URL": endpoints.database_url,
        "SMTP_HOST": endpoints.smtp_host,
        "SMTP_PORT": str(endpoints.smtp_port),
        "SECRET_KEY": key,
        "BASE_URL": environ.get("BASE_URL", endpoints.web_url),
        "ARSHJUL_CONFIG": str(config),
        "PYTHONUNBUFFERED": "1",
    }
    if endpoints.smtp_embedded:
        env["ARSHJUL_DEV_MAILDIR"] = str(data.maildir)
        if not is_loopback(options.host):
            # Reachable from other machines: the inbox (every login link) needs a login there.
            env["ARSHJUL_DEV_MAIL_LOGIN"] = "1"
        # The sink speaks plain SMTP; a TLS setting meant for a real relay would fail here.
        env["SMTP_TLS"] = "none"
    return env
