"""Mails the web sends itself: login links, and a fresh submission link sent again on request.

Rendering and sending are the notifications package's, and what a round's mail needs from the
store (who answers for the unit today, the contact, the calendar version) is read as the worker
reads it; this module only picks the props.
"""

from __future__ import annotations

import datetime as dt
import secrets

from sqlalchemy.orm import Session

from arshjul.activities.mail_context import contact_for, mail_context
from arshjul.models.effects import NotificationRequest
from arshjul.models.rounds import Recipient, RoundSpec
from arshjul.notifications.message import build_message
from arshjul.notifications.render import MailProps, props_for, render
from arshjul.notifications.sender import SmtpSender
from arshjul.settings import Settings
from arshjul.store.db import utc_now


async def send_login_link(
    settings: Settings,
    session: Session,
    *,
    to: Recipient,
    link: str,
    org_id: str,
    org_name: str,
) -> None:
    """Sends a one-time login link to a person named in the configuration."""
    props = MailProps(
        template="login_link",
        recipient_names=[to.name],
        recipients=[to],
        org_name=org_name,
        link=link,
        contact=contact_for(session, org_id),
        stamp=utc_now(),
    )
    await _send(settings, props, to=[to], key=f"login/{to.email}/{secrets.token_hex(8)}")


async def send_round_link(
    settings: Settings,
    session: Session,
    *,
    spec: RoundSpec,
    due: dt.date,
    link: str,
    today: dt.date,
    template: str = "request",
) -> list[Recipient]:
    """Sends the round's request (or a reminder) again with a fresh submission link and the
    current due date, to whoever answers for the unit today; returns who got it."""
    request = NotificationRequest(
        idempotency_key=f"resend/{spec.workflow_id}/{secrets.token_hex(8)}",
        template=template,  # type: ignore[arg-type]
        to=spec.recipients,
        round=spec,
        due=due,
        with_link=True,
    )
    context = mail_context(session, request, day=today, mail_from=settings.mail_from)
    request = request.model_copy(update={"to": context.to})
    props = props_for(
        request,
        link=link,
        stamp=utc_now(),
        contact=context.contact,
        followup=context.followup,
        invitation=context.invitation,
    )
    await _send(settings, props, to=request.to, key=request.idempotency_key)
    return request.to


async def _send(settings: Settings, props: MailProps, *, to: list[Recipient], key: str) -> None:
    message = build_message(
        render(props), mail_from=settings.mail_from, to=to, idempotency_key=key, date=utc_now()
    )
    await SmtpSender.from_settings(settings).send(message)
