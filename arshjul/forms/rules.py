"""Rules that depend on the report's configuration, not only on the content: required sections
and "vid större avvikelser krävs en åtgärdsplan"."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from pydantic import ValidationError

from arshjul.forms.content import ReportContent
from arshjul.forms.errors import FieldError, FormErrors, swedish_errors


def measures_required(deviation_tkr: Decimal | float | None, threshold_tkr: float) -> bool:
    """Tells whether a forecast deviation is negative beyond the threshold, so measures are due."""
    if deviation_tkr is None:
        return False
    return Decimal(str(deviation_tkr)) < -Decimal(str(threshold_tkr))


def check_content(
    content: ReportContent, *, sections: Iterable[str], measures_threshold_tkr: float
) -> list[FieldError]:
    """Lists what a complete submission still lacks for this report (empty when it may be sent)."""
    wanted = set(sections)
    errors: list[FieldError] = []
    if "economic" in wanted:
        if content.economic is None:
            errors.append(FieldError(("economic",), "Fyll i den ekonomiska uppföljningen."))
        elif content.economic.measures == "" and measures_required(
            content.economic.deviation_tkr, measures_threshold_tkr
        ):
            errors.append(
                FieldError(
                    ("economic", "measures"),
                    "Prognosen visar ett underskott mot budget: beskriv planerade åtgärder.",
                )
            )
    if "goals" in wanted and not content.goals:
        errors.append(FieldError(("goals",), "Bedöm minst ett mål."))
    if "activities" in wanted and not content.activities:
        errors.append(FieldError(("activities",), "Redovisa minst en aktivitet."))
    if "texts" in wanted and (content.texts is None or not content.texts.forvaltningsberattelse):
        errors.append(
            FieldError(("texts", "forvaltningsberattelse"), "Skriv förvaltningsberättelsen.")
        )
    if "vf_list" in wanted and not content.vf_list:
        errors.append(FieldError(("vf_list",), "Ange minst en rad i VF-listan."))
    return errors


def parse_submission(
    data: object, *, sections: Iterable[str], measures_threshold_tkr: float
) -> ReportContent:
    """Validates a complete submission; raises FormErrors with Swedish messages per field."""
    try:
        content = ReportContent.model_validate(data)
    except ValidationError as exc:
        raise FormErrors(swedish_errors(exc)) from exc
    errors = check_content(
        content, sections=sections, measures_threshold_tkr=measures_threshold_tkr
    )
    if errors:
        raise FormErrors(errors)
    return content
