"""Storing a version, then delivering it to its round: one path for the page and the loop.

A submission is stored in SQL first (durable; one version per form, however often it is sent),
then sent to the round as an update under an id derived from the version, so a resend is
answered with the first send's result.
"""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from arshjul.forms.content import ReportContent
from arshjul.models.rounds import UPDATE_CORRECT, UPDATE_SUBMIT, SubmitInput
from arshjul.store.models import Submission
from arshjul.store.repositories import DraftRepository, RoundRepository, SubmissionRepository
from arshjul.web.core.deps import WebState
from arshjul.web.core.rounds import RoundRefused


class AlreadySubmitted(Exception):
    """The form's version was stored already: a second click, another tab, another server."""

    def __init__(self, latest: Submission | None) -> None:
        super().__init__("a newer version exists")
        self.latest = latest


def store_version(
    session: Session, workflow_id: str, content: ReportContent, actor: str, base: int | None
) -> Submission:
    """Stores the version a form sent (and drops the draft); raises AlreadySubmitted when the
    form was sent already (`base` is how many versions the page showed; None: take the next)."""
    repo = SubmissionRepository(session)
    latest = repo.latest(workflow_id=workflow_id)
    current = latest.version if latest else 0
    if base is not None and current != base:
        raise AlreadySubmitted(latest)  # the page showed fewer versions than there are now
    try:
        # The number follows what was read above: a click stored meanwhile collides with it.
        submission = repo.add_version(
            workflow_id=workflow_id, content=content, submitted_by=actor, version=current + 1
        )
    except IntegrityError as err:  # the same version number, stored a moment ago elsewhere
        session.rollback()
        raise AlreadySubmitted(repo.latest(workflow_id=workflow_id)) from err
    DraftRepository(session).delete(workflow_id=workflow_id)
    return submission


def base_version(value: object) -> int | None:
    """Reads the form's base_version: how many versions the page showed (None when absent)."""
    text = str(value or "")
    return int(text) if text.isdigit() and len(text) < 6 else None


def submission_update_id(submission: Submission) -> str:
    """Returns the deterministic Temporal update id of a stored version."""
    return f"submission-{submission.id}"


def _mark(session: Session, submission_id: int, refusal: str | None) -> None:
    repo = SubmissionRepository(session)
    if refusal is None:
        repo.mark_delivered(submission_id=submission_id)
    else:
        repo.mark_rejected(submission_id=submission_id, message=refusal)


def _update_name(session: Session, submission: Submission) -> str:
    # A later version of a round that is in and not yet decided is a correction (the page says
    # so itself; the redelivery loop asks the mirror).
    row = RoundRepository(session).get(workflow_id=submission.workflow_id)
    undecided = ("submitted", "awaiting_meeting", "on_agenda")
    return UPDATE_CORRECT if row is not None and row.state in undecided else UPDATE_SUBMIT


async def deliver(state: WebState, submission: Submission, update: str | None = None) -> str | None:
    """Sends a stored version to its round; returns the round's refusal (Swedish) or None.

    Raises RoundUnavailable when Temporal does not answer: the version then stays pending.
    The page and the redelivery loop both send through here, always under the same update id.
    `update` is UPDATE_SUBMIT or UPDATE_CORRECT (None: as the round's mirror state says).
    """
    name = update or await state.db(_update_name, submission)
    deviation = ReportContent.model_validate(submission.content).forecast_deviation_tkr()
    version = SubmitInput(
        submission_id=submission.id,
        version=submission.version,
        sha256=submission.sha256,
        actor=submission.submitted_by,
        forecast_deviation_tkr=float(deviation) if deviation is not None else None,
    )
    refusal = None
    try:
        # One update id per version: if an earlier send reached the round after our timeout,
        # Temporal answers this one with that send's result instead of refusing a second submit.
        gateway = await state.gateway()
        update_id = submission_update_id(submission)
        await gateway.update(submission.workflow_id, name, version, update_id=update_id)
    except RoundRefused as err:
        refusal = err.message_sv
    await state.db(_mark, submission.id, refusal)
    return refusal
