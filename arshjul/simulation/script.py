"""The simulation script: who submits when, and what each committee decides (YAML)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from arshjul.calendar.config import ArshjulConfig
from arshjul.calendar.loader import locator
from arshjul.models.rounds import RoundSpec

DEFAULT_SCRIPT = Path(__file__).parent / "default_script.yaml"


class Match(BaseModel):
    """Selects rounds; an absent field matches every round."""

    model_config = ConfigDict(extra="forbid")

    report: str | None = None
    period: str | None = None  # YYYY-MM
    unit: str | None = None

    def matches(self, spec: RoundSpec) -> bool:
        """Tells whether the round is selected."""
        return all(
            want is None or want == have
            for want, have in (
                (self.report, spec.report_id),
                (self.period, spec.period),
                (self.unit, spec.unit_id),
            )
        )


class Submission(Match):
    """When a unit submits: working days from the due date (negative = before it)."""

    working_days_from_due: int | None = None
    never: bool = False
    forecast_deviation_tkr: float | None = None


class Step(BaseModel):
    """One committee decision, applied at the first meeting where the round is on the agenda."""

    model_config = ConfigDict(extra="forbid")

    outcome: Literal["approve", "remit", "refer"]
    reason: str | None = None
    actor: str | None = None
    to: str | None = None  # refer: the committee forwarded to (default: the step's only one)


class Decisions(Match):
    """What each committee decides on matching rounds, in order, meeting after meeting.

    `committees` is keyed by committee id. `ksau` and `ks` are the first release's names: the
    first committee of the review, and the committee a referral goes to.
    """

    committees: dict[str, list[Step]] = Field(default_factory=dict)
    ksau: list[Step] = Field(default_factory=list)
    ks: list[Step] = Field(default_factory=list)

    def steps(self, spec: RoundSpec) -> dict[str, list[Step]]:
        """Returns the decisions per committee id of the round's review."""
        review = spec.review
        found: dict[str, list[Step]] = {}
        if review is not None:
            found[review.committee.id] = list(self.ksau)
            if review.refers_to is not None:
                found[review.refers_to.id] = list(self.ks)
        found.update({k: list(v) for k, v in self.committees.items()})
        return found


class Script(BaseModel):
    """A year of people's actions; everything unmatched submits on time and is approved."""

    model_config = ConfigDict(extra="forbid")

    submit_working_days_from_due: int = -2
    submit_time: dt.time = dt.time(10, 0)
    decision_time: dt.time = dt.time(13, 0)
    resubmit_working_days_after_remit: int = 3
    submitter_actor: str = "forvaltningschef"
    committee_actor: str = "ksau-sekreterare@example.org"
    submissions: list[Submission] = Field(default_factory=list)
    decisions: list[Decisions] = Field(default_factory=list)

    def submission_for(self, spec: RoundSpec) -> Submission:
        """Returns the first matching submission rule, or the default (on time)."""
        return next((s for s in self.submissions if s.matches(spec)), Submission())

    def decisions_for(self, spec: RoundSpec) -> Decisions:
        """Returns the first matching decision rule, or the default (approve)."""
        return next((d for d in self.decisions if d.matches(spec)), Decisions())


class ScriptError(ValueError):
    """A script file that cannot be read or does not fit the configuration; the message says
    where (file and line)."""


def _place(loc: tuple[int | str, ...]) -> str:
    # ("submissions", 0, "unit") -> "submissions[0].unit", the configuration's notation.
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _read(path: Path) -> tuple[str, Script]:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ScriptError(f"cannot read script {path}: {exc.strerror}") from exc
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}" if mark is not None else str(path)
        raise ScriptError(f"{where}: not valid YAML: {exc}") from exc
    try:
        return text, Script.model_validate(data)
    except ValidationError as exc:
        line_of = locator(text)
        lines = []
        for error in exc.errors():
            place = _place(tuple(error["loc"]))
            line = line_of(place) if place else None
            lines.append(f"{path}:{line or 1}: {place}: {error['msg']}")
        raise ScriptError("\n".join(lines)) from exc


def load_script(path: Path | None = None) -> Script:
    """Reads a YAML script (the bundled default when `path` is None)."""
    return _read(path or DEFAULT_SCRIPT)[1]


def _known(what: str, value: str, known: set[str]) -> str | None:
    if value in known:
        return None
    return f"no {what} {value!r} in the configuration (known: {', '.join(sorted(known))})"


def _rule_problems(
    rule: Match, config: ArshjulConfig, specs: list[RoundSpec], year: int
) -> dict[str, str]:
    # Each field of a rule against the configuration, then the rule against the year's rounds.
    followups = {r.followup.report for r in config.reports if r.followup is not None}
    found: dict[str, str] = {}
    reports = {r.id for r in config.reports}
    if rule.report is not None and (why := _known("report", rule.report, reports)):
        found["report"] = why
    units = {u.id for u in config.units} | {r.id for r in config.roles}
    if rule.unit is not None and (why := _known("unit", rule.unit, units)):
        found["unit"] = why
    if rule.period is not None:
        try:
            dt.date.fromisoformat(f"{rule.period}-01")
        except ValueError:
            found["period"] = f"period {rule.period!r} is not a month (YYYY-MM)"
    if not found and rule.report not in followups and not any(rule.matches(s) for s in specs):
        field = "period" if rule.period else "unit" if rule.unit else "report"
        found[field] = (
            f"matches no round of the year {year} (report {rule.report or 'any'}, period "
            f"{rule.period or 'any'}, unit {rule.unit or 'any'})"
        )
    return found


def check_script(
    path: Path | None, config: ArshjulConfig, specs: list[RoundSpec], year: int
) -> Script:
    """Reads a script and checks it against the configuration and the year's rounds (report,
    unit and committee ids, periods) before anything runs; raises ScriptError listing every
    problem with its file and line."""
    path = path or DEFAULT_SCRIPT
    text, script = _read(path)
    line_of = locator(text)
    committees = {c.id for c in config.committees}
    problems: list[tuple[str, str]] = []
    rules: list[tuple[str, Match]] = [
        (f"submissions[{i}]", r) for i, r in enumerate(script.submissions)
    ]
    rules += [(f"decisions[{i}]", r) for i, r in enumerate(script.decisions)]
    for place, rule in rules:
        for name, why in _rule_problems(rule, config, specs, year).items():
            problems.append((f"{place}.{name}", why))
    for i, d in enumerate(script.decisions):
        for committee, steps in d.committees.items():
            where = f"decisions[{i}].committees.{committee}"
            if why := _known("committee", committee, committees):
                problems.append((where, why))
            for j, step in enumerate(steps):
                if step.to is not None and (why := _known("committee", step.to, committees)):
                    problems.append((f"{where}[{j}].to", why))
    if problems:
        raise ScriptError(
            "\n".join(f"{path}:{line_of(place) or 1}: {place}: {why}" for place, why in problems)
        )
    return script
