"""Sending mail: aiosmtplib with STARTTLS/TLS/auth, one connection per batch, error classes."""

from __future__ import annotations

import contextlib
import ssl
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Protocol

import aiosmtplib

from arshjul.settings import Settings


class SendError(Exception):
    """A mail was not accepted by the SMTP server."""


class RetryableSendError(SendError):
    """Try again later: 4xx answers, refused or dropped connections, timeouts."""


class PermanentSendError(SendError):
    """Retrying will not help: 5xx answers, invalid recipients or sender."""


@dataclass
class SendReceipt:
    """What the SMTP server answered for one accepted mail."""

    message_id: str
    response: str  # the server's answer, e.g. "250 OK"


class Connection(Protocol):
    """An open SMTP connection that sends several mails in turn."""

    async def send(self, message: EmailMessage) -> SendReceipt:
        """Sends one mail over this connection."""


class Sender(Protocol):
    """What activities need: send one mail, or open a connection for a batch."""

    async def send(self, message: EmailMessage) -> SendReceipt:
        """Sends one mail on a connection of its own."""

    def connection(self) -> contextlib.AbstractAsyncContextManager[Connection]:
        """Opens a connection for a batch of mails, closed when the block ends."""


def classify(exc: BaseException) -> SendError:
    """Maps an aiosmtplib or socket error to retryable or permanent.

    Only a 5xx about this message (its sender, recipients or content) is permanent. Everything
    about the relay (connection, TLS, login, 4xx) is retryable: once an operator fixes the relay
    or the password, the mail still goes instead of being lost.
    """
    if isinstance(exc, SendError):
        return exc
    if isinstance(exc, aiosmtplib.SMTPRecipientsRefused):
        codes = [r.code for r in exc.recipients]
        if codes and all(400 <= c < 500 for c in codes):
            return RetryableSendError(str(exc))
        return PermanentSendError(str(exc))
    message_errors = (
        aiosmtplib.SMTPRecipientRefused,
        aiosmtplib.SMTPSenderRefused,
        aiosmtplib.SMTPDataError,
    )
    if isinstance(exc, message_errors) and exc.code >= 500:
        return PermanentSendError(f"{exc.code} {exc.message}")
    if isinstance(exc, aiosmtplib.SMTPResponseException):
        return RetryableSendError(f"{exc.code} {exc.message}")
    return RetryableSendError(f"{type(exc).__name__}: {exc}")


class _SmtpConnection:
    def __init__(self, client: aiosmtplib.SMTP) -> None:
        self._client = client

    async def send(self, message: EmailMessage) -> SendReceipt:
        try:
            errors, response = await self._client.send_message(message)
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise classify(exc) from exc
        # aiosmtplib hands back only the text of the final answer to DATA, which was a 250.
        response = f"250 {response}"
        if errors:
            # Some recipients refused; the mail went to the others, so report what the server said.
            response = f"{response}; refused: {errors}"
        return SendReceipt(message_id=str(message["Message-ID"]), response=response)


@dataclass
class SmtpSender:
    """Sends through an SMTP server with aiosmtplib."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None
    tls: str = "none"  # "none" | "starttls" | "tls"
    timeout: float = 30.0
    tls_context: ssl.SSLContext | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> SmtpSender:
        """Builds a sender from the SMTP_* settings."""
        if settings.smtp_tls not in ("none", "starttls", "tls"):
            raise ValueError(f"SMTP_TLS must be none, starttls or tls, not {settings.smtp_tls!r}")
        return cls(
            host=settings.smtp_host,
            port=settings.smtp_port,
            username=settings.smtp_username,
            password=settings.smtp_password,
            tls=settings.smtp_tls,
        )

    def _client(self) -> aiosmtplib.SMTP:
        return aiosmtplib.SMTP(
            hostname=self.host,
            port=self.port,
            use_tls=self.tls == "tls",
            start_tls=True if self.tls == "starttls" else False,
            username=self.username,
            password=self.password,
            timeout=self.timeout,
            tls_context=self.tls_context,
        )

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[Connection]:
        """Opens one connection (TLS and login done once) for a batch of mails."""
        client = self._client()
        try:
            await client.connect()
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise classify(exc) from exc
        try:
            yield _SmtpConnection(client)
        finally:
            with contextlib.suppress(aiosmtplib.SMTPException, OSError):
                await client.quit()

    async def send(self, message: EmailMessage) -> SendReceipt:
        """Sends one mail over its own connection."""
        async with self.connection() as conn:
            return await conn.send(message)


@dataclass
class MemorySender:
    """An in-memory sender for unit tests of callers; `fail_with` makes the next sends fail."""

    sent: list[EmailMessage] = field(default_factory=list)
    fail_with: SendError | None = None

    @contextlib.asynccontextmanager
    async def connection(self) -> AsyncIterator[Connection]:
        """Yields itself: every send lands in `sent`."""
        yield self

    async def send(self, message: EmailMessage) -> SendReceipt:
        """Keeps the message, or raises `fail_with`."""
        if self.fail_with is not None:
            raise self.fail_with
        self.sent.append(message)
        return SendReceipt(message_id=str(message["Message-ID"]), response="250 OK (memory)")
