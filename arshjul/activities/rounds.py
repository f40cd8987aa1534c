"""The activities of a report round: mirror events into SQL, number decisions, send mail."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from arshjul.models.effects import (
    ACTIVITY_RECORD_DECISION,
    ACTIVITY_RECORD_EVENT,
    ACTIVITY_SEND_NOTIFICATION,
    DecisionReceipt,
    DecisionRecord,
    NotificationRequest,
    NotificationResult,
    RoundEventRecord,
)
from arshjul.notifications import tokens
from arshjul.notifications.mail_context import MailContext, mail_context
from arshjul.notifications.message import AddressError, build_message
from arshjul.notifications.render import props_for, render
from arshjul.notifications.sender import PermanentSendError, Sender
from arshjul.protocol.wording import decision_text_for
from arshjul.settings import Settings
from arshjul.store.db import local_date, utc_now
from arshjul.store.metrics import MAIL_FAILED
from arshjul.store.records import DecisionRepository, MailRepository, TokenRepository
from arshjul.store.rounds import AuditRepository, RoundRepository

log = logging.getLogger(__name__)

# The workflows' retry policy names this type as non-retryable.
PERMANENT = "PermanentError"
# A submission link stays valid well past the deadline: late reports and återremisser use it.
SUBMIT_LINK_TTL = dt.timedelta(days=120)
LOGIN_LINK_TTL = dt.timedelta(minutes=30)
RECORD_ATTEMPTS = 6  # about 30 s of retrying to record a mail that has been sent
PARAGRAPH_ATTEMPTS = 5  # at once, before Temporal's own retry (seconds later) takes over


class RoundActivities:
    """Activities with their dependencies: a session maker, a mail sender and the settings."""

    def __init__(self, session_maker: sessionmaker[Session], sender: Sender, settings: Settings):
        self.session_maker = session_maker
        self.sender = sender
        self.settings = settings

    # --- mail ---------------------------------------------------------------------------------

    def _already_sent(self, key: str) -> str | None:
        with self.session_maker() as session:
            mail = MailRepository(session).get(idempotency_key=key)
            return mail.message_id if mail is not None else None

    def _issue_link(self, request: NotificationRequest) -> tuple[str, str] | None:
        """Returns (link, raw token) for the mail, or None when it carries no link."""
        base, key = self.settings.base_url, self.settings.secret_key
        # Committed before sending: a mail must never carry a link the database does not know.
        with self.session_maker.begin() as session:
            if request.template == "login_link":
                raw = tokens.issue_for_login(
                    session, email=request.to[0].email, ttl=LOGIN_LINK_TTL, secret_key=key
                )
                return tokens.login_url(base, raw), raw
            if not request.with_link or request.round is None:
                return None
            raw = tokens.issue_for_round(
                session,
                workflow_id=request.round.workflow_id,
                unit_id=request.round.unit_id,
                ttl=SUBMIT_LINK_TTL,
                secret_key=key,
            )
            return tokens.round_url(base, raw), raw

    def _context(self, request: NotificationRequest, day: dt.date) -> MailContext:
        with self.session_maker() as session:
            return mail_context(session, request, day=day, mail_from=self.settings.mail_from)

    def _forget_token(self, raw: str) -> None:
        # A mail that did not go leaves no live link behind (a week of retries would leave 1000).
        with self.session_maker.begin() as session:
            TokenRepository(session).delete(
                token_hash=tokens.token_hash(raw, self.settings.secret_key)
            )

    def _record_mail(
        self, request: NotificationRequest, subject: str, message_id: str, response: str
    ) -> None:
        try:
            with self.session_maker.begin() as session:
                MailRepository(session).record(
                    idempotency_key=request.idempotency_key,
                    template=request.template,
                    recipients=[r.email for r in request.to],
                    subject=subject,
                    message_id=message_id,
                    smtp_response=response,
                    workflow_id=request.round.workflow_id if request.round else None,
                )
        except IntegrityError:
            # Another attempt recorded the same key at the same moment; the proof exists.
            log.warning("mail %s recorded twice", request.idempotency_key)

    async def _record_sent(
        self, request: NotificationRequest, subject: str, message_id: str, response: str
    ) -> None:
        # The mail is out: failing now would make Temporal send it again, so insist a while
        # (a database restart) before giving up.
        for attempt in range(RECORD_ATTEMPTS):
            try:
                await asyncio.to_thread(self._record_mail, request, subject, message_id, response)
                return
            except SQLAlchemyError:
                if attempt == RECORD_ATTEMPTS - 1:
                    raise
                log.warning("mail %s sent but not yet recorded; retrying", request.idempotency_key)
                await asyncio.sleep(min(2**attempt, 10))

    @activity.defn(name=ACTIVITY_SEND_NOTIFICATION)
    async def send_notification(self, request: NotificationRequest) -> NotificationResult:
        """Sends one mail unless its idempotency key was sent before; records it as sent."""
        previous = await asyncio.to_thread(self._already_sent, request.idempotency_key)
        if previous is not None:
            log.info("mail %s already sent, not sending again", request.idempotency_key)
            return NotificationResult(sent=False, message_id=previous)
        if not request.to:
            raise ApplicationError(
                "notification without recipients", type=PERMANENT, non_retryable=True
            )
        context = await asyncio.to_thread(self._context, request, _send_day(request))
        request = request.model_copy(update={"to": context.to})
        issued = await asyncio.to_thread(self._issue_link, request)
        now = utc_now()
        props = props_for(
            request,
            link=issued[0] if issued else None,
            stamp=now,
            contact=context.contact,
            followup=context.followup,
            invitation=context.invitation,
        )
        rendered = render(props)
        try:
            message = build_message(
                rendered,
                mail_from=self.settings.mail_from,
                to=request.to,
                idempotency_key=request.idempotency_key,
                date=now,
            )
            receipt = await self.sender.send(message)
        except (PermanentSendError, AddressError) as exc:
            if issued:
                await asyncio.to_thread(self._forget_token, issued[1])
            _count_failure(request, "permanent")
            await asyncio.to_thread(self._record_failure, request, str(exc))
            raise ApplicationError(str(exc), type=PERMANENT, non_retryable=True) from exc
        except BaseException:
            if issued:
                await asyncio.to_thread(self._forget_token, issued[1])
            _count_failure(request, "retryable")
            raise
        await self._record_sent(request, rendered.subject, receipt.message_id, receipt.response)
        log.info(
            "mail %s (%s) sent to %d recipient(s): %s",
            request.idempotency_key,
            request.template,
            len(request.to),
            receipt.response,
        )
        return NotificationResult(sent=True, message_id=receipt.message_id)

    def _record_failure(self, request: NotificationRequest, error: str) -> None:
        # Counted by /metrics (arshjul_mails_failed); the round goes on without this mail.
        with self.session_maker.begin() as session:
            AuditRepository(session).append(
                actor="system",
                action=MAIL_FAILED,
                workflow_id=request.round.workflow_id if request.round else None,
                detail=f"{request.template} {request.idempotency_key}: {error}"[:2000],
            )

    # --- records ------------------------------------------------------------------------------

    def _record_event(self, record: RoundEventRecord) -> None:
        try:
            with self.session_maker.begin() as session:
                audit = AuditRepository(session)
                if audit.has_event(workflow_id=record.workflow_id, seq=record.seq):
                    return
                RoundRepository(session).upsert_from_event(record)
                audit.append(
                    actor=record.actor,
                    action=record.event,
                    workflow_id=record.workflow_id,
                    seq=record.seq,
                    reason=record.reason,
                    detail=record.detail,
                    time=record.time,
                )
        except IntegrityError:
            # A concurrent attempt wrote the same (workflow_id, seq) first: nothing left to do.
            with self.session_maker() as session:
                if not AuditRepository(session).has_event(
                    workflow_id=record.workflow_id, seq=record.seq
                ):
                    raise

    @activity.defn(name=ACTIVITY_RECORD_EVENT)
    async def record_event(self, record: RoundEventRecord) -> None:
        """Mirrors a history event into the rounds row and the audit log, once per (round, seq)."""
        await asyncio.to_thread(self._record_event, record)

    def _record_decision(self, record: DecisionRecord) -> DecisionReceipt:
        for attempt in range(PARAGRAPH_ATTEMPTS):
            try:
                with self.session_maker.begin() as session:
                    text = decision_text_for(session, record)
                    return DecisionRepository(session).record(record, decision_text=text)
            except IntegrityError:
                # Several workers deciding at one meeting race for the next §; a fresh
                # transaction sees the winner's § (or this very decision) and takes the next.
                if attempt == PARAGRAPH_ATTEMPTS - 1:
                    raise
                log.info("decision %s: § taken meanwhile, numbering again", record.workflow_id)
        raise AssertionError("unreachable")

    @activity.defn(name=ACTIVITY_RECORD_DECISION)
    async def record_decision(self, record: DecisionRecord) -> DecisionReceipt:
        """Writes a decision to the protocol (§ numbered per meeting), once per key."""
        return await asyncio.to_thread(self._record_decision, record)


def _send_day(request: NotificationRequest) -> dt.date:
    # The day the workflow asked for the mail (Temporal's clock, so a time-skipped or simulated
    # year resolves deputies for its own day), in the organisation's time zone.
    spec = request.round
    try:
        at = activity.info().current_attempt_scheduled_time
    except RuntimeError:  # called outside an activity (tests, tools)
        at = utc_now()
    if spec is None:
        return at.date()
    at += dt.timedelta(seconds=spec.clock_offset_s)
    return local_date(at, spec.timezone)


def _count_failure(request: NotificationRequest, kind: str) -> None:
    """Counts a failed send on the worker's Temporal metrics (its Prometheus endpoint)."""
    if not activity.in_activity():
        return
    counter = activity.metric_meter().create_counter(
        "arshjul_mail_send_failures", "Mail sends that failed, by kind (permanent or retryable)."
    )
    counter.add(1, {"kind": kind, "template": request.template})


def activities_for(
    session_maker: sessionmaker[Session], sender: Sender, settings: Settings
) -> list[Callable[..., Any]]:
    """Returns the round activities, bound to their dependencies, for a worker to register."""
    acts = RoundActivities(session_maker, sender, settings)
    return [acts.send_notification, acts.record_event, acts.record_decision]
