"""The one way a configuration changes in the browser: proposal → Förhandsgranska → Spara och
tillämpa → confirmation.

A proposal is the whole new configuration as YAML plus the version it was made from; the pages
carry it in hidden fields, so a refused save (a stale base, a missing reason) loses nothing.
Nothing reaches the store or the running cycles before the ekonomichef confirms with a reason.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from typing import Any

import anyio
from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.datastructures import FormData
from temporalio.client import WorkflowExecutionStatus, WorkflowQueryFailedError
from temporalio.service import RPCError, RPCStatusCode

from arshjul.calendar.check import Finding, check_edited
from arshjul.calendar.config import OWNER_ROLE, ArshjulConfig
from arshjul.calendar.config_diff import ConfigChange, changes_sv, diff_configs
from arshjul.calendar.config_text import config_yaml
from arshjul.calendar.feeds import LiveDeadline
from arshjul.calendar.issues_sv import issue_sv as loader_issue_sv
from arshjul.calendar.loader import ConfigError, ConfigIssue, load_config_text, locator
from arshjul.calendar.preview import PlanPreview, preview_change
from arshjul.calendar.specs import round_specs
from arshjul.models.plans import QUERY_CYCLE_PLAN, CyclePlanStatus
from arshjul.models.rounds import cycle_workflow_id
from arshjul.plans import change_message
from arshjul.runtime.reconfigure import Applied, apply_to_cycles, years_around
from arshjul.store import configuration as store
from arshjul.store.calendar_feed import live_deadlines
from arshjul.store.plans import SqlPlans
from arshjul.store.repositories import sync_config
from arshjul.web.auth.csrf import check_csrf
from arshjul.web.auth.current import require_roles
from arshjul.web.auth.user import WebUser
from arshjul.web.core.clock import today_local
from arshjul.web.core.deps import WebState, web_state
from arshjul.web.core.inputs import read_form
from arshjul.web.core.rounds import RoundUnavailable
from arshjul.web.pages.templating import render

router = APIRouter(include_in_schema=False)
log = logging.getLogger(__name__)
owner = require_roles(OWNER_ROLE)

MAX_TEXT = 2_000_000  # characters of YAML in one proposal (the bundled examples: ~40 000)
MAX_REASON = 500
BLOCKING = ("error", "legal")
SEVERITY_SV = {"error": "Fel", "legal": "Lagkrav", "warning": "Varning"}
SOURCE_SV = {
    "web:meetings": "sammanträden i webben",
    "web:plan": "sammanträdesplan inläst i webben",
    "web:yaml": "YAML redigerad i webben",
    "web:units": "enheter i webben",
    "cli": "kommandoraden",
}


def source_sv(source: str) -> str:
    """Returns where a version came from in Swedish words."""
    if source.startswith("restore:"):
        return f"återställd från version {source.removeprefix('restore:')}"
    if source.startswith("file:"):
        return f"inläst från filen {source.removeprefix('file:')}"
    return SOURCE_SV.get(source, source)


@dataclass(frozen=True)
class Proposal:
    """A proposed configuration as YAML, the version it was made from, and what the edit was."""

    text: str
    base: int | None
    source: str  # web:meetings, web:plan, web:yaml, web:units, restore:<n>
    summary: str  # Swedish: "Flytta KSAU 12 februari 2027 till 13 februari 2027"
    typed: bool = False  # the text as the ekonomichef wrote it: saved as is, comments and all

    @classmethod
    def of_config(
        cls, config: ArshjulConfig, base: int | None, source: str, summary: str
    ) -> Proposal:
        """A proposal from an edited configuration (the text rendered as an export renders it)."""
        return cls(config_yaml(config), base, source, summary)

    def hidden(self) -> dict[str, str]:
        """The hidden fields that carry the proposal from page to page."""
        return {
            "proposal": self.text,
            "base": "" if self.base is None else str(self.base),
            "source": self.source,
            "summary": self.summary,
            "typed": "ja" if self.typed else "",
        }


def proposal_from(form: FormData) -> Proposal | None:
    """Reads the proposal the preview page carried; None when it is missing or malformed."""
    # Browsers send line breaks as CRLF; the text is kept as the ekonomichef wrote it.
    text = str(form.get("proposal", "")).replace("\r\n", "\n")
    base = str(form.get("base", ""))
    source = str(form.get("source", ""))[:40]
    if not text.strip() or len(text) > MAX_TEXT or (base and not base.isdigit()):
        return None
    if not re.fullmatch(r"(web:[a-z]+|restore:\d{1,9})", source):
        return None
    return Proposal(
        text=text,
        base=int(base) if base else None,
        source=source,
        summary=str(form.get("summary", ""))[:1000],
        typed=form.get("typed") == "ja",
    )


@dataclass(frozen=True)
class Located:
    """A finding as the page shows it: how serious, where (line and place) and what, in Swedish."""

    severity: str  # error | legal | warning
    line: int | None
    path: str
    text_sv: str

    @property
    def where_sv(self) -> str:
        """Returns "Rad 12 (reports[2].due)", or the place alone without a line."""
        if self.line and self.path:
            return f"Rad {self.line} ({self.path})"
        if self.line:
            return f"Rad {self.line}"
        return self.path

    @property
    def severity_sv(self) -> str:
        """Returns the severity in Swedish."""
        return SEVERITY_SV.get(self.severity, self.severity)


def issue_sv(issue: ConfigIssue) -> Located:
    """Returns a loader issue (English) as a located Swedish line."""
    # The forms known have their Swedish sentence; the rest are shown as they are, after a
    # Swedish lead, so nothing is hidden.
    message = loader_issue_sv(issue.message) or f"konfigurationen kan inte läsas: {issue.message}"
    column = f", kolumn {issue.column}" if issue.line and issue.column else ""
    return Located("error", issue.line, issue.path, message[:1].upper() + message[1:] + column)


def load_problems(text: str) -> tuple[ArshjulConfig | None, list[Located]]:
    """Loads a proposal's YAML; returns the configuration or every located problem."""
    try:
        return load_config_text(text, "förslaget"), []
    except ConfigError as exc:
        return None, [issue_sv(i) for i in exc.issues]


@dataclass
class Review:
    """What the preview page shows about a proposal and whether it may be saved."""

    proposal: Proposal
    config: ArshjulConfig | None
    problems: list[Located] = field(default_factory=list)  # it does not load
    findings: list[Located] = field(default_factory=list)  # calendar check, every severity
    blocking: list[Located] = field(default_factory=list)  # new errors and broken legal limits
    changes: list[ConfigChange] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    previews: list[PlanPreview] = field(default_factory=list)  # per year around today
    preview_note: str | None = None  # why the running rounds are not in the preview (Swedish)

    @property
    def refused(self) -> list[Located]:
        """Everything that stops the save."""
        return self.problems + self.blocking

    @property
    def warnings(self) -> list[Located]:
        """The findings shown but not stopping the save."""
        return [f for f in self.findings if f not in self.blocking]

    @property
    def summary_sv(self) -> str:
        """The changes in one sentence."""
        return changes_sv(self.changes)


def _years(old: ArshjulConfig, new: ArshjulConfig, today: dt.date) -> list[int]:
    # This year and next, and every year whose meetings the change touches.
    years = {today.year, today.year + 1}
    before = {(c.id, m) for c in old.committees for m in c.meetings}
    after = {(c.id, m) for c in new.committees for m in c.meetings}
    years |= {m.date.year for _, m in before ^ after}
    return sorted(y for y in years if today.year - 1 <= y <= today.year + 5)


def _located(findings: list[Finding], text: str) -> list[Located]:
    line_of = locator(text)
    return [
        Located(f.severity, line_of(f.path) if f.path else None, f.path, f.explanation_sv)
        for f in findings
    ]


def review_proposal(proposal: Proposal, base: ArshjulConfig, today: dt.date) -> Review:
    """Loads and checks a proposal against the version it was made from (pure, may take a
    second: run it off the event loop)."""
    config, problems = load_problems(proposal.text)
    if config is None:
        return Review(proposal, None, problems=problems)
    years = _years(base, config, today)
    findings = check_edited(config, years)
    before = {(f.severity, f.message) for f in check_edited(base, years)}
    located = _located(findings, proposal.text)
    blocking = [
        shown
        for f, shown in zip(findings, located, strict=True)
        if f.severity in BLOCKING and (f.severity, f.message) not in before
    ]
    return Review(
        proposal,
        config,
        findings=located,
        blocking=blocking,
        changes=diff_configs(base, config),
        years=years,
    )


def _base_config(session: Any, base: int | None, fallback: ArshjulConfig) -> ArshjulConfig:
    # The configuration the proposal was made from; the running one while the store is empty.
    stored = store.get(session, base) if base is not None else None
    return stored.config if stored is not None else fallback


@dataclass
class RunningYear:
    """Where one year's cycle stands, as the preview needs it (None plan: no cycle runs)."""

    year: int
    status: CyclePlanStatus | None


async def _cycles(
    state: WebState, org_id: str, today: dt.date
) -> tuple[list[RunningYear], str | None]:
    # Asks each year's cycle where it stands; a year whose cycle does not run has None.
    try:
        client = await state.temporal_client()
    except RoundUnavailable:
        return [], (
            "Temporal svarar inte just nu: förhandsgranskningen visar sammanträden och kalendern, "
            "men inte de pågående omgångarna."
        )
    found = []
    for year in years_around(today):
        handle = client.get_workflow_handle(cycle_workflow_id(org_id, year))
        try:
            with anyio.fail_after(state.limits.temporal_timeout_seconds):
                described = await handle.describe()
                if described.status != WorkflowExecutionStatus.RUNNING:
                    found.append(RunningYear(year, None))
                    continue
                status = await handle.query(QUERY_CYCLE_PLAN, result_type=CyclePlanStatus)
        except RPCError as exc:
            if exc.status != RPCStatusCode.NOT_FOUND:
                log.warning("cycle %s not asked for the preview: %s", year, exc)
            found.append(RunningYear(year, None))
            continue
        except (WorkflowQueryFailedError, TimeoutError) as exc:
            log.warning("cycle %s not asked for the preview: %s", year, exc)
            found.append(RunningYear(year, None))
            continue
        found.append(RunningYear(year, status))
    return found, None


def _year_previews(
    live: dict[str, LiveDeadline],
    plans: SqlPlans,
    old: ArshjulConfig,
    new: ArshjulConfig,
    running: list[RunningYear],
    today: dt.date,
) -> list[PlanPreview]:
    # A running cycle is compared with its stored plan and its rounds' states; a year whose
    # cycle does not run with the plan the old configuration gives (dates that would move).
    org = old.organisation.id
    previews = []
    for year in sorted({r.year for r in running} | set(years_around(today))):
        status = next((r.status for r in running if r.year == year), None)
        if status is not None and status.plan is not None:
            specs = plans.specs(status.plan)
            through, start = status.opened_through, status.start
            states = plans.states(org, year)
        else:
            specs, through, start, states = round_specs(old, year, []), None, today, {}
        previews.append(preview_change(old, new, year, specs, through, start, today, states, live))
    return previews


async def review(state: WebState, proposal: Proposal) -> Review:
    """Reviews a proposal as the preview and the save both do (the same checks, once each)."""
    base = await state.db(_base_config, proposal.base, state.config)
    today = today_local(state)
    checked = await anyio.to_thread.run_sync(review_proposal, proposal, base, today)
    if checked.config is None or checked.refused:
        return checked
    running, checked.preview_note = await _cycles(state, base.organisation.id, today)
    plans = SqlPlans(state.session_maker)
    live = await state.db(live_deadlines, base.organisation.id)
    checked.previews = await anyio.to_thread.run_sync(
        _year_previews, live, plans, base, checked.config, running, today, limiter=state.db_limiter
    )
    return checked


async def preview_page(
    request: Request,
    state: WebState,
    proposal: Proposal,
    *,
    reason: str = "",
    errors: list[Located] | None = None,
    status_code: int = 200,
    reviewed: Review | None = None,
) -> Response:
    """Renders "Förhandsgranska": findings, field changes, the running year's preview, confirm."""
    checked = reviewed or await review(state, proposal)
    current = await state.db(store.current_version)
    refused = checked.refused
    return render(
        request,
        "installningar_forhandsgranska.html",
        status_code if not refused else max(status_code, 422),
        title="Förhandsgranska ändringen",
        r=checked,
        p=proposal,
        hidden=proposal.hidden(),
        current=current,
        stale=proposal.base != current,
        reason=reason,
        errors=(errors or []) + refused,
    )


@dataclass
class Outcome:
    """What a confirmed save did: the version, and what reached the running cycles."""

    saved: store.StoredConfig
    applied: Applied | None
    not_applied: str | None = None  # why the running cycles were not reached (Swedish)

    @property
    def lines(self) -> list[str]:
        """One Swedish line per year whose running cycle took the change."""
        if self.applied is None:
            return []
        return [
            f"{year}: {change_message(result)}"
            for year, result in sorted(self.applied.results.items())
        ]


async def apply_saved(state: WebState, saved: store.StoredConfig, actor: str) -> Outcome:
    """Hands the saved version to the running cycles and makes this process use it."""
    state.config_source.changed()
    await state.db(sync_config, saved.config)
    try:
        client = await state.temporal_client()
        applied = await apply_to_cycles(
            client,
            saved.config,
            SqlPlans(state.session_maker),
            today_local(state),
            actor=actor,
        )
    except (RoundUnavailable, RuntimeError, OSError, TimeoutError) as err:
        log.warning("configuration version %s saved but not applied: %s", saved.version, err)
        return Outcome(
            saved,
            None,
            "Versionen är sparad, men de pågående omgångarna kunde inte nås just nu. Den "
            "tillämpas när arshjul startas om (arshjul up), eller när du sparar nästa gång.",
        )
    return Outcome(saved, applied)


def _conflict_changes(
    session: Any, base: int | None, fallback: ArshjulConfig
) -> tuple[store.VersionLine | None, list[ConfigChange]]:
    # What was saved since the proposal's base: the newest version's line and its changes.
    newest = store.get(session)
    if newest is None:
        return None, []
    return newest.line, diff_configs(_base_config(session, base, fallback), newest.config)


@router.post("/installningar/spara", dependencies=[Depends(check_csrf)])
async def save_and_apply(
    request: Request,
    user: WebUser = Depends(owner),
    state: WebState = Depends(web_state),
) -> Response:
    """Saves a previewed proposal as a new version (with a reason) and applies it; a stale base,
    a missing reason or a failed check is refused with the proposal kept."""
    form = await read_form(request, max_fields=50, max_files=0)
    proposal = proposal_from(form)
    if proposal is None:
        return broken_proposal(request)
    reason = " ".join(str(form.get("reason", "")).split())[:MAX_REASON]
    checked = await review(state, proposal)
    if checked.refused or checked.config is None:
        return await preview_page(request, state, proposal, reason=reason, reviewed=checked)
    if not reason:
        missing = Located("error", None, "", "Skriv varför ändringen görs (det sparas i loggen).")
        return await preview_page(
            request, state, proposal, errors=[missing], status_code=422, reviewed=checked
        )
    try:
        saved = await state.db(
            store.save,
            checked.config,
            base=proposal.base,
            actor=user.email,
            reason=reason,
            source=proposal.source,
            text=proposal.text if proposal.typed else None,
        )
    except store.ConfigConflict:
        newest, meanwhile = await state.db(_conflict_changes, proposal.base, state.config)
        return render(
            request,
            "installningar_konflikt.html",
            409,
            title="Någon annan har sparat under tiden",
            newest=newest,
            meanwhile=meanwhile,
            p=proposal,
            hidden=proposal.hidden() | {"base": str(newest.version) if newest else ""},
            reason=reason,
            source_sv=source_sv,
        )
    except store.ConfigUnchanged:
        same = Located(
            "error", None, "", "Förslaget är likadant som versionen i bruk: inget att spara."
        )
        return await preview_page(
            request,
            state,
            proposal,
            reason=reason,
            errors=[same],
            status_code=422,
            reviewed=checked,
        )
    except store.OrganisationMismatch as exc:
        other = Located(
            "error",
            None,
            "organisation.id",
            f"Förslaget gäller organisationen ”{exc.given}”, men årshjulet är ”{exc.stored}”. "
            "Ändra inte organisationens id i webben.",
        )
        return await preview_page(
            request,
            state,
            proposal,
            reason=reason,
            errors=[other],
            status_code=422,
            reviewed=checked,
        )
    log.info(
        "configuration version %s saved by %s (%s)", saved.version, user.email, proposal.source
    )
    outcome = await apply_saved(state, saved, user.email)
    return render(
        request,
        "installningar_tillampad.html",
        title=f"Version {saved.version} sparad och tillämpad",
        outcome=outcome,
        r=checked,
        source_sv=source_sv,
    )


@router.post("/installningar/forhandsgranska", dependencies=[Depends(check_csrf)])
async def preview_again(
    request: Request,
    user: WebUser = Depends(owner),
    state: WebState = Depends(web_state),
) -> Response:
    """Shows the preview of a carried proposal again (after a conflict: against the newest)."""
    form = await read_form(request, max_fields=50, max_files=0)
    proposal = proposal_from(form)
    if proposal is None:
        return broken_proposal(request)
    return await preview_page(request, state, proposal)


def _newest(session: Any) -> store.StoredConfig | None:
    return store.get(session)


async def editing(state: WebState) -> tuple[ArshjulConfig, int | None]:
    """Returns the configuration an edit starts from (the store's newest) and its version."""
    newest = await state.db(_newest)
    if newest is None:
        return state.config, None
    return newest.config, newest.version


def broken_proposal(request: Request) -> Response:
    """The answer to a form whose proposal is missing or was tampered with."""
    return render(
        request,
        "error.html",
        400,
        title="Förslaget kunde inte läsas",
        text="Förslaget saknas eller är trasigt. Börja om från Inställningar.",
        status=400,
    )
