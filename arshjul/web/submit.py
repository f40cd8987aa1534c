"""`/s/{token}`: the page behind the emailed link — the report's form, drafts, submission, receipts.

A submission is stored in SQL first (durable), then sent to the round as an update; if Temporal
does not answer, the version stays pending and the page says it will be processed.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from arshjul.forms.content import ReportContent
from arshjul.forms.errors import FieldError, FormErrors
from arshjul.forms.rules import parse_submission
from arshjul.ledger.prefill import prefill_economic, with_ledger_source
from arshjul.models.rounds import UPDATE_SUBMIT, SubmitInput
from arshjul.notifications import tokens
from arshjul.store.models import DELIVERY_PENDING, Submission
from arshjul.store.repositories import (
    AttachmentRepository,
    DraftRepository,
    SubmissionRepository,
    parse_round_id,
)
from arshjul.store.submissions import RoundIdError
from arshjul.web.app import WebState, db_session, web_state
from arshjul.web.auth import check_csrf, link_errors, optional_user
from arshjul.web.formdata import content_to_fields, form_to_content
from arshjul.web.rounds import RoundRefused, RoundUnavailable
from arshjul.web.roundview import RoundView, attachment_refs, load_round
from arshjul.web.templating import render
from arshjul.web.uploads import CheckedFile, UploadRefused, check_upload

router = APIRouter(prefix="/s", include_in_schema=False)
log = logging.getLogger(__name__)


def link_scope(state: WebState, session: Session, raw: str) -> tokens.TokenScope:
    """Verifies a submission link: 410 when expired, 403 when tampered, foreign or mis-scoped."""
    with link_errors("submission"):
        scope = tokens.verify(
            session, raw, purpose=tokens.PURPOSE_SUBMIT, secret_key=state.settings.secret_key
        )
    try:
        unit_id = parse_round_id(scope.workflow_id or "")[3]
    except RoundIdError as err:
        raise HTTPException(403, "link not scoped to a round") from err
    if scope.unit_id != unit_id:
        raise HTTPException(403, "link of another unit")
    return scope


def _actor(request: Request, view: RoundView) -> str:
    # A logged-in person who answers for the unit (a deputy, say) is named; a bare link is the
    # unit's chef of the round.
    user = optional_user(request)
    if user is not None and view.spec.unit_id in user.units:
        return user.email
    return view.spec.recipients[0].email if view.spec.recipients else f"unit:{view.spec.unit_id}"


def _prefill(session: Session, workflow_id: str) -> tuple[dict[str, str], Any]:
    # A draft wins; otherwise the latest version (after an återremiss the previous answers).
    draft = DraftRepository(session).get(workflow_id=workflow_id)
    if draft is not None:
        return content_to_fields(draft.content), draft
    latest = SubmissionRepository(session).latest(workflow_id=workflow_id)
    return (content_to_fields(latest.content) if latest else {}), None


def _page(
    request: Request,
    session: Session,
    view: RoundView,
    raw: str,
    *,
    status: int = 200,
    fields: dict[str, str] | None = None,
    errors: list[FieldError] | None = None,
    notice: str | None = None,
    problem: str | None = None,
) -> Response:
    draft = None
    if fields is None:
        fields, draft = _prefill(session, view.workflow_id)
    ledger = prefill_economic(session, view.spec, fields)  # figures from the ledger (issue 15)
    versions = SubmissionRepository(session).versions(workflow_id=view.workflow_id)
    shas = [v for k, v in fields.items() if k.startswith("attachments.") and k.endswith(".sha256")]
    return render(
        request,
        "submit.html",
        status,
        title=f"{view.spec.report_title} – {view.spec.unit_name}",
        view=view,
        raw=raw,
        fields=fields,
        errors={e.field: e.message for e in errors or []},
        error_list=errors or [],
        notice=notice,
        max_mb=max(1, web_state(request).limits.max_attachment_bytes // (1024 * 1024)),
        problem=problem,
        draft=draft,
        versions=list(reversed(versions)),
        attachments=attachment_refs(session, view.workflow_id, shas),
        ledger=ledger,
    )


@router.get("/{raw}")
async def show(
    request: Request,
    raw: str,
    state: WebState = Depends(web_state),
    session: Session = Depends(db_session),
) -> Response:
    """Shows what is asked, the state, the history and the form."""
    scope = link_scope(state, session, raw)
    view = await load_round(state, session, scope.workflow_id or "")
    view = await _deliver_pending(state, session, view)
    return _page(request, session, view, raw)


async def _uploads(request: Request, state: WebState) -> list[CheckedFile]:
    form = await request.form()
    checked = []
    for item in form.getlist("files"):
        if isinstance(item, UploadFile) and item.filename:
            data = await item.read(state.limits.max_attachment_bytes + 1)
            checked.append(check_upload(item.filename, data, state.limits.max_attachment_bytes))
    return checked


@router.post("/{raw}", dependencies=[Depends(check_csrf)])
async def post(
    request: Request,
    raw: str,
    state: WebState = Depends(web_state),
    session: Session = Depends(db_session),
) -> Response:
    """Saves a draft or submits; errors come back beside the fields with everything kept."""
    scope = link_scope(state, session, raw)
    wid = scope.workflow_id or ""
    view = await load_round(state, session, wid)
    form = await request.form()
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str) and k != "csrf"}
    if not view.accepts_submission:
        return _page(
            request,
            session,
            view,
            raw,
            status=409,
            problem=(
                "Rapporten kan inte ändras nu, eftersom den redan är inlämnad eller avslutad."
            ),
        )
    try:
        uploads = await _uploads(request, state)
    except UploadRefused as err:
        if err.too_large:
            raise HTTPException(413, "attachment too large") from err
        return _page(
            request,
            session,
            view,
            raw,
            status=400,
            fields=fields,
            errors=[FieldError(("files",), err.message_sv)],
        )
    actor = _actor(request, view)
    repo = AttachmentRepository(session)
    removed = set(form.getlist("remove_attachment"))
    shas = [v for k, v in fields.items() if k.startswith("attachments.") and k.endswith(".sha256")]
    for upload in uploads:
        stored = repo.add(
            workflow_id=wid,
            name=upload.name,
            content_type=upload.content_type,
            data=upload.data,
            uploaded_by=actor,
        )
        shas.append(stored.sha256)
    refs = [r for r in attachment_refs(session, wid, shas) if r["sha256"] not in removed]
    fields = {k: v for k, v in fields.items() if not k.startswith("attachments.")}
    for i, ref in enumerate(refs):
        fields[f"attachments.{i}.sha256"] = ref["sha256"]
    data = form_to_content(fields, view.spec.sections) | {"attachments": refs}
    data = with_ledger_source(session, view.spec, data)  # the ledger's figures kept in the version
    if form.get("action") != "submit":
        DraftRepository(session).save(workflow_id=wid, content=data, saved_by=actor)
        session.commit()
        return _page(request, session, view, raw, fields=fields, notice="Utkastet är sparat.")
    try:
        content = parse_submission(
            data,
            sections=view.spec.sections,
            measures_threshold_tkr=view.spec.measures_threshold_tkr,
        )
    except FormErrors as err:
        session.commit()  # attachments uploaded with a faulty form are kept, not lost
        return _page(request, session, view, raw, status=400, fields=fields, errors=err.errors)
    return await _submit(request, state, session, view, raw, content, actor)


def submission_update_id(submission: Submission) -> str:
    """Returns the deterministic Temporal update id of a stored version."""
    return f"submission-{submission.id}"


async def deliver(state: WebState, session: Session, submission: Submission) -> str | None:
    """Sends a stored version to its round; returns the round's refusal (Swedish) or None.

    Raises RoundUnavailable when Temporal does not answer: the version then stays pending.
    The page and the redelivery loop both send through here, always under the same update id.
    """
    repo = SubmissionRepository(session)
    deviation = ReportContent.model_validate(submission.content).forecast_deviation_tkr()
    update = SubmitInput(
        submission_id=submission.id,
        version=submission.version,
        sha256=submission.sha256,
        actor=submission.submitted_by,
        forecast_deviation_tkr=float(deviation) if deviation is not None else None,
    )
    try:
        # One update id per version: if an earlier send reached the round after our timeout,
        # Temporal answers this one with that send's result instead of refusing a second submit.
        gateway = await state.gateway()
        update_id = submission_update_id(submission)
        await gateway.update(submission.workflow_id, UPDATE_SUBMIT, update, update_id=update_id)
    except RoundRefused as err:
        repo.mark_rejected(submission_id=submission.id, message=err.message_sv)
        session.commit()
        return err.message_sv
    repo.mark_delivered(submission_id=submission.id)
    session.commit()
    return None


async def _deliver_pending(state: WebState, session: Session, view: RoundView) -> RoundView:
    # A version stored while Temporal was away goes out on the next visit (nothing is lost).
    latest = SubmissionRepository(session).latest(workflow_id=view.workflow_id)
    if not (view.live and view.accepts_submission and latest is not None):
        return view
    if latest.delivery_status != DELIVERY_PENDING:
        return view
    try:
        await deliver(state, session, latest)
    except RoundUnavailable:
        return view
    return await load_round(state, session, view.workflow_id)


async def _submit(
    request: Request,
    state: WebState,
    session: Session,
    view: RoundView,
    raw: str,
    content: ReportContent,
    actor: str,
) -> Response:
    repo = SubmissionRepository(session)
    submission = repo.add_version(workflow_id=view.workflow_id, content=content, submitted_by=actor)
    DraftRepository(session).delete(workflow_id=view.workflow_id)
    session.commit()  # durable before Temporal hears of it
    try:
        refusal = await deliver(state, session, submission)
    except RoundUnavailable:
        log.warning("submission %s of %s stays pending", submission.id, view.workflow_id)
        refusal = None
    if refusal is not None:
        fields = content_to_fields(submission.content)
        return _page(request, session, view, raw, status=409, fields=fields, problem=refusal)
    return RedirectResponse(f"/s/{raw}/kvitto/{submission.version}", 303)


@router.get("/{raw}/kvitto/{version}")
async def receipt(
    request: Request,
    raw: str,
    version: int,
    state: WebState = Depends(web_state),
    session: Session = Depends(db_session),
) -> Response:
    """Shows what was sent and when: a printable receipt of one version."""
    scope = link_scope(state, session, raw)
    versions = SubmissionRepository(session).versions(workflow_id=scope.workflow_id or "")
    submission = next((v for v in versions if v.version == version), None)
    if submission is None:
        raise HTTPException(404, "no such version")
    view = await load_round(state, session, scope.workflow_id or "")
    return render(
        request,
        "receipt.html",
        title="Kvitto",
        view=view,
        raw=raw,
        submission=submission,
        content=submission.content,
    )


@router.get("/{raw}/bilagor/{sha}")
def attachment(
    raw: str,
    sha: str,
    state: WebState = Depends(web_state),
    session: Session = Depends(db_session),
) -> Response:
    """Downloads an attachment of this link's round."""
    scope = link_scope(state, session, raw)
    return attachment_response(session, scope.workflow_id or "", sha)


def attachment_response(session: Session, workflow_id: str, sha: str) -> Response:
    """Returns a stored attachment as a download (404 when the round has no such file)."""
    found = AttachmentRepository(session).get(workflow_id=workflow_id, sha256=sha)
    if found is None:
        raise HTTPException(404, "no such attachment")
    quoted = found.name.replace('"', "")
    return Response(
        found.data,
        media_type=found.content_type,
        headers={"Content-Disposition": f"attachment; filename*=UTF-8''{_url_quote(quoted)}"},
    )


def _url_quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)
