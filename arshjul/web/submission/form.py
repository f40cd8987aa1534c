"""`/s/{token}`: the page behind the emailed link — the report's form, drafts, submission, receipts.

A submission is stored in SQL first (durable), then delivered to the round (delivery.py); if
Temporal does not answer, the version stays pending and the page says it will be processed.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData, UploadFile

from arshjul.forms.errors import FieldError, FormErrors
from arshjul.forms.rules import parse_submission
from arshjul.ledger.prefill import prefill_economic, with_ledger_source
from arshjul.models.rounds import (
    UPDATE_CORRECT,
    UPDATE_SUBMIT,
    UPDATE_TAKE_BACK,
    RoundSpec,
    TakeBackInput,
)
from arshjul.models.status import round_label
from arshjul.notifications import tokens
from arshjul.store.db import utc_now
from arshjul.store.models import DELIVERY_PENDING, Submission
from arshjul.store.repositories import (
    AttachmentRepository,
    DraftRepository,
    SubmissionRepository,
    parse_round_id,
)
from arshjul.store.submissions import RoundIdError, content_sha256
from arshjul.swedish import date_sv, datetime_sv, number
from arshjul.text import REFUSED_SV, clean_text, has_refused_characters
from arshjul.web.auth.access import LinkRefused, link_errors
from arshjul.web.auth.csrf import check_csrf
from arshjul.web.auth.current import optional_user, resolve_user
from arshjul.web.core.deps import WebState, web_state
from arshjul.web.core.formdata import (
    FieldsRefused,
    UnknownFields,
    cleans_itself,
    content_to_fields,
    form_to_content,
    known_fields,
    report_fields,
)
from arshjul.web.core.inputs import FormInputError
from arshjul.web.core.rounds import RoundRefused, RoundUnavailable
from arshjul.web.core.roundview import RoundView, attachment_refs, attachment_response, load_round
from arshjul.web.pages.errors import error_response
from arshjul.web.pages.people import people_names
from arshjul.web.pages.templating import render, render_in_thread
from arshjul.web.submission.delivery import AlreadySubmitted, base_version, deliver, store_version
from arshjul.web.submission.uploads import CheckedFile, UploadRefused, check_upload

router = APIRouter(prefix="/s", include_in_schema=False)
# The query parameter of the form's address after a draft was saved (Post/Redirect/Get).
DRAFT_SAVED = "utkast"
TAKEN_BACK = "tillbakadragen"  # …and after the report was taken back
log = logging.getLogger(__name__)


def link_scope(session: Session, raw: str, secret_key: str) -> tokens.TokenScope:
    """Verifies a submission link: 410 when expired, 403 when tampered, foreign or mis-scoped."""
    with link_errors("submission"):
        scope = tokens.verify(session, raw, purpose=tokens.PURPOSE_SUBMIT, secret_key=secret_key)
    return _of_its_unit(scope)


def _of_its_unit(scope: tokens.TokenScope) -> tokens.TokenScope:
    try:
        unit_id = parse_round_id(scope.workflow_id or "")[3]
    except RoundIdError as err:
        raise HTTPException(403, "link not scoped to a round") from err
    if scope.unit_id != unit_id:
        raise HTTPException(403, "link of another unit")
    return scope


async def _scope(state: WebState, raw: str) -> tokens.TokenScope:
    return await state.db(link_scope, raw, state.settings.secret_key)


def _expired_scope(session: Session, raw: str, secret_key: str) -> tokens.TokenScope | None:
    scope = tokens.expired_scope(session, raw, purpose=tokens.PURPOSE_SUBMIT, secret_key=secret_key)
    try:
        return _of_its_unit(scope) if scope is not None else None
    except HTTPException:
        return None


KEPT_BEHIND_EXPIRED_SV = (
    " Det du skrev är inte förlorat: det är sparat som utkast och finns kvar i formuläret när du "
    "öppnar rapporten igen."
)


async def _keep_behind_expired_link(request: Request, state: WebState, raw: str) -> bool:
    """Keeps the answers sent behind a link that ran out while the person typed as the round's
    draft (a real link of the unit's, so the round is theirs); True if they were kept."""
    scope = await state.db(_expired_scope, raw, state.settings.secret_key)
    if scope is None or not scope.workflow_id:
        return False
    view = await load_round(state, scope.workflow_id)
    if not (view.accepts_submission or view.accepts_correction):
        return False  # decided or closed meanwhile: a draft would never be read
    form = await request.form()
    try:
        fields = report_fields(form.multi_items(), view.spec.sections)
    except FieldsRefused as err:  # kept whole; the next submission marks what is too long
        fields = err.fields
    except FormInputError:
        return False
    try:
        uploads = await _uploads(request, state)
    except UploadRefused:
        uploads = []
    actor = _actor(request, view)
    shas = [v for k, v in fields.items() if k.startswith("attachments.") and k.endswith(".sha256")]
    removed = {str(v) for v in form.getlist("remove_attachment")}
    refs = await state.db(_store_uploads, view.workflow_id, uploads, actor, shas, removed)
    fields = {k: v for k, v in fields.items() if not k.startswith("attachments.")}
    data = form_to_content(fields, view.spec.sections) | {"attachments": refs}
    await state.db(_save_draft, view.workflow_id, data, actor)
    log.info("answers behind an expired link kept as the draft of %s", view.workflow_id)
    return True


def _actor(request: Request, view: RoundView) -> str:
    # A logged-in person who answers for the unit (a deputy, say) is named; a bare link is the
    # unit's chef of the round.
    user = optional_user(request)
    if user is not None and view.spec.unit_id in user.units:
        return user.email
    return view.spec.recipients[0].email if view.spec.recipients else f"unit:{view.spec.unit_id}"


def _page_data(session: Session, spec: RoundSpec, fields: dict[str, str] | None) -> dict[str, Any]:
    # A draft wins; otherwise the latest version (after an återremiss the previous answers).
    workflow_id = spec.workflow_id
    draft = None
    versions = SubmissionRepository(session).versions(workflow_id=workflow_id)
    if fields is None:
        draft = DraftRepository(session).get(workflow_id=workflow_id)
        stored = draft.content if draft else versions[-1].content if versions else {}
        fields = known_fields(content_to_fields(stored), spec.sections)
    shas = [v for k, v in fields.items() if k.startswith("attachments.") and k.endswith(".sha256")]
    return {
        "fields": fields,
        "draft": draft,
        "versions": list(reversed(versions)),
        "attachments": attachment_refs(session, workflow_id, shas),
        "ledger": prefill_economic(session, spec, fields),  # figures from the ledger
        "people_names": people_names(session, spec),
    }


async def _page(
    request: Request,
    state: WebState,
    view: RoundView,
    raw: str,
    *,
    status: int = 200,
    fields: dict[str, str] | None = None,
    errors: list[FieldError] | None = None,
    notice: str | None = None,
    problem: str | None = None,
    data: dict[str, Any] | None = None,
    kept: bool = False,
    take_back_reason: str = "",
) -> Response:
    # `kept`: the answers a refused form sent are shown even when the round takes none now.
    data = data or await state.db(_page_data, view.spec, fields)
    page = await render_in_thread(
        request,
        "submit.html",
        status,
        title=f"{view.spec.report_title} – {view.spec.unit_name}",
        view=view,
        raw=raw,
        errors={e.field: e.message for e in errors or []},
        error_list=errors or [],
        notice=notice,
        max_mb=max(1, state.limits.max_attachment_bytes // (1024 * 1024)),
        problem=problem,
        kept=kept,
        take_back_reason=take_back_reason,
        **data,
    )
    # Never from a cache: "back" after sending must show the round as it is now.
    page.headers["Cache-Control"] = "no-store"
    return page


def _draft_notice(request: Request, draft: Any, timezone: str) -> str | None:
    # Told after a draft save's redirect, from the stored draft itself: once the report is sent
    # (and the draft gone) a reload of the same address no longer claims a draft.
    if draft is None or DRAFT_SAVED not in request.query_params:
        return None
    return f"Utkastet sparades {_when(draft.saved_at, timezone)}."


def _taken_back_notice(request: Request, view: RoundView, timezone: str) -> str | None:
    # Told after a take-back's redirect while it is the round's last word on the report.
    if TAKEN_BACK not in request.query_params:
        return None
    last = next(
        (h for h in reversed(view.history) if h.event in ("submitted", "corrected", "taken_back")),
        None,
    )
    if last is None or last.event != "taken_back":
        return None
    return (
        f"Rapporten drogs tillbaka {_when(last.time, timezone)}. Lämna den igen när den är "
        f"klar, senast {date_sv(view.due)}."
    )


@router.get("/{raw}")
async def show(request: Request, raw: str, state: WebState = Depends(web_state)) -> Response:
    """Shows what is asked, the state, the history and the form."""
    scope = await _scope(state, raw)
    view = await load_round(state, scope.workflow_id or "")
    data = await state.db(_page_data, view.spec, None)
    timezone = state.config.organisation.timezone
    newest = data["versions"][0] if data["versions"] else None
    taking = view.accepts_submission or view.accepts_correction
    if view.live and taking and newest is not None:
        if newest.delivery_status == DELIVERY_PENDING:
            # Stored while Temporal was away: it goes out on the next visit (nothing is lost),
            # as a submission or a correction by the round's state.
            try:
                await deliver(state, newest)
            except RoundUnavailable:
                pass
            else:
                view = await load_round(state, view.workflow_id)
                data = await state.db(_page_data, view.spec, None)
    notice = _draft_notice(request, data["draft"], timezone) or _taken_back_notice(
        request, view, timezone
    )
    return await _page(request, state, view, raw, data=data, notice=notice)


async def _uploads(request: Request, state: WebState) -> list[CheckedFile]:
    form = await request.form()
    checked = []
    for item in form.getlist("files"):
        if isinstance(item, UploadFile) and item.filename:
            data = await item.read(state.limits.max_attachment_bytes + 1)
            checked.append(check_upload(item.filename, data, state.limits.max_attachment_bytes))
    return checked


def _store_uploads(
    session: Session,
    workflow_id: str,
    uploads: list[CheckedFile],
    actor: str,
    shas: list[str],
    removed: set[str],
) -> list[dict[str, Any]]:
    # Kept even when the form turns out faulty: nothing a person sent is lost.
    repo = AttachmentRepository(session)
    for upload in uploads:
        stored = repo.add(
            workflow_id=workflow_id,
            name=upload.name,
            content_type=upload.content_type,
            data=upload.data,
            uploaded_by=actor,
        )
        shas = [*shas, stored.sha256]
    return [r for r in attachment_refs(session, workflow_id, shas) if r["sha256"] not in removed]


def _save_draft(session: Session, workflow_id: str, content: dict[str, Any], actor: str) -> None:
    DraftRepository(session).save(workflow_id=workflow_id, content=content, saved_by=actor)


def _latest(session: Session, workflow_id: str) -> Submission | None:
    return SubmissionRepository(session).latest(workflow_id=workflow_id)


def _too_long(fields: dict[str, str], limits: dict[str, int]) -> list[FieldError]:
    # Beside each field, as the other validation errors: how long it is and by how much to cut.
    errors = []
    for name, limit in limits.items():
        length = len(fields.get(name, ""))
        message = (
            f"Texten är för lång: {number(length)} tecken av högst {number(limit)}. "
            f"Korta den med {number(length - limit)} tecken."
        )
        errors.append(FieldError(tuple(name.split(".")), message))
    return errors


def _when(value: dt.datetime, timezone: str) -> str:
    # "kl. 10.42" today, with the date on another day.
    local = value.astimezone(ZoneInfo(timezone))
    if local.date() == utc_now().astimezone(ZoneInfo(timezone)).date():
        return f"kl. {local:%H.%M}"
    return f"den {datetime_sv(value, timezone)}"


def _closed(view: RoundView) -> str:
    state = round_label(view.state, view.due, view.today)
    return (
        f"Rapporten kan inte ändras nu (status: {state}). Svaren i det här fönstret har inte "
        "sparats, men de finns kvar nedan så att du kan kopiera dem."
    )


async def _already_in(
    request: Request,
    state: WebState,
    view: RoundView,
    raw: str,
    fields: dict[str, str],
    data: dict[str, Any],
    actor: str,
    latest: Submission | None,
) -> Response:
    """Answers a form whose turn was taken (another tab, a second click, another person): says
    what happened and keeps this tab's answers in the form, to send as a correction if allowed."""
    view = await load_round(state, view.workflow_id)
    if latest is None:  # nothing stored after all: only the round's state changed
        return await _page(
            request, state, view, raw, status=409, fields=fields, kept=True, problem=_closed(view)
        )
    try:
        spec = view.spec
        content = parse_submission(
            data, sections=spec.sections, measures_threshold_tkr=spec.measures_threshold_tkr
        )
        same = content_sha256(content) == latest.sha256
    except FormErrors:
        same = False
    when = _when(latest.submitted_at, state.config.organisation.timezone)
    if same:
        notice = (
            f"Rapporten är redan inlämnad (version {latest.version}, {when}) med just de här "
            "svaren. Den skickades inte en gång till."
        )
        return await _page(request, state, view, raw, status=409, notice=notice)
    if latest.submitted_by == actor:
        who = "från ett annat fönster"
    else:
        names = await state.db(people_names, view.spec)
        name = names.get(latest.submitted_by.lower()) or state.config.person_name(
            latest.submitted_by
        )
        who = f"av {name or latest.submitted_by}"
    told = (
        f"Rapporten skickades in {who} {when}, version {latest.version}, medan den här sidan "
        "var öppen."
    )
    if view.accepts_correction and not view.accepts_submission:
        rest = (
            "Svaren i det här fönstret har inte skickats, men de finns kvar i formuläret nedan: "
            "skicka dem som en rättelse om de ska gälla i stället."
        )
    elif view.accepts_submission:
        rest = (
            "Svaren i det här fönstret har inte skickats, men de finns kvar i formuläret nedan: "
            "skicka dem igen om de ska gälla i stället."
        )
    else:
        rest = _closed(view)
    return await _page(
        request, state, view, raw, status=409, fields=fields, kept=True, problem=f"{told} {rest}"
    )


async def csrf_keeping_answers(request: Request) -> FormInputError | None:
    """check_csrf, except that a control character in a field is returned, not raised: the form
    comes back with the field marked and every answer kept instead of a bare 400 page."""
    try:
        await check_csrf(request)
    except FormInputError as err:  # raised only after the CSRF token was found right
        return err
    return None


async def _refused_characters(
    request: Request, state: WebState, view: RoundView, raw: str, form: FormData
) -> Response:
    # Nothing is stored; the answers come back cleaned of the characters (which nobody sees),
    # the take-back reason (the one such field a person types) marked beside itself.
    refused = [
        name
        for name, value in form.multi_items()
        if has_refused_characters(name)
        or (isinstance(value, str) and not cleans_itself(name) and has_refused_characters(value))
    ]
    errors = [FieldError(("reason",), REFUSED_SV)] if "reason" in refused else []
    try:
        answers = [(k, v) for k, v in form.multi_items() if k != "reason"]  # take-back's own
        fields: dict[str, str] | None = report_fields(answers, view.spec.sections)
    except FieldsRefused as err:  # a name with the characters is no field: left out
        fields, errors = err.fields, [*errors, *_too_long(err.fields, err.limits)]
    except FormInputError as err:  # the form too big as a whole: nothing to show
        return error_response(request, 400, "form field refused", text=err.message_sv)
    if str(form.get("action", "")) == "take_back":
        problem = "Rapporten har inte dragits tillbaka. Skälet finns kvar i rutan nedan, utan "
    else:
        problem = "Inget har sparats eller skickats än. Alla dina svar finns kvar nedan, utan "
    problem += "de otillåtna tecknen: kontrollera texten och försök igen."
    if "reason" not in refused:  # not a field a person types (a script's): say what was refused
        problem = f"{REFUSED_SV} {problem}"
    return await _page(
        request,
        state,
        view,
        raw,
        status=400,
        fields=fields or None,  # the take-back form sends no answers: the stored ones are shown
        errors=errors,
        problem=problem,
        kept=bool(fields),
        take_back_reason=clean_text(str(form.get("reason", ""))),
    )


@router.post("/{raw}")
async def post(
    request: Request,
    raw: str,
    state: WebState = Depends(web_state),
    refused: FormInputError | None = Depends(csrf_keeping_answers),
) -> Response:
    """Saves a draft or submits; errors come back beside the fields with everything kept."""
    try:
        scope = await _scope(state, raw)
    except LinkRefused as dead:
        if dead.status_code == 410 and refused is None:
            if await _keep_behind_expired_link(request, state, raw):
                dead.text += KEPT_BEHIND_EXPIRED_SV
        raise
    wid = scope.workflow_id or ""
    view = await load_round(state, wid)
    form = await request.form()  # parsed, within the caps, by check_csrf
    if refused is not None:
        return await _refused_characters(request, state, view, raw, form)
    action = str(form.get("action", ""))
    if action == "take_back" and view.accepts_correction:
        reason = clean_text(str(form.get("reason", ""))).strip()[:2000]
        return await _take_back(request, state, view, raw, reason)
    too_long: dict[str, int] = {}
    stray: str | None = None  # a name that is no field of the report: said, the rest kept
    try:
        fields = report_fields(form.multi_items(), view.spec.sections)
    except FieldsRefused as err:
        fields, too_long = err.fields, err.limits  # shown again whole, nothing stored
        stray = err.message_sv if isinstance(err, UnknownFields) else None
    except FormInputError as err:
        return error_response(request, 400, "form field refused", text=err.message_sv)
    if not (view.accepts_submission or view.accepts_correction):
        # Decided or closed since the page was loaded: nothing is taken, nothing typed is lost.
        return await _page(
            request, state, view, raw, status=409, fields=fields, kept=True, problem=_closed(view)
        )
    correcting = view.accepts_correction and not view.accepts_submission
    # A form made while the round waited for the report, sent after it came in from elsewhere.
    overtaken = correcting and action not in ("correct", "save")
    try:
        uploads = await _uploads(request, state)
    except UploadRefused as err:
        if err.too_large:
            raise HTTPException(413, "attachment too large") from err
        return await _page(
            request,
            state,
            view,
            raw,
            status=400,
            fields=fields,
            errors=[FieldError(("files",), err.message_sv), *_too_long(fields, too_long)],
        )
    await resolve_user(request)  # a deputy's units come from the store
    actor = _actor(request, view)
    removed = {str(v) for v in form.getlist("remove_attachment")}
    shas = [v for k, v in fields.items() if k.startswith("attachments.") and k.endswith(".sha256")]
    refs = await state.db(_store_uploads, wid, uploads, actor, shas, removed)
    fields = {k: v for k, v in fields.items() if not k.startswith("attachments.")}
    for i, ref in enumerate(refs):
        fields[f"attachments.{i}.sha256"] = ref["sha256"]
    if too_long or stray:
        return await _page(
            request,
            state,
            view,
            raw,
            status=400,
            fields=fields,
            errors=_too_long(fields, too_long),
            problem=stray
            or "Inget har sparats eller skickats än: korta texten som är markerad nedan. "
            "Alla dina svar finns kvar.",
        )
    data = form_to_content(fields, view.spec.sections) | {"attachments": refs}
    data = await state.db(with_ledger_source, view.spec, data)  # the ledger's figures, kept
    if overtaken:
        latest = await state.db(_latest, wid)
        return await _already_in(request, state, view, raw, fields, data, actor, latest)
    if action not in ("submit", "correct"):
        await state.db(_save_draft, wid, data, actor)
        # Post/Redirect/Get: back and reload show the form, never "confirm form resubmission".
        return RedirectResponse(f"/s/{raw}?{DRAFT_SAVED}=1", 303)
    try:
        content = parse_submission(
            data,
            sections=view.spec.sections,
            measures_threshold_tkr=view.spec.measures_threshold_tkr,
        )
    except FormErrors as err:
        return await _page(request, state, view, raw, status=400, fields=fields, errors=err.errors)
    update = UPDATE_CORRECT if correcting else UPDATE_SUBMIT
    base = base_version(form.get("base_version"))
    try:
        # Durable (committed) before Temporal hears of it; only one of several clicks is stored.
        submission = await state.db(store_version, wid, content, actor, base)
    except AlreadySubmitted as err:
        return await _already_in(request, state, view, raw, fields, data, actor, err.latest)
    return await _deliver(request, state, view, raw, submission, update)


async def _take_back(
    request: Request, state: WebState, view: RoundView, raw: str, reason: str
) -> Response:
    await resolve_user(request)
    arg = TakeBackInput(actor=_actor(request, view), reason=reason.strip()[:2000] or None)
    try:
        await (await state.gateway()).update(view.workflow_id, UPDATE_TAKE_BACK, arg)
    except RoundRefused as err:
        return await _page(request, state, view, raw, status=409, problem=err.message_sv)
    # Taken (an answer of None: its side effects still run). Post/Redirect/Get as for a draft:
    # reload and back show the form, not the browser's resubmission page.
    return RedirectResponse(f"/s/{raw}?{TAKEN_BACK}=1", 303)


async def _deliver(
    request: Request,
    state: WebState,
    view: RoundView,
    raw: str,
    submission: Submission,
    update: str,
) -> Response:
    try:
        refusal = await deliver(state, submission, update)
    except RoundUnavailable:
        log.warning("submission %s of %s stays pending", submission.id, view.workflow_id)
        refusal = None
    if refusal is not None:
        fields = content_to_fields(submission.content)
        return await _page(request, state, view, raw, status=409, fields=fields, problem=refusal)
    return RedirectResponse(f"/s/{raw}/kvitto/{submission.version}", 303)


def _versions(session: Session, workflow_id: str) -> list[Submission]:
    return SubmissionRepository(session).versions(workflow_id=workflow_id)


@router.get("/{raw}/kvitto/{version}")
async def receipt(
    request: Request, raw: str, version: int, state: WebState = Depends(web_state)
) -> Response:
    """Shows what was sent and when: a printable receipt of one version."""
    scope = await _scope(state, raw)
    versions = await state.db(_versions, scope.workflow_id or "")
    submission = next((v for v in versions if v.version == version), None)
    if submission is None:
        raise HTTPException(404, "no such version")
    view = await load_round(state, scope.workflow_id or "")
    page = render(
        request,
        "receipt.html",
        title="Kvitto",
        view=view,
        raw=raw,
        submission=submission,
        content=submission.content,
        people_names=await state.db(people_names, view.spec),
    )
    page.headers["Cache-Control"] = "no-store"  # its "Status nu" is the round's state now
    return page


def _link_attachment(session: Session, raw: str, secret_key: str, sha: str) -> Response:
    scope = link_scope(session, raw, secret_key)
    return attachment_response(session, scope.workflow_id or "", sha)


@router.get("/{raw}/bilagor/{sha}")
async def attachment(raw: str, sha: str, state: WebState = Depends(web_state)) -> Response:
    """Downloads an attachment of this link's round."""
    return await state.db(_link_attachment, raw, state.settings.secret_key, sha)
