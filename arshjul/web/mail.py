"""Mails the web sends itself: login links, and a fresh submission link sent again on request.

Rendering and sending are the notifications package's; this module only picks the props.
"""

from __future__ import annotations

import datetime as dt
import secrets

from arshjul.models.effects import NotificationRequest
from arshjul.models.rounds import Recipient, RoundSpec
from arshjul.notifications.message import build_message
from arshjul.notifications.render import MailProps, props_for, render
from arshjul.notifications.sender import SmtpSender
from arshjul.settings import Settings
from arshjul.store.db import utc_now


async def send_login_link(settings: Settings, *, to: Recipient, link: str, org_name: str) -> None:
    """Sends a one-time login link to a person named in the configuration."""
    props = MailProps(
        template="login_link",
        recipient_names=[to.name],
        org_name=org_name,
        link=link,
        stamp=utc_now(),
    )
    await _send(settings, props, to=[to], key=f"login/{to.email}/{secrets.token_hex(8)}")


async def send_round_link(
    settings: Settings, *, spec: RoundSpec, due: dt.date, link: str, actor: str
) -> None:
    """Sends the round's request again with a fresh submission link ("skicka ny länk")."""
    request = NotificationRequest(
        idempotency_key=f"resend/{spec.workflow_id}/{secrets.token_hex(8)}",
        template="request",
        to=spec.recipients,
        round=spec,
        due=due,
        with_link=True,
    )
    props = props_for(request, link=link, stamp=utc_now())
    await _send(settings, props, to=spec.recipients, key=request.idempotency_key)


async def _send(settings: Settings, props: MailProps, *, to: list[Recipient], key: str) -> None:
    message = build_message(
        render(props), mail_from=settings.mail_from, to=to, idempotency_key=key, date=utc_now()
    )
    await SmtpSender.from_settings(settings).send(message)
