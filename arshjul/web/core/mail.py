"""Mails the web sends itself: login links, and a fresh submission link sent again on request.

Rendering and sending are the notifications package's, and what a round's mail needs from the
store (who answers for the unit today, the contact, the calendar version) is read as the worker
reads it; this module only picks the props.
"""

from __future__ import annotations

import datetime as dt
import secrets

from arshjul.models.effects import NotificationRequest
from arshjul.models.rounds import Recipient, RoundSpec
from arshjul.notifications.mail_context import contact_for, mail_context
from arshjul.notifications.message import build_message
from arshjul.notifications.render import MailProps, props_for, render
from arshjul.notifications.sender import SmtpSender
from arshjul.settings import Settings
from arshjul.store.db import utc_now
from arshjul.web.core.deps import WebState


async def send_login_link(state: WebState, *, to: Recipient, link: str) -> None:
    """Sends a one-time login link to a person the årshjul knows."""
    org = state.config.organisation
    props = MailProps(
        template="login_link",
        recipient_names=[to.name],
        recipients=[to],
        org_name=org.name,
        link=link,
        contact=await state.db(contact_for, org.id),
        stamp=utc_now(),
    )
    await _send(state.settings, props, to=[to], key=f"login/{to.email}/{secrets.token_hex(8)}")


async def send_round_link(
    state: WebState,
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
    settings = state.settings
    context = await state.db(mail_context, request, day=today, mail_from=settings.mail_from)
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
