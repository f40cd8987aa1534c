"""Structured logs: one line per event, `key=value` pairs, with the round id when there is one.

Every part (up, worker, web, activities) calls `configure_logging(component)` once and logs
through `log_event(logger, "event.name", round_id=..., **fields)`.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sys
from pathlib import Path
from typing import Any, TextIO

from arshjul.privacy import redact

# Fields every line may carry, in this order, before the free ones.
_LEADING = ("component", "event", "round_id")
_RESERVED = set(vars(logging.LogRecord("", 0, "", 0, "", None, None))) | {"message", "asctime"}


def _quote(value: object) -> str:
    text = str(value)
    # Quote only when needed so lines stay easy to grep; newlines never split an event.
    if text == "" or any(c in text for c in ' "=\n\r\t'):
        escaped = text.replace("\\", "\\\\").replace('"', '\\"')
        escaped = escaped.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
        return f'"{escaped}"'
    return text


class KeyValueFormatter(logging.Formatter):
    """Formats a record as `time level component event round_id=… key=value … msg="…"`, with
    every e-mail address replaced by its pseudonym (arshjul.privacy): no address reaches a log,
    whatever a message, a field or an exception (an SMTP refusal names its recipient) holds."""

    def __init__(self, component: str, key: str | None = None) -> None:
        super().__init__()
        self.component = component
        # The pseudonyms are keyed with the app's secret when the process has it, so a list of
        # the kommun's addresses does not undo them.
        self.key = os.environ.get("SECRET_KEY", "") if key is None else key

    def format(self, record: logging.LogRecord) -> str:
        """Returns the record as one line."""
        stamp = dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(timespec="milliseconds")
        fields: dict[str, Any] = {"component": getattr(record, "component", self.component)}
        extra = {k: v for k, v in vars(record).items() if k not in _RESERVED}
        fields["event"] = extra.pop("event", record.name)
        if "round_id" in extra and extra["round_id"] is not None:
            fields["round_id"] = extra.pop("round_id")
        extra.pop("component", None)
        extra.pop("round_id", None)
        fields.update(extra)
        parts = [stamp, record.levelname.lower()]
        parts += [f"{k}={_quote(v)}" for k, v in fields.items() if v is not None]
        message = record.getMessage()
        if message and message != fields["event"]:
            parts.append(f"msg={_quote(message)}")
        if record.exc_info:
            parts.append(f"exc={_quote(self.formatException(record.exc_info))}")
        return redact(" ".join(parts), self.key)


def configure_logging(
    component: str,
    *,
    level: str | None = None,
    file: Path | None = None,
    stream: TextIO | None = None,
    temporal_metrics: str | None = None,
) -> None:
    """Sets up the root logger for this process: key=value lines to stderr (and `file`).

    With `temporal_metrics` (host:port) the Temporal SDK serves its Prometheus metrics there.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    formatter = KeyValueFormatter(component)
    handler: logging.Handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(formatter)
    root.addHandler(handler)
    if file is not None:
        file.parent.mkdir(parents=True, exist_ok=True)
        file_handler = logging.FileHandler(file, encoding="utf-8")
        file_handler.setFormatter(formatter)
        root.addHandler(file_handler)
    root.setLevel((level or os.environ.get("ARSHJUL_LOG_LEVEL", "INFO")).upper())
    route_temporal_core_logs(temporal_metrics)
    # Third-party chatter would drown the one-line events at INFO.
    for noisy in (
        "apscheduler",
        "httpx",
        "mail.log",
        "uvicorn.access",
        "temporalio.activity",
        "alembic",
    ):
        logging.getLogger(noisy).setLevel(logging.WARNING)


def route_temporal_core_logs(metrics_address: str | None = None) -> None:
    """Sends the Temporal core's own log lines through Python logging (stderr), never to stdout,
    and serves the SDK's Prometheus metrics on `metrics_address` (host:port) when given.

    The Rust core prints to stdout by default, which would corrupt `--format json` output.
    Must run before the first Temporal client or server of the process is created.
    """
    from temporalio.runtime import (
        LogForwardingConfig,
        LoggingConfig,
        PrometheusConfig,
        Runtime,
        TelemetryConfig,
        TelemetryFilter,
    )

    logging_config = LoggingConfig(
        filter=TelemetryFilter(core_level="WARN", other_level="ERROR"),
        forwarding=LogForwardingConfig(logger=logging.getLogger("temporalio.core")),
    )
    metrics = None
    if metrics_address:
        # Prometheus conventions: counters end in _total, durations are seconds.
        metrics = PrometheusConfig(
            bind_address=metrics_address, counters_total_suffix=True, durations_as_seconds=True
        )
    telemetry = TelemetryConfig(logging=logging_config, metrics=metrics)
    Runtime.set_default(Runtime(telemetry=telemetry), error_if_already_set=False)


def log_event(
    logger: logging.Logger,
    event: str,
    *,
    level: int = logging.INFO,
    round_id: str | None = None,
    message: str = "",
    **fields: Any,
) -> None:
    """Logs one event line with its round id (if any) and fields."""
    # LogRecord refuses extras that shadow its attributes ("name", "args"): suffix them.
    safe = {(f"{k}_" if k in _RESERVED else k): v for k, v in fields.items()}
    logger.log(level, message or event, extra={"event": event, "round_id": round_id, **safe})
