"""The secretary records how a case is handled at the meeting, on its case page: jäv, yrkanden,
an open vote, reservations and protokollsanteckningar (arshjul.protocol.proceedings).

One form action per record; each is checked against the recorded närvaro and the law before it
is stored, a refusal shows the case page again with what was typed, and nothing is recorded
once the protocol is justerat. The decision itself is still taken with the decision form: it
must be the one the vote gave, and the committee beslutför for the § after jäv.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.datastructures import FormData

from arshjul.models.rounds import round_workflow_id
from arshjul.protocol import handling
from arshjul.protocol.proceedings import (
    MAX_MOTIONS,
    Motion,
    Note,
    Participant,
    Proceedings,
    ProceedingsError,
    Reservation,
    Vote,
)
from arshjul.text import clean_text
from arshjul.web.auth.csrf import check_csrf
from arshjul.web.committees import decisions
from arshjul.web.committees.agenda import CASE, Decider, show_case
from arshjul.web.core import notices
from arshjul.web.core.deps import WebState, web_state
from arshjul.web.core.inputs import read_form
from arshjul.web.core.roundview import load_round

router = APIRouter(include_in_schema=False)
SAVED_SV = {
    "jav": "Jäven är antecknade.",
    "yrkande": "Yrkandet är antecknat.",
    "ta-bort-yrkande": "Yrkandet är borttaget (och en omröstning om det).",
    "omrostning": "Omröstningen är registrerad.",
    "reservation": "Reservationen är antecknad.",
    "anteckning": "Protokollsanteckningen är antecknad.",
}
MAX_TEXT = 5000


def _who(present: list[Participant], key: str) -> Participant:
    found = next((p for p in present if p.key == key.strip().lower() or p.key == key), None)
    if found is None:
        raise ProceedingsError(
            "not serving", "Välj en närvarande ledamot eller tjänstgörande ersättare."
        )
    return found


def _change(action: str, form: FormData, offered: list[decisions.Choice]):  # noqa: ANN202
    """The change one form action makes to the proceedings (raises ProceedingsError)."""
    text = clean_text(str(form.get("text", ""))).strip()[:MAX_TEXT]

    def apply(p: Proceedings, present: list[Participant]) -> Proceedings:
        if action == "jav":
            keys = {str(k) for k in form.getlist("jav")}
            return p.model_copy(update={"jav": [x for x in present if x.key in keys]})
        if action == "yrkande":
            by = _who(present, str(form.get("by", "")))
            choice = next((c for c in offered if c.value == form.get("outcome")), None)
            if choice is None:
                raise ProceedingsError("no such decision", "Välj vad yrkandet gäller.")
            if len(p.motions) >= MAX_MOTIONS:
                raise ProceedingsError("too many motions", "Högst sex yrkanden i ett ärende.")
            motion = Motion(by=by.key, by_name=by.name, outcome=choice.value, label=choice.label)
            return p.model_copy(update={"motions": [*p.motions, motion]})
        if action == "ta-bort-yrkande":
            index = _index(form.get("index"), len(p.motions))
            motions = [m for k, m in enumerate(p.motions) if k != index]
            return p.model_copy(update={"motions": motions, "vote": None})
        if action == "omrostning":
            ja, nej = (
                _index(form.get("ja"), len(p.motions)),
                _index(form.get("nej"), len(p.motions)),
            )
            ballots = {
                key.removeprefix("rost:"): value
                for key, value in form.multi_items()
                if key.startswith("rost:") and value in ("ja", "nej", "avstar")
            }
            return p.model_copy(update={"vote": Vote(ja=ja, nej=nej, ballots=ballots)})
        if action == "reservation":
            by = _who(present, str(form.get("by", "")))
            kept = [r for r in p.reservations if r.by != by.key]
            new = Reservation(by=by.key, by_name=by.name, reason=text or None)
            return p.model_copy(update={"reservations": [*kept, new]})
        if action == "anteckning":
            by = _who(present, str(form.get("by", "")))
            if not text:
                raise ProceedingsError("empty note", "Skriv protokollsanteckningen.")
            note = Note(by=by.key, by_name=by.name, text=text)
            return p.model_copy(update={"notes": [*p.notes, note]})
        raise ProceedingsError(f"unknown action {action!r}", "Okänd åtgärd.")

    return apply


def _index(value: object, count: int) -> int:
    try:
        index = int(str(value))
    except ValueError:
        index = -1
    if not 0 <= index < count:
        raise ProceedingsError("no such motion", "Välj två av de antecknade yrkandena.")
    return index


@router.post(CASE + "/handlaggning", dependencies=[Depends(check_csrf)])
async def record(
    request: Request,
    org: str,
    report: str,
    period: str,
    unit: str,
    deciding: Decider,
    action: Annotated[str, Form(max_length=40)] = "",
    state: WebState = Depends(web_state),
) -> Response:
    """Records one part of how the case is handled at its meeting, then shows the case again."""
    committee, user = deciding
    wid = round_workflow_id(org, report, period, unit)
    view = await load_round(state, wid)
    form = await read_form(request, max_fields=200, max_files=0)
    kept = {"action": action, "text": str(form.get("text", ""))}
    if view.meeting is None:
        problem = "Ärendet står inte på något sammanträdes dagordning."
        return await show_case(
            request, committee, user, state, view, 409, problem=problem, handling_form=kept
        )
    offered = decisions.choices(view, committee.id)
    try:
        await state.db(
            handling.record,
            state.config,
            committee,
            view.meeting,
            wid,
            _change(action, form, offered),
            user.email,
        )
    except ProceedingsError as err:
        return await show_case(
            request, committee, user, state, view, 409, problem=err.message_sv, handling_form=kept
        )
    token = notices.signed(state.settings.secret_key, SAVED_SV.get(action, "Sparat."))
    case = request.url.path.removesuffix("/handlaggning")
    return RedirectResponse(f"{case}?{notices.QUERY}={token}#handlaggning", 303)
