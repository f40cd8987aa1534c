"""The publish_agenda activity: the föredragningslista mailed to the committee's members."""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from arshjul.calendar.config import ArshjulConfig, ConfigOf, current_config
from arshjul.models.agenda import ACTIVITY_PUBLISH_AGENDA, PublishAgendaInput, PublishAgendaResult
from arshjul.models.rounds import Recipient
from arshjul.notifications.agenda import render_agenda_mail
from arshjul.notifications.mail_context import contact_for
from arshjul.notifications.message import AddressError, build_message
from arshjul.notifications.render import Contact
from arshjul.notifications.sender import PermanentSendError, Sender
from arshjul.protocol.agenda import Agenda, load_agenda
from arshjul.protocol.gather import find_committee
from arshjul.settings import Settings
from arshjul.store.db import utc_now
from arshjul.store.records import MailRepository

log = logging.getLogger(__name__)
PERMANENT = "PermanentError"


class AgendaActivities:
    """Publishes meetings' agendas; the sent-mail table keeps each one to a single mail."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        sender: Sender,
        settings: Settings,
        config: ArshjulConfig | ConfigOf,
    ) -> None:
        self.sessions, self.sender, self.settings, self._config = sessions, sender, settings, config

    @property
    def config(self) -> ArshjulConfig:
        """The configuration now (a version saved meanwhile is used from the next call)."""
        return current_config(self._config)

    def recipients(self, committee_id: str) -> list[Recipient]:
        """The committee's members and its secretary, each once."""
        committee = find_committee(self.config, committee_id)
        if committee is None:
            return []
        people = [*committee.members, *([committee.secretary] if committee.secretary else [])]
        seen: dict[str, Recipient] = {}
        for p in people:
            seen.setdefault(p.email.lower(), Recipient(name=p.name, email=p.email))
        return list(seen.values())

    def _prepare(self, request: PublishAgendaInput) -> tuple[str | None, Agenda]:
        with self.sessions() as session:
            sent = MailRepository(session).get(idempotency_key=request.idempotency_key)
            agenda = load_agenda(session, self.config, request.committee_id, request.meeting)
            return (sent.message_id if sent else None), agenda

    def _contact(self) -> Contact | None:
        with self.sessions() as session:
            return contact_for(session, self.config.organisation.id)

    def _record(
        self,
        request: PublishAgendaInput,
        to: list[Recipient],
        subject: str,
        message_id: str,
        response: str,
    ) -> None:
        try:
            with self.sessions.begin() as session:
                MailRepository(session).record(
                    idempotency_key=request.idempotency_key,
                    template="agenda",
                    recipients=[r.email for r in to],
                    subject=subject,
                    message_id=message_id,
                    smtp_response=response,
                )
        except IntegrityError:
            log.warning("agenda mail %s recorded twice", request.idempotency_key)

    @activity.defn(name=ACTIVITY_PUBLISH_AGENDA)
    async def publish_agenda(self, request: PublishAgendaInput) -> PublishAgendaResult:
        """Mails a meeting's föredragningslista (cases and Sammanställningar) to the members."""
        previous, agenda = await asyncio.to_thread(self._prepare, request)
        documents = [d.compilation_id for d in agenda.documents]
        if previous is not None:
            return PublishAgendaResult(sent=False, cases=len(agenda.cases), compilations=documents)
        to = self.recipients(request.committee_id)
        if not to:
            raise ApplicationError("committee without members", type=PERMANENT, non_retryable=True)
        rendered = render_agenda_mail(
            agenda,
            recipient_names=[r.name for r in to],
            base_url=self.settings.base_url,
            contact=await asyncio.to_thread(self._contact),
        )
        now = utc_now()
        try:
            message = build_message(
                rendered,
                mail_from=self.settings.mail_from,
                to=to,
                idempotency_key=request.idempotency_key,
                date=now,
            )
            receipt = await self.sender.send(message)
        except (PermanentSendError, AddressError) as exc:
            raise ApplicationError(str(exc), type=PERMANENT, non_retryable=True) from exc
        await asyncio.to_thread(
            self._record, request, to, rendered.subject, receipt.message_id, receipt.response
        )
        log.info("agenda %s sent to %d member(s)", request.idempotency_key, len(to))
        return PublishAgendaResult(
            sent=True,
            cases=len(agenda.cases),
            compilations=documents,
            recipients=[r.email for r in to],
        )
