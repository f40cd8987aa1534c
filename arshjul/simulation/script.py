"""The simulation script: who submits when, and what each committee decides (YAML)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

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
    """A script file that cannot be read; the message says where."""


def load_script(path: Path | None = None) -> Script:
    """Reads a YAML script (the bundled default when `path` is None)."""
    path = path or DEFAULT_SCRIPT
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return Script.model_validate(data)
    except OSError as exc:
        raise ScriptError(f"cannot read script {path}: {exc.strerror}") from exc
    except yaml.YAMLError as exc:
        raise ScriptError(f"script {path} is not valid YAML: {exc}") from exc
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        raise ScriptError(f"script {path}: {where}: {first['msg']}") from exc
