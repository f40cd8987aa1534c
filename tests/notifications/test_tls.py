"""The sender speaks STARTTLS and implicit TLS with a login, as a municipal relay asks for."""

from __future__ import annotations

import datetime as dt
import ssl
import subprocess
from collections.abc import Iterator
from email import message_from_bytes, policy
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword

from arshjul.models.effects import NotificationRequest
from arshjul.models.rounds import Recipient
from arshjul.notifications.message import build_message
from arshjul.notifications.render import props_for, render
from arshjul.notifications.sender import RetryableSendError, SmtpSender
from arshjul.settings import Settings
from tests.conftest import free_port
from tests.notifications.conftest import review_round


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A self-signed certificate for 127.0.0.1 (openssl), as (cert, key)."""
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(cert),
        ],
        check=True,
        capture_output=True,
    )
    return cert, key


class Relay:
    """A relay that wants TLS and a login (user "arshjul", password "hemligt")."""

    def __init__(self) -> None:
        self.messages: list[object] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:  # noqa: N802
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[attr-defined]
        return "250 OK"


def _authenticate(
    server: object, session: object, envelope: object, mechanism: str, auth_data: object
) -> AuthResult:
    ok = (
        isinstance(auth_data, LoginPassword)
        and auth_data.login == b"arshjul"
        and (auth_data.password == b"hemligt")
    )
    # handled=False lets the server answer 535 itself on a failure.
    return AuthResult(success=ok, handled=ok)


@pytest.fixture(params=["starttls", "tls"])
def relay(
    request: pytest.FixtureRequest, certificate: tuple[Path, Path]
) -> Iterator[tuple[str, int, Relay]]:
    """A running relay in STARTTLS or implicit-TLS mode, as (mode, port, handler)."""
    server_ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_ctx.load_cert_chain(*certificate)
    handler, port = Relay(), free_port()
    tls = {"tls_context": server_ctx, "require_starttls": True}
    if request.param == "tls":
        # aiosmtpd does not count implicit TLS as TLS for AUTH; the socket is encrypted anyway.
        tls = {"ssl_context": server_ctx, "auth_require_tls": False}
    controller = Controller(
        handler,
        hostname="127.0.0.1",
        port=port,
        auth_required=True,
        authenticator=_authenticate,
        **tls,
    )  # type: ignore[arg-type]
    controller.start()
    yield request.param, port, handler
    controller.stop()


def _message():  # type: ignore[no-untyped-def]
    request = NotificationRequest(
        idempotency_key="tls/1",
        template="approved",
        round=review_round(),
        to=[Recipient(name="Åsa", email="asa@example.org")],
    )
    stamp = dt.datetime(2026, 9, 1, tzinfo=dt.UTC)
    return build_message(
        render(props_for(request, link=None, stamp=stamp)),
        mail_from="a@b.se",
        to=request.to,
        idempotency_key="tls/1",
        date=stamp,
    )


@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
async def test_tls_and_login_from_settings(
    relay: tuple[str, int, Relay], certificate: tuple[Path, Path]
) -> None:
    mode, port, handler = relay
    settings = Settings.model_validate(
        {
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": port,
            "SMTP_TLS": mode,
            "SMTP_USERNAME": "arshjul",
            "SMTP_PASSWORD": "hemligt",
        }
    )
    sender = SmtpSender.from_settings(settings)
    sender.tls_context = ssl.create_default_context(cafile=str(certificate[0]))
    sender.timeout = 5
    await sender.send(_message())
    assert len(handler.messages) == 1

    # A wrong password is the relay's configuration, not the mail's fault: retry after the fix.
    sender.password = "fel"
    with pytest.raises(RetryableSendError, match="535"):
        await sender.send(_message())
    assert len(handler.messages) == 1


def test_an_unknown_tls_mode_is_refused() -> None:
    with pytest.raises(ValueError, match="SMTP_TLS"):
        SmtpSender.from_settings(Settings.model_validate({"SMTP_TLS": "ssl"}))
