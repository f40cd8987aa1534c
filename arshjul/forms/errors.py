"""Validation messages in Swedish, beside the field and in the summary at the top of a form."""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import ValidationError

# pydantic's error types to Swedish; our own PydanticCustomError messages are already Swedish.
_MESSAGES: dict[str, str] = {
    "missing": "Fältet måste fyllas i.",
    "string_too_short": "Fältet måste fyllas i.",
    "string_too_long": "Texten är för lång (högst {max_length} tecken).",
    "decimal_parsing": "Ange ett belopp i tkr, till exempel 1250 eller -300,5.",
    "decimal_type": "Ange ett belopp i tkr, till exempel 1250 eller -300,5.",
    "decimal_max_digits": "Beloppet har för många siffror.",
    "decimal_max_places": "Ange högst en decimal.",
    "decimal_whole_digits": "Beloppet har för många siffror.",
    "int_parsing": "Ange ett heltal.",
    "int_type": "Ange ett heltal.",
    "greater_than_equal": "Värdet måste vara minst {ge}.",
    "less_than_equal": "Värdet får vara högst {le}.",
    "date_from_datetime_parsing": "Ange ett datum som ÅÅÅÅ-MM-DD.",
    "date_parsing": "Ange ett datum som ÅÅÅÅ-MM-DD.",
    "date_type": "Ange ett datum som ÅÅÅÅ-MM-DD.",
    "enum": "Välj ett av alternativen.",
    "literal_error": "Välj ett av alternativen.",
    "extra_forbidden": "Okänt fält.",
    "too_long": "För många rader (högst {max_length}).",
    "string_pattern_mismatch": "Värdet har fel format.",
}


@dataclass(frozen=True)
class FieldError:
    """One message for one field; `loc` is the path in the content ("economic", "measures")."""

    loc: tuple[str | int, ...]
    message: str

    @property
    def field(self) -> str:
        """The dotted path used as an HTML id/name ("economic.measures", "goals.0.comment")."""
        return ".".join(str(p) for p in self.loc)


class FormErrors(ValueError):
    """A submission that cannot be accepted; carries one Swedish message per field."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.field}: {e.message}" for e in errors))
        self.errors = errors


def swedish_errors(exc: ValidationError) -> list[FieldError]:
    """Translates a pydantic ValidationError into Swedish field messages."""
    result: list[FieldError] = []
    for err in exc.errors():
        template = _MESSAGES.get(err["type"])
        ctx = err.get("ctx") or {}
        if template is None:
            # Custom errors (PydanticCustomError) carry their Swedish message already.
            message = (
                err["msg"]
                if err["type"] not in {"value_error", "assertion_error"}
                else ("Ogiltigt värde.")
            )
        else:
            try:
                message = template.format(**ctx)
            except (KeyError, IndexError):
                message = template
        result.append(FieldError(tuple(err["loc"]), message))
    return result
