"""The weekly digest's activity: late rounds per report from the store mirror, mailed to the
people of the roles the configuration names (read when it is sent, like every recipient)."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections import defaultdict

from sqlalchemy.orm import Session, sessionmaker
from temporalio import activity
from temporalio.exceptions import ApplicationError

from arshjul.activities.rounds import PERMANENT, RoundActivities
from arshjul.calendar.config import ArshjulConfig, ConfigOf, current_config
from arshjul.calendar.turnover import asks_for_next_year, without_meetings
from arshjul.models.digest import ACTIVITY_SEND_DIGEST, DigestRequest, DigestResult
from arshjul.models.effects import NotificationRequest
from arshjul.models.rounds import Recipient
from arshjul.notifications.mail_context import contact_for
from arshjul.notifications.message import AddressError, build_message
from arshjul.notifications.render import Contact, DigestGroup, MailProps, render
from arshjul.notifications.sender import PermanentSendError, Sender
from arshjul.settings import Settings
from arshjul.store.db import utc_now
from arshjul.store.repositories import (
    OrganisationRepository,
    PeopleRepository,
    RoundRepository,
)

log = logging.getLogger(__name__)
LATE_STATES = ("open", "remitted")


class DigestActivities(RoundActivities):
    """The digest with the round activities' session maker, sender, settings and mail records,
    and the configuration (next year's missing meeting plans are named from September)."""

    def __init__(
        self,
        session_maker: sessionmaker[Session],
        sender: Sender,
        settings: Settings,
        config: ArshjulConfig | ConfigOf | None = None,
    ) -> None:
        super().__init__(session_maker, sender, settings)
        self._config = config

    def _unplanned(self, day: dt.date) -> list[str]:
        if self._config is None or not asks_for_next_year(day):
            return []
        return [c.name for c in without_meetings(current_config(self._config), day.year + 1)]

    def _gather(
        self, request: DigestRequest
    ) -> tuple[list[DigestGroup], list[Recipient], Contact | None, str]:
        with self.session_maker() as session:
            org = OrganisationRepository(session).get(org_id=request.org_id)
            if org is None:
                return [], [], None, ""
            roles = [r for r in (org.digest_roles or "").split(",") if r]
            people = PeopleRepository(session).holders(org_id=org.id, role_ids=roles)
            late = [
                r
                for r in RoundRepository(session).list(org_id=org.id, states=LATE_STATES)
                if r.due < request.day and not r.demo
            ]
            grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
            dues = {}
            for r in late:
                grouped[(r.report_title, r.period)].append(r.unit_name)
                dues[(r.report_title, r.period)] = min(
                    r.due, dues.get((r.report_title, r.period), r.due)
                )
            groups = [
                DigestGroup(report_title=t, period=p, due=dues[(t, p)], units=sorted(units))
                for (t, p), units in sorted(grouped.items(), key=lambda kv: (dues[kv[0]], kv[0]))
            ]
            to = [Recipient(name=name, email=email) for name, email in people]
            return groups, to, contact_for(session, org.id), org.name

    @activity.defn(name=ACTIVITY_SEND_DIGEST)
    async def send_digest(self, request: DigestRequest) -> DigestResult:
        """Mails the week's late rounds per report once per organisation and day."""
        key = f"digest/{request.org_id}/{request.day.isoformat()}"
        groups, to, contact, org_name = await asyncio.to_thread(self._gather, request)
        late = sum(len(g.units) for g in groups)
        unplanned = self._unplanned(request.day)
        if (not groups and not unplanned) or not to:
            return DigestResult(late_rounds=late, recipients=0)
        if await asyncio.to_thread(self._already_sent, key):
            return DigestResult(late_rounds=late, recipients=0)
        base = self.settings.base_url.rstrip("/")
        props = MailProps(
            template="digest",
            recipient_names=[r.name for r in to],
            recipients=to,
            org_name=org_name,
            digest=groups,
            unplanned=unplanned,
            unplanned_year=request.day.year + 1 if unplanned else None,
            link=f"{base}/?status=f%C3%B6rsenad",
            contact=contact,
            stamp=utc_now(),
        )
        rendered = render(props)
        try:
            message = build_message(
                rendered,
                mail_from=self.settings.mail_from,
                to=to,
                idempotency_key=key,
                date=utc_now(),
            )
            receipt = await self.sender.send(message)
        except (PermanentSendError, AddressError) as exc:
            raise ApplicationError(str(exc), type=PERMANENT, non_retryable=True) from exc
        record = NotificationRequest(idempotency_key=key, template="digest", to=to)
        await self._record_sent(record, rendered.subject, receipt.message_id, receipt.response)
        log.info("digest %s sent to %d recipient(s): %d late round(s)", key, len(to), late)
        return DigestResult(late_rounds=late, recipients=len(to))
