"""The local SMTP sink of `arshjul up`: an aiosmtpd server writing every mail to the data dir."""

from __future__ import annotations

import logging
from pathlib import Path

from aiosmtpd.controller import Controller

from arshjul.logging import log_event
from arshjul.runtime.maildir import store_mail

logger = logging.getLogger(__name__)


class MaildirHandler:
    """aiosmtpd handler: each accepted message becomes one file in `maildir`."""

    def __init__(self, maildir: Path) -> None:
        self.maildir = maildir

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        """Stores the message and answers 250, or 451 so the sender retries if the disk fails."""
        content = envelope.original_content or envelope.content  # type: ignore[attr-defined]
        if isinstance(content, str):
            content = content.encode("utf-8")
        try:
            path = store_mail(self.maildir, content)
        except OSError as exc:
            log_event(logger, "mail.store_failed", level=logging.ERROR, error=str(exc))
            return "451 4.3.0 cannot store the message now"
        log_event(logger, "mail.received", file=path.name, to=",".join(envelope.rcpt_tos))  # type: ignore[attr-defined]
        return "250 OK"


class MailSink:
    """A running SMTP sink on host:port (a thread of this process) writing into `maildir`."""

    def __init__(self, maildir: Path, host: str = "127.0.0.1", port: int = 1025) -> None:
        self.maildir = maildir
        self.host = host
        self.port = port
        self._controller = Controller(MaildirHandler(maildir), hostname=host, port=port)

    def start(self) -> None:
        """Starts listening; returns once the server accepts connections."""
        self.maildir.mkdir(parents=True, exist_ok=True)
        self._controller.start()
        log_event(
            logger, "mail.sink_started", host=self.host, port=self.port, maildir=str(self.maildir)
        )

    def stop(self) -> None:
        """Stops listening."""
        self._controller.stop()
        log_event(logger, "mail.sink_stopped", port=self.port)
